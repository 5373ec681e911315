import Foundation

/// A server process on 127.0.0.1 for one test (a Python script from `Scripts/`, or another
/// program such as sshd), killed when the test lets go of it.
final class LocalServer: @unchecked Sendable {
    let port: Int
    private let process: ChildProcess
    private let output = Output()

    /// Starts `Scripts/script` with `arguments`; it must print `port N` once listening.
    convenience init(script: String, arguments: [String] = []) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/\(script)")
        try self.init(name: script, executable: "/usr/bin/env", arguments: ["python3", path.path] + arguments) { text in
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("port ") }) else { return nil }
            return Int(line.dropFirst(5))
        }
    }

    /// Starts `executable` and waits (10 s at most) until `ready` finds the port in what it
    /// printed so far (standard output and error together).
    init(name: String, executable: String, arguments: [String], ready: @escaping (String) -> Int?) throws {
        process = try ChildProcess(executable, arguments)
        output.drain(process.output)
        guard let port = output.wait(until: ready, seconds: 10) else {
            process.kill()
            throw Failure(description: "\(name) did not start: \(output.text)")
        }
        self.port = port
    }

    /// What the server printed so far (the last 32 KiB or more), for diagnostics.
    var log: String { output.text }

    /// Kills the server now (a server that dies mid-test, or the end of a test).
    func kill() { process.kill() }

    deinit { kill() }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The server's output, read on a thread of its own so that a chatty server never blocks
    /// on a full pipe.
    private final class Output: @unchecked Sendable {
        private let condition = NSCondition()
        private var buffer = ""
        private var closed = false

        var text: String { condition.withLock { buffer } }

        func drain(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                while true {
                    let chunk = handle.availableData
                    condition.withLock {
                        if chunk.isEmpty { closed = true } else {
                            buffer += String(decoding: chunk, as: UTF8.self)
                            if buffer.utf8.count > 65536 { buffer = String(buffer.suffix(32768)) }
                        }
                        condition.broadcast()
                    }
                    if chunk.isEmpty { return }
                }
            }
        }

        /// The first non-nil `ready(text)`; nil when the output ends or time runs out first.
        func wait(until ready: (String) -> Int?, seconds: Double) -> Int? {
            let deadline = Date().addingTimeInterval(seconds)
            return condition.withLock {
                while true {
                    if let port = ready(buffer) { return port }
                    if closed || !condition.wait(until: deadline) { return nil }
                }
            }
        }
    }
}
