import Foundation
import SyndicTestSupport
import Testing
@testable import SyndicTransfer

/// Servers that die mid-transfer or never answer.
@Suite(.serialized) struct CurlStorageFailureTests {
    /// Uploads an 8 MiB file to a server slowed to 512 KiB/s, kills the server once part of
    /// the file arrived, and returns the (dead) server and the upload's error, which must come
    /// within seconds.
    private func uploadInterruptedByServerDeath(atomic: Bool) async throws -> (server: FTPServer, error: Error?) {
        let server = try FTPServer(throttle: 512 << 10)
        let local = try Tool.temporaryDirectory("syndic-interrupted")
        defer { try? FileManager.default.removeItem(at: local) }
        let export = local.appendingPathComponent("export.csv")
        try TestFiles.make(at: export, mebibytes: 8)
        let storage = CurlStorage(StorageLocation(kind: .ftp, host: "127.0.0.1", port: server.port, username: server.user,
                                                  password: server.password), timeout: 5)
        let upload = Task.detached { try storage.upload(fileAt: export, to: "feed/export.csv", atomic: atomic) }
        let arriving = server.home.appendingPathComponent(atomic ? "feed/.export.csv.part" : "feed/export.csv")
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let size = (try? FileManager.default.attributesOfItem(atPath: arriving.path)[.size] as? Int) ?? 0
            if size >= 256 << 10 { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        server.kill()
        let started = Date()
        let result = await upload.result
        #expect(Date().timeIntervalSince(started) < 5, "the upload noticed the dead server late")
        if case .failure(let error) = result { return (server, error) }
        return (server, nil)
    }

    @Test func anAtomicUploadCutShortNeverShowsTheFinalName() async throws {
        let (server, error) = try await uploadInterruptedByServerDeath(atomic: true)
        let transferError = try #require(error as? TransferError, "the upload did not fail")
        #expect(transferError.message.hasPrefix("upload to ftp://127.0.0.1:\(server.port)/feed/export.csv failed: "))
        #expect(!FileManager.default.fileExists(atPath: server.home.appendingPathComponent("feed/export.csv").path))
        // The server is gone, so a part file may stay for the next upload to overwrite; never whole.
        let part = server.home.appendingPathComponent("feed/.export.csv.part")
        #expect((try? FileManager.default.attributesOfItem(atPath: part.path)[.size] as? Int) ?? 0 < 8 << 20)
    }

    @Test func aNonAtomicUploadCutShortLeavesAPartialFile() async throws {
        let (server, error) = try await uploadInterruptedByServerDeath(atomic: false)
        #expect(error is TransferError)
        let file = server.home.appendingPathComponent("feed/export.csv")
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int ?? 0 < 8 << 20)
    }

    @Test(arguments: [StorageLocation.Kind.ftp, .ftps, .sftp])
    func aServerThatNeverAnswersTimesOut(_ kind: StorageLocation.Kind) throws {
        let server = try LocalServer(script: "silent_server.py")
        defer { server.kill() }
        let storage = CurlStorage(StorageLocation(kind: kind, host: "127.0.0.1", port: server.port, username: "partner",
                                                  password: "secret"), timeout: 2)
        let started = Date()
        do {
            try storage.upload(Data("x".utf8), to: "a.csv")
            Issue.record("a server that never answered took an upload")
        } catch let error as TransferError {
            #expect(error.code == 28)  // CURLE_OPERATION_TIMEDOUT
            #expect(error.message.contains("the server did not answer within 2 s"))
            #expect(!error.message.contains("secret"))
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed >= 1.5 && elapsed < 6, "took \(elapsed) s")
    }
}
