import Foundation
import Testing
@testable import SyndicTransfer

/// FTPS (explicit TLS on the control and data connections) against a real pyftpdlib server
/// with a self-signed certificate for 127.0.0.1.
@Suite(.serialized) struct CurlStorageFTPSTests {
    private func ftps(_ server: FTPServer, ca: String?, password: String? = nil) -> CurlStorage {
        CurlStorage(StorageLocation(kind: .ftps, host: "127.0.0.1", port: server.port, username: server.user,
                                    password: password ?? server.password, root: "outgoing",
                                    caCertificatePath: ca), timeout: 10)
    }

    @Test func everyOperationWorksOverTLS() throws {
        let server = try FTPServer(tls: true)
        defer { server.kill() }
        let storage = ftps(server, ca: server.certificate)
        let csv = Data("order_id;status\nA-1;SHIPPED\n".utf8)
        try storage.upload(csv, to: "orders/2026/05/orders.csv")
        let folder = server.home.appendingPathComponent("outgoing/orders/2026/05")
        #expect(try Data(contentsOf: folder.appendingPathComponent("orders.csv")) == csv)
        try storage.upload(Data("b".utf8), to: "orders/2026/05/b.csv", atomic: false)
        #expect(try storage.list("orders/2026/05") == ["b.csv", "orders.csv"])
        #expect(try storage.download("orders/2026/05/orders.csv") == csv)
        try storage.rename("orders/2026/05/b.csv", to: "orders/2026/05/c.csv")
        #expect(try storage.list("orders/2026/05") == ["c.csv", "orders.csv"])
        try storage.delete("orders/2026/05/c.csv")
        #expect(try storage.list("orders/2026/05") == ["orders.csv"])
    }

    @Test func anUnverifiableCertificateIsRefusedClearly() throws {
        let server = try FTPServer(tls: true)
        defer { server.kill() }
        let other = try Tool.temporaryDirectory("syndic-other-ca")
        defer { try? FileManager.default.removeItem(at: other) }
        let wrongCA = try Tool.selfSignedCertificate(in: other, name: "other").certificate
        for ca in [wrongCA, nil] {  // another CA, and the system's CAs
            do {
                try ftps(server, ca: ca).upload(Data("x".utf8), to: "a.csv")
                Issue.record("a certificate no CA signed was accepted (CA \(ca ?? "system"))")
            } catch let error as TransferError {
                #expect(error.code == 60)  // CURLE_PEER_FAILED_VERIFICATION
                #expect(error.message.hasPrefix("upload to ftp://127.0.0.1:\(server.port)/outgoing/a.csv failed: "))
                #expect(error.message.contains("set caFile"))
            }
        }
        #expect(!FileManager.default.fileExists(atPath: server.home.appendingPathComponent("outgoing").path))
    }

    @Test func aWrongPasswordIsRefusedWithoutShowingIt() throws {
        let server = try FTPServer(tls: true)
        defer { server.kill() }
        do {
            _ = try ftps(server, ca: server.certificate, password: "not-the-password").list("")
            Issue.record("a wrong password was accepted")
        } catch let error as TransferError {
            #expect(error.message.hasPrefix("listing of ftp://127.0.0.1:\(server.port)/outgoing/ failed: "))
            #expect(error.message.contains("check the username and password"))
            #expect(!error.message.contains("not-the-password"))
            #expect(!error.message.contains(server.password))
        }
    }
}
