import Foundation
import Testing
@testable import SyndicTransfer

/// The storage operations through libcurl, against a real FTP server and a local directory.
@Suite(.serialized) struct CurlStorageTests {
    private func ftp(_ server: FTPServer, root: String = "", password: String? = nil) -> CurlStorage {
        CurlStorage(StorageLocation(kind: .ftp, host: "127.0.0.1", port: server.port, username: server.user,
                                    password: password ?? server.password, root: root), timeout: 5)
    }

    @Test func ftpUploadCreatesFoldersAndEveryOperationWorks() throws {
        let server = try FTPServer()
        let storage = ftp(server, root: "outgoing")
        let csv = Data("order_id;status\nA-1;SHIPPED\n".utf8)
        try storage.upload(csv, to: "orders/2026/orders_export_mirakl_fr.csv")
        let onDisk = server.home.appendingPathComponent("outgoing/orders/2026/orders_export_mirakl_fr.csv")
        #expect(try Data(contentsOf: onDisk) == csv)
        try storage.upload(Data("second".utf8), to: "orders/2026/b.csv")
        try FileManager.default.createDirectory(at: server.home.appendingPathComponent("outgoing/orders/2026/rejected"),
                                                withIntermediateDirectories: true)
        #expect(try storage.list("orders/2026").filter { $0 != "rejected" } == ["b.csv", "orders_export_mirakl_fr.csv"])
        #expect(try storage.download("orders/2026/orders_export_mirakl_fr.csv") == csv)
        try storage.rename("orders/2026/b.csv", to: "orders/2026/rejected/b.csv")
        #expect(FileManager.default.fileExists(atPath: server.home.appendingPathComponent("outgoing/orders/2026/rejected/b.csv").path))
        try storage.delete("orders/2026/orders_export_mirakl_fr.csv")
        #expect(!FileManager.default.fileExists(atPath: onDisk.path))
    }

    /// Size and modification time without reading the file: FTP SIZE and MDTM, the file
    /// system locally; both change when the file grows.
    @Test func statReportsSizeAndTimeAndSeesAFileGrow() throws {
        let server = try FTPServer()
        let storage = ftp(server)
        try storage.upload(Data("12345".utf8), to: "in/a.csv")
        let first = try storage.stat("in/a.csv")
        #expect(first.size == 5)
        #expect(first.modified != nil)
        let file = server.home.appendingPathComponent("in/a.csv")
        try Data("1234567890".utf8).write(to: file)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: file.path)
        let second = try storage.stat("in/a.csv")
        #expect(second.size == 10)
        #expect(second != first)
        #expect(throws: TransferError.self) { try storage.stat("in/missing.csv") }

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-local-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let local = CurlStorage(.local(root.path))
        try local.upload(Data("abc".utf8), to: "x.csv")
        #expect(try local.stat("x.csv").size == 3)
        #expect(throws: TransferError.self) { try local.stat("nope.csv") }
    }

    @Test func refusalsAreClearAndNameNoSecret() throws {
        let server = try FTPServer()
        let wrong = ftp(server, password: "not-the-password")
        do {
            try wrong.upload(Data("x".utf8), to: "a.csv")
            Issue.record("a wrong password was accepted")
        } catch let error as TransferError {
            #expect(error.message.hasPrefix("upload to ftp://127.0.0.1:\(server.port)/a.csv failed: "))
            #expect(error.responseCode == 530)
            #expect(!error.message.contains("not-the-password"))
            #expect(!error.message.contains(server.password))
        }
        do {
            _ = try ftp(server).download("missing.csv")
            Issue.record("a missing file was downloaded")
        } catch let error as TransferError {
            #expect(error.message.contains("download of ftp://127.0.0.1:\(server.port)/missing.csv failed"))
            #expect(error.responseCode == 550)
        }
    }

    @Test func aServerThatIsGoneFailsWithinTheTimeout() throws {
        let server = try FTPServer()
        let storage = ftp(server)
        server.kill()
        let started = Date()
        #expect(throws: TransferError.self) { try storage.upload(Data("x".utf8), to: "a.csv") }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func localStorageWritesThroughLibcurl() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-local-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let storage = CurlStorage(.local(root.path))
        let bytes = Data("sku,title\n1,Chaussure été\n".utf8)
        try storage.upload(bytes, to: "/partner feed/products_export.csv")
        #expect(try Data(contentsOf: root.appendingPathComponent("partner feed/products_export.csv")) == bytes)
        #expect(try storage.download("partner feed/products_export.csv") == bytes)
        #expect(try storage.list("partner feed") == ["products_export.csv"])
        try storage.rename("partner feed/products_export.csv", to: "archive/p.csv")
        #expect(try storage.list("archive") == ["p.csv"])
        try storage.delete("archive/p.csv")
        #expect(try storage.list("archive").isEmpty)
        #expect(throws: TransferError.self) { try storage.download("archive/p.csv") }
    }

    /// A local folder that does not exist is an error naming it, not an empty folder; an
    /// upload still creates it.
    @Test func listingAMissingLocalFolderFails() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-local-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let storage = CurlStorage(.local(root.path))
        #expect { try storage.list("incoming") } throws: { error in
            guard let failure = error as? TransferError else { return false }
            return failure.message == "listing of file://\(root.path)/incoming/ failed: the folder \(root.path)/incoming does not exist; "
                + "create it, or check the connection's path and the folder"
        }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        #expect(try storage.list("").isEmpty)
        try Data("x".utf8).write(to: root.appendingPathComponent("file.csv"))
        #expect { try storage.list("file.csv") } throws: { error in
            (error as? TransferError)?.message.hasSuffix("\(root.path)/file.csv is not a folder") == true
        }
        try storage.upload(Data("a".utf8), to: "incoming/new/a.csv")
        #expect(try storage.list("incoming/new") == ["a.csv"])
        #expect(try storage.list("incoming").isEmpty)
    }

    /// FTP refuses to list a folder that does not exist: an error with the folder's URL.
    @Test func listingAMissingFTPFolderFails() throws {
        let server = try FTPServer()
        let storage = ftp(server, root: "outgoing")
        try storage.upload(Data("x".utf8), to: "present/a.csv")
        #expect(try storage.list("present") == ["a.csv"])
        #expect { try storage.list("missing") } throws: { error in
            guard let failure = error as? TransferError else { return false }
            return failure.message.hasPrefix("listing of ftp://127.0.0.1:\(server.port)/outgoing/missing/ failed: ")
                && failure.message.hasSuffix("; check that the folder exists and that the user may read it")
                && failure.responseCode == 550
        }
    }

    @Test func urlsCarryNoCredentials() {
        let location = StorageLocation(kind: .sftp, host: "h.example", port: 22, username: "u", password: "p",
                                       root: "/srv/in")
        #expect(location.url("a b.csv") == "sftp://h.example:22/srv/in/a%20b.csv")
        #expect(StorageLocation(kind: .ftp, host: "h", root: "/abs").url("x") == "ftp://h/%2Fabs/x")
        #expect(StorageLocation(kind: .ftp, host: "h", root: "rel").url("x", directory: true) == "ftp://h/rel/x/")
        // SFTP paths are absolute; a relative root is under the home directory.
        #expect(StorageLocation(kind: .sftp, host: "h", root: "in").url("a.csv") == "sftp://h/~/in/a.csv")
    }

    @Test(arguments: [("a.csv", ".a.csv.part"), ("orders/2026/a.csv", "orders/2026/.a.csv.part"),
                      ("/partner feed/x.csv", "/partner feed/.x.csv.part")])
    func atomicUploadsWriteAHiddenPartFileBeside(_ path: String, _ part: String) {
        #expect(StorageLocation.partName(path) == part)
    }

    @Test func sftpCommandsQuotePaths() {
        #expect(CurlStorage.sftpQuoted(#"/in/a "b"\c.csv"#) == #""/in/a \"b\"\\c.csv""#)
    }
}
