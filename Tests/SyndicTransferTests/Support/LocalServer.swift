import Foundation

/// A Python server script from this folder, run on 127.0.0.1 for one test and killed after.
final class LocalServer {
    let port: Int
    private let process: Process

    /// Starts `script` with `arguments`; it must print `port N` once listening.
    init(script: String, arguments: [String] = []) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(script)
        process.arguments = ["python3", path.path] + arguments
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
            Foundation.kill(process.processIdentifier, SIGKILL)
            throw Failure(description: "\(script) did not start: \(text)")
        }
        self.port = port
    }

    /// Kills the server now.
    func kill() {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { kill() }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }
}
