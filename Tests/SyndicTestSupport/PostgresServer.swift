import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL server on 127.0.0.1 for the tests: `initdb` into a temporary folder and
/// `pg_ctl` on a free port, as the `postgres` user when the tests run as root (PostgreSQL
/// refuses to run as root). One server per test process, started on first use and stopped
/// when the process exits; each test takes a database of its own (`makeDatabase()`).
///
/// Clients authenticate with a password (scram-sha-256), read from a passfile the URL names,
/// so the tests go through the same path as a merchant's deployment.
public final class PostgresServer: @unchecked Sendable {
    public let port: Int
    public let user = "syndic_test"
    /// The passfile holding the password (mode 0600).
    public let passfile: String
    /// The server's self-signed certificate (for 127.0.0.1), the root a `verify-full`
    /// client trusts: the server accepts TLS and plain connections alike.
    public let certificate: String
    let password: String
    let dataDirectory: String
    let root: String
    let binaries: String
    let runAs: String?
    private let lock = NSLock()

    /// The process's server, started on first use.
    public static func shared() throws -> PostgresServer {
        try sharedServer.get()
    }

    private static let sharedServer: Result<PostgresServer, any Error> = {
        do {
            let server = try PostgresServer()
            running = server
            atexit { PostgresServer.running?.shutdown() }
            return .success(server)
        } catch {
            return .failure(error)
        }
    }()

    nonisolated(unsafe) private static var running: PostgresServer?

    /// The PostgreSQL programs (`initdb`, `pg_ctl`): `SYNDIC_PG_BIN`, else the newest
    /// `/usr/lib/postgresql/N/bin`, else the `PATH`.
    static func findBinaries() throws -> String {
        if let configured = ProcessInfo.processInfo.environment["SYNDIC_PG_BIN"] { return configured }
        let base = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [])
            .compactMap(Int.init).sorted()
        if let newest = versions.last { return "\(base)/\(newest)/bin" }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        where FileManager.default.isExecutableFile(atPath: "\(directory)/initdb") {
            return String(directory)
        }
        throw TestSupportError("PostgreSQL is not installed (no initdb): scripts/install-deps installs Debian's postgresql")
    }

    private init() throws {
        binaries = try Self.findBinaries()
        runAs = geteuid() == 0 ? "postgres" : nil
        root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-pg-\(UUID().uuidString)").path
        dataDirectory = root + "/data"
        passfile = root + "/passfile"
        certificate = root + "/server.crt"
        password = UUID().uuidString
        port = try Self.freePort()
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        let pwfile = root + "/pwfile"
        FileManager.default.createFile(atPath: pwfile, contents: Data(password.utf8),
                                       attributes: [.posixPermissions: 0o644])
        if runAs != nil { try run("/bin/chown", ["postgres:postgres", root]) }
        try run(binaries + "/initdb", ["-D", dataDirectory, "-U", user, "--pwfile", pwfile, "-E", "UTF8",
                                       "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"], asServer: true)
        try? FileManager.default.removeItem(atPath: pwfile)
        try run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                                     "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", root + "/server.key",
                                     "-out", certificate])
        chmod(root + "/server.key", 0o600)
        if runAs != nil { try run("/bin/chown", ["postgres:postgres", root + "/server.key", certificate]) }
        FileManager.default.createFile(atPath: passfile, contents: Data("127.0.0.1:\(port):*:\(user):\(password)\n".utf8),
                                       attributes: [.posixPermissions: 0o600])
        try start()
    }

    /// Starts the server (again, after `stop()`), waiting until it accepts connections.
    public func start() throws {
        let options = "-c listen_addresses=127.0.0.1 -c port=\(port) -c unix_socket_directories='\(root)' "
            + "-c fsync=off -c full_page_writes=off -c max_connections=200 "
            + "-c ssl=on -c ssl_cert_file='\(certificate)' -c ssl_key_file='\(root)/server.key'"
        try run(binaries + "/pg_ctl", ["-D", dataDirectory, "-o", options, "-l", root + "/server.log", "-w",
                                       "-t", "60", "start"], asServer: true)
    }

    /// Stops the server at once (open connections are cut).
    public func stop() {
        try? run(binaries + "/pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"], asServer: true)
    }

    /// Stops the server and removes its folder (data, certificate, passfile).
    func shutdown() {
        stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A new empty database; returns its state URL.
    public func makeDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try psql("CREATE DATABASE \(name)")
        return url(database: name)
    }

    /// The state URL of a database of this server.
    public func url(database: String) -> String {
        "postgres://\(user)@127.0.0.1:\(port)/\(database)?sslmode=disable&passfile=\(passfile)"
    }

    /// Runs SQL as the superuser on the `postgres` database (through the local socket).
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        try run(binaries + "/psql", ["-h", root, "-p", String(port), "-U", user, "-d", database, "-X", "-q", "-A", "-t",
                                     "-v", "ON_ERROR_STOP=1", "-c", sql], asServer: true)
    }

    /// The server's log so far, for diagnostics.
    public var log: String { (try? String(contentsOfFile: root + "/server.log", encoding: .utf8)) ?? "" }

    @discardableResult
    private func run(_ executable: String, _ arguments: [String], asServer: Bool = false) throws -> String {
        let child = asServer && runAs != nil
            ? try ChildProcess("/usr/sbin/runuser", ["-u", runAs!, "--", executable] + arguments)
            : try ChildProcess(executable, arguments)
        let status = child.wait()
        let text = child.output.untilClosed(seconds: 10)
        guard status == 0 else {
            throw TestSupportError("\((executable as NSString).lastPathComponent) failed: \(text)")
        }
        return text
    }

    /// A TCP port free on 127.0.0.1 now.
    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSupportError("socket failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw TestSupportError("bind failed") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
