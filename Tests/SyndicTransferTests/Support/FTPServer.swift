import Foundation

/// A real FTP server (pyftpdlib, `ftp_server.py`) on 127.0.0.1, started and stopped by the test.
final class FTPServer {
    let home: URL
    let user = "partner"
    let password = "ftp-secret"
    private let server: LocalServer

    var port: Int { server.port }

    /// Starts the server with an empty home directory.
    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-ftp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        do {
            server = try LocalServer(script: "ftp_server.py", arguments: [home.path, user, password])
        } catch {
            throw LocalServer.Failure(description: "\(error) (is pyftpdlib installed? pip install pyftpdlib)")
        }
    }

    /// Stops the server now (a server that dies mid-test).
    func kill() { server.kill() }

    deinit {
        server.kill()
        try? FileManager.default.removeItem(at: home)
    }
}
