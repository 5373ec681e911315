import Foundation

/// A server on 127.0.0.1 for one test — a simulator from `Tests/Simulators/`, a Python script
/// of a test target, or another program such as sshd — ready once it printed its port, killed
/// (SIGKILL) by `kill()` or when the test lets go of it.
public final class LocalServer: @unchecked Sendable {
    /// The port it listens on.
    public let port: Int
    /// The script it runs, for messages.
    public let script: String
    private let process: ChildProcess

    /// `Tests/Simulators/`, found from this file's place in the repository.
    public static let simulators = TestPaths.tests.appendingPathComponent("Simulators")

    /// Starts `Tests/Simulators/<script>` with `arguments` and waits (15 s at most) for its port.
    public convenience init(simulator script: String, arguments: [String] = []) throws {
        try self.init(python: Self.simulators.appendingPathComponent(script), arguments: arguments)
    }

    /// Starts the Python script at `path`; it must print `port N` once listening. It binds a
    /// port of the system's choosing, never one an earlier server of this process had (see
    /// `init(name:executable:arguments:newPort:ready:)`).
    public convenience init(python path: URL, arguments: [String] = []) throws {
        guard FileManager.default.fileExists(atPath: path.path) else { throw TestSupportError("no script \(path.path)") }
        try self.init(name: path.lastPathComponent, executable: "/usr/bin/env", arguments: ["python3", path.path] + arguments,
                      newPort: true, ready: Self.portLine)
    }

    /// Starts `executable` and waits (15 s at most) until `ready` finds the port in what it
    /// printed so far (standard output and error together). With `newPort` (a server that
    /// binds a port of the system's choosing), one that got a port an earlier server of this
    /// process had is started again (up to 8 times): clients keep tokens and quota buckets per
    /// address for the life of the process, and a test must not meet what an earlier test's
    /// server left there.
    public init(name: String, executable: String, arguments: [String], newPort: Bool = false,
                ready: @escaping (String) -> Int?) throws {
        script = name
        var attempt = 0
        while true {
            attempt += 1
            let started = try ChildProcess(executable, arguments)
            guard let found = started.output.wait(seconds: 15, until: ready) else {
                started.kill()
                throw TestSupportError("\(name) did not start: \(started.output.text)")
            }
            if Self.claim(found) || !newPort || attempt == 8 {
                process = started
                port = found
                return
            }
            started.kill()
        }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var ports: Set<Int> = []

    /// Records `port` as used; false when an earlier server of this process had it.
    private static func claim(_ port: Int) -> Bool {
        lock.withLock { ports.insert(port).inserted }
    }

    /// The port of a `port N` line.
    public static func portLine(_ text: String) -> Int? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("port ") }) else { return nil }
        return Int(line.dropFirst(5).trimmingCharacters(in: .whitespaces))
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
