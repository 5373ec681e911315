import Foundation
import Testing
@testable import SyndicTransfer

/// Uploads from and downloads to files, streamed in bounded memory, and atomic uploads.
@Suite(.serialized) struct CurlStorageStreamingTests {
    private func ftp(_ server: FTPServer, root: String = "") -> CurlStorage {
        CurlStorage(StorageLocation(kind: .ftp, host: "127.0.0.1", port: server.port, username: server.user,
                                    password: server.password, root: root), timeout: 5)
    }

    @Test func aLargeFileStreamsOverFTPInBoundedMemory() throws {
        let server = try FTPServer()
        defer { server.kill() }
        let local = try Tool.temporaryDirectory("syndic-stream")
        defer { try? FileManager.default.removeItem(at: local) }
        let export = local.appendingPathComponent("products_export.csv")
        try TestFiles.make(at: export, mebibytes: 128)
        let storage = ftp(server, root: "/feeds")  // absolute: from the FTP root, not the login folder
        let before = TestFiles.peakResidentBytes

        try storage.upload(fileAt: export, to: "2026/products_export.csv")
        let copy = local.appendingPathComponent("back/products_export.csv")
        try storage.download("2026/products_export.csv", toFile: copy)

        // Holding the file would add 128 MiB; the margin is for other suites running meanwhile.
        #expect(TestFiles.peakResidentBytes - before < 64 << 20, "memory grew with the file")
        #expect(try TestFiles.same(export, server.home.appendingPathComponent("feeds/2026/products_export.csv")))
        #expect(try TestFiles.same(export, copy))
        #expect(try FileManager.default.contentsOfDirectory(atPath: local.appendingPathComponent("back").path)
            == ["products_export.csv"])
        #expect(try storage.list("2026") == ["products_export.csv"], "the part file was renamed")
    }

    @Test func localUploadsGoThroughAPartFileAndReplaceAtomically() throws {
        let root = try Tool.temporaryDirectory("syndic-local")
        defer { try? FileManager.default.removeItem(at: root) }
        let storage = CurlStorage(.local(root.appendingPathComponent("out").path))
        let export = root.appendingPathComponent("export.csv")
        try TestFiles.make(at: export, mebibytes: 3)
        try storage.upload(Data("old".utf8), to: "feed/products.csv")
        try storage.upload(fileAt: export, to: "feed/products.csv")
        #expect(try TestFiles.same(export, root.appendingPathComponent("out/feed/products.csv")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("out/feed").path)
            == ["products.csv"])
        let copy = root.appendingPathComponent("in/products.csv")
        try storage.download("feed/products.csv", toFile: copy)
        #expect(try TestFiles.same(export, copy))
    }

    @Test func ftpAtomicUploadsReplaceAndNonAtomicOnesWriteInPlace() throws {
        let server = try FTPServer()
        defer { server.kill() }
        let storage = ftp(server)
        try storage.upload(Data("first".utf8), to: "orders/a.csv")
        try storage.upload(Data("second".utf8), to: "orders/a.csv")
        try storage.upload(Data("direct".utf8), to: "orders/b.csv", atomic: false)
        try storage.upload(Data("top".utf8), to: "top.csv")
        let folder = server.home.appendingPathComponent("orders")
        #expect(try Data(contentsOf: folder.appendingPathComponent("a.csv")) == Data("second".utf8))
        #expect(try Data(contentsOf: folder.appendingPathComponent("b.csv")) == Data("direct".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["a.csv", "b.csv"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: server.home.path).sorted() == ["orders", "top.csv"])
    }

    @Test func aServerThatForbidsRenamesKeepsTheCompletePartFile() throws {
        let server = try FTPServer(renames: false)
        defer { server.kill() }
        let storage = ftp(server)
        do {
            try storage.upload(Data("complete".utf8), to: "out/a.csv")
            Issue.record("a forbidden rename succeeded")
        } catch let error as TransferError {
            #expect(error.message.hasPrefix("upload to ftp://127.0.0.1:\(server.port)/out/a.csv failed: "))
            #expect(error.message.contains("the complete file is in ftp://127.0.0.1:\(server.port)/out/.a.csv.part"))
        }
        let folder = server.home.appendingPathComponent("out")
        #expect(try Data(contentsOf: folder.appendingPathComponent(".a.csv.part")) == Data("complete".utf8))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("a.csv").path))
        try storage.upload(Data("direct".utf8), to: "out/a.csv", atomic: false)
        #expect(try Data(contentsOf: folder.appendingPathComponent("a.csv")) == Data("direct".utf8))
    }

    @Test func aMissingLocalFileFailsBeforeConnecting() throws {
        let storage = CurlStorage(StorageLocation(kind: .ftp, host: "127.0.0.1", port: 9, root: ""), timeout: 2)
        do {
            try storage.upload(fileAt: URL(fileURLWithPath: "/nonexistent/export.csv"), to: "a.csv")
            Issue.record("a missing file was uploaded")
        } catch let error as TransferError {
            #expect(error.message == "upload to ftp://127.0.0.1:9/a.csv failed: cannot read /nonexistent/export.csv: "
                + "No such file or directory")
        }
    }

    @Test func aFailedDownloadKeepsTheOldFileAndLeavesNoPart() throws {
        let server = try FTPServer()
        defer { server.kill() }
        let local = try Tool.temporaryDirectory("syndic-download")
        defer { try? FileManager.default.removeItem(at: local) }
        let target = local.appendingPathComponent("shipments.csv")
        try Data("previous".utf8).write(to: target)
        #expect(throws: TransferError.self) { try ftp(server).download("missing.csv", toFile: target) }
        #expect(try Data(contentsOf: target) == Data("previous".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: local.path) == ["shipments.csv"])
    }
}
