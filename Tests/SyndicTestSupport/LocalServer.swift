import Foundation

/// A simulator from `Tests/Simulators/` running on 127.0.0.1 for one test: started with
/// `python3 <script> <arguments>`, ready once it printed `port N`, killed (SIGKILL) by `kill()`
/// or when the test lets go of it.
public final class LocalServer: @unchecked Sendable {
    /// The port it listens on.
    public let port: Int
    /// The script it runs, for messages.
    public let script: String
    private let process: ChildProcess

    /// `Tests/Simulators/`, found from this file's place in the repository.
    public static let simulators = TestPaths.tests.appendingPathComponent("Simulators")

    /// Starts `Tests/Simulators/<script>` with `arguments` and waits (15 s at most) for its port.
    public init(simulator script: String, arguments: [String] = []) throws {
        self.script = script
        let path = Self.simulators.appendingPathComponent(script).path
        guard FileManager.default.fileExists(atPath: path) else { throw TestSupportError("no simulator \(path)") }
        process = try ChildProcess("/usr/bin/env", ["python3", path] + arguments)
        let found = process.output.wait(seconds: 15) { text -> Int? in
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("port ") }) else { return nil }
            return Int(line.dropFirst(5).trimmingCharacters(in: .whitespaces))
        }
        guard let found else {
            process.kill()
            throw TestSupportError("\(script) did not start: \(process.output.text)")
        }
        port = found
    }

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// What the server printed so far, for diagnostics.
    public var log: String { process.output.text }

    /// The control routes (`/_sim/…`) of this simulator.
    public var control: SimulatorControl { SimulatorControl(baseURL: baseURL) }

    /// Kills the server now.
    public func kill() { process.kill() }

    deinit { kill() }
}

/// Places in the repository, found from this file's path.
public enum TestPaths {
    /// `Tests/`.
    public static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    /// The repository's root.
    public static let repository = tests.deletingLastPathComponent()

    /// A port on 127.0.0.1 that nothing listens on (bound, then closed at once).
    public static func closedPort() throws -> Int {
        #if os(Linux)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw TestSupportError("cannot open a socket") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw TestSupportError("cannot bind a socket on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
