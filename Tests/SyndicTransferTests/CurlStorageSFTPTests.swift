import Foundation
import Testing
@testable import SyndicTransfer

/// SFTP against a real OpenSSH server on 127.0.0.1, with key authentication and host key
/// verification. Skipped only where sshd is not installed (scripts/install-deps installs it).
@Suite(.serialized, .enabled(if: SSHServer.isAvailable, "sshd is not installed: run scripts/install-deps"))
struct CurlStorageSFTPTests {
    private func sftp(_ server: SSHServer, hostKey: String? = nil, knownHosts: String? = nil,
                      privateKey: String? = nil) -> CurlStorage {
        CurlStorage(StorageLocation(kind: .sftp, host: "127.0.0.1", port: server.port, username: server.user,
                                    privateKeyPath: privateKey ?? server.clientKey, root: server.files.path,
                                    hostKeySHA256: hostKey, knownHostsPath: knownHosts), timeout: 10)
    }

    @Test func everyOperationWorksWithKeyAuthentication() throws {
        let server = try SSHServer()
        defer { server.kill() }
        let storage = sftp(server, hostKey: server.hostKeySHA256)
        let csv = Data("sku;title\n1;Chaussure été\n".utf8)
        try storage.upload(csv, to: "feeds/2026/products export.csv")
        let folder = server.files.appendingPathComponent("feeds/2026")
        #expect(try Data(contentsOf: folder.appendingPathComponent("products export.csv")) == csv)
        try storage.upload(Data("second".utf8), to: "feeds/2026/products export.csv")  // replaces
        try storage.upload(Data("b".utf8), to: "feeds/2026/b.csv", atomic: false)
        #expect(try storage.list("feeds/2026") == ["b.csv", "products export.csv"])
        #expect(try storage.download("feeds/2026/products export.csv") == Data("second".utf8))
        try storage.rename("feeds/2026/b.csv", to: "feeds/2026/c.csv")
        #expect(try storage.list("feeds/2026") == ["c.csv", "products export.csv"])
        try storage.delete("feeds/2026/c.csv")
        #expect(try storage.list("feeds/2026") == ["products export.csv"])
    }

    /// SFTP refuses to list a folder that does not exist: an error with the folder's URL.
    @Test func listingAMissingFolderFails() throws {
        let server = try SSHServer()
        defer { server.kill() }
        let storage = sftp(server, hostKey: server.hostKeySHA256)
        #expect(try storage.list("").isEmpty)
        #expect { try storage.list("missing") } throws: { error in
            guard let failure = error as? TransferError else { return false }
            return failure.message.hasPrefix("listing of sftp://127.0.0.1:\(server.port)\(server.files.path)/missing/ failed: ")
                && failure.message.hasSuffix("; check that the folder exists and that the user may read it")
        }
    }

    @Test func filesStreamBothWaysAndTheKnownHostsFileIsHonoured() throws {
        let server = try SSHServer()
        defer { server.kill() }
        let local = try Tool.temporaryDirectory("syndic-sftp-local")
        defer { try? FileManager.default.removeItem(at: local) }
        let export = local.appendingPathComponent("export.csv")
        try TestFiles.make(at: export, mebibytes: 8)
        let storage = sftp(server, knownHosts: server.knownHosts)
        try storage.upload(fileAt: export, to: "out/export.csv")
        #expect(try TestFiles.same(export, server.files.appendingPathComponent("out/export.csv")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: server.files.appendingPathComponent("out").path)
            == ["export.csv"])
        try storage.download("out/export.csv", toFile: local.appendingPathComponent("copy.csv"))
        #expect(try TestFiles.same(export, local.appendingPathComponent("copy.csv")))
    }

    @Test func aServerWithAnotherHostKeyIsRefused() throws {
        let server = try SSHServer()
        defer { server.kill() }
        let wrong = "SHA256:" + Data(repeating: 7, count: 32).base64EncodedString().replacingOccurrences(of: "=", with: "")
        do {
            try sftp(server, hostKey: wrong).upload(Data("x".utf8), to: "a.csv")
            Issue.record("a host key with another fingerprint was accepted")
        } catch let error as TransferError {
            #expect(error.code == 60)  // CURLE_PEER_FAILED_VERIFICATION
            #expect(error.message.hasPrefix("upload to sftp://127.0.0.1:\(server.port)\(server.files.path)/a.csv failed: "))
            #expect(error.message.contains("host key does not match hostKey"))
        }
        let otherKey = server.directory.appendingPathComponent("other_host").path
        try Tool.run(SSHServer.keygen, ["-q", "-t", "ed25519", "-N", "", "-f", otherKey])
        let otherHosts = server.directory.appendingPathComponent("other_known_hosts")
        let publicKey = try String(contentsOfFile: otherKey + ".pub", encoding: .utf8).split(separator: " ").prefix(2)
        try "[127.0.0.1]:\(server.port) \(publicKey.joined(separator: " "))\n".write(to: otherHosts, atomically: true, encoding: .utf8)
        #expect { try sftp(server, knownHosts: otherHosts.path).list("") } throws: { error in
            (error as? TransferError)?.code == 60
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: server.files.path).isEmpty)
    }

    @Test func aKeyTheServerDoesNotKnowIsRefused() throws {
        let server = try SSHServer()
        defer { server.kill() }
        let stranger = server.directory.appendingPathComponent("stranger").path
        try Tool.run(SSHServer.keygen, ["-q", "-t", "ed25519", "-N", "", "-f", stranger])
        do {
            _ = try sftp(server, hostKey: server.hostKeySHA256, privateKey: stranger).list("")
            Issue.record("an unknown key was let in")
        } catch let error as TransferError {
            #expect(error.code == 67)  // CURLE_LOGIN_DENIED
            #expect(error.message.contains("check the username and the password or private key"))
        }
    }
}
