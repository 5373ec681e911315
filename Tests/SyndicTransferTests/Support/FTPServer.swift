import Foundation

/// A real FTP server (pyftpdlib) on 127.0.0.1, started and stopped by the test.
final class FTPServer {
    let home: URL
    let port: Int
    let user = "partner"
    let password = "ftp-secret"
    private let process: Process

    /// Starts the server with an empty home directory.
    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-ftp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ftp_server.py")
        process.arguments = ["python3", script.path, home.path, user, password]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix("port "), let port = Int(line.dropFirst(5)) else {
            process.terminate()
            throw ServerFailure(description: "the FTP server did not start (is pyftpdlib installed? pip install pyftpdlib): \(text)")
        }
        self.port = port
    }

    /// Stops the server now (a server that dies mid-test).
    func kill() {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(at: home)
    }

    struct ServerFailure: Error, CustomStringConvertible {
        let description: String
    }
}
