import Foundation
import SyndicCore
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// The isolation of a write transaction.
public enum PGIsolation: String, Sendable {
    /// Each statement sees what committed before it; rows locked with `FOR UPDATE` (`SKIP
    /// LOCKED`) serialize the writers that touch them. For the run queue's claims.
    case readCommitted = "READ COMMITTED"
    /// As if the transactions ran one after the other (SQLite's single writer); a transaction
    /// that loses to a concurrent one is run again.
    case serializable = "SERIALIZABLE"
}

/// A small pool of PostgreSQL connections used synchronously: a store method borrows a
/// connection for one transaction and gives it back. A connection the server dropped (a
/// restart, a network cut) is discarded, and the next transaction opens a new one; a
/// transaction that failed that way before its COMMIT was sent runs again on a new
/// connection, as does a serializable transaction that lost to a concurrent one.
public final class PGPool: @unchecked Sendable {
    public let location: PostgresLocation
    private let password: String?
    private let applicationName: String
    private let capacity: Int
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var nextID = 0
    private let logger: Logger
    private let tls: PostgresConnection.Configuration.TLS

    /// A pool for `location`; connects lazily (`check()` connects at once).
    public init(location: PostgresLocation, capacity: Int = 4, applicationName: String = "syndic") throws {
        self.location = location
        self.capacity = max(1, capacity)
        self.applicationName = applicationName
        do {
            password = try location.password()
        } catch let error as PostgresLocationError {
            throw StoreError.unavailable(path: location.description, reason: error.description)
        }
        logger = Logger(label: "syndic.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        tls = try Self.tls(for: location)
    }

    deinit {
        for connection in idle { Self.closeAndWait(connection) }
    }

    /// Opens a connection now, so that a wrong URL fails before any work.
    public func check() throws {
        try withSession { session in _ = try session.execute("SELECT 1") }
    }

    /// Runs `body` in a read-only transaction that sees one snapshot.
    public func read<T>(_ body: (PGSession) throws -> T) throws -> T {
        try transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// Runs `body` in a write transaction, committed when it returns and rolled back when
    /// it throws. `body` may run more than once (see the type's summary): it must only talk
    /// to the database and compute its result.
    @discardableResult
    public func write<T>(isolation: PGIsolation = .serializable, _ body: (PGSession) throws -> T) throws -> T {
        try transaction(begin: "BEGIN ISOLATION LEVEL \(isolation.rawValue)", body)
    }

    /// Runs `body` on one connection outside any transaction (each statement commits alone).
    public func withSession<T>(_ body: (PGSession) throws -> T) throws -> T {
        let connection = try checkout()
        let session = PGSession(connection: connection, logger: logger, location: location)
        do {
            let result = try body(session)
            checkin(connection)
            return result
        } catch {
            checkin(connection, broken: connection.isClosed)
            throw error
        }
    }

    /// A connection of its own, outside the pool, for a lock held as long as the connection
    /// lives (the server releases it when the connection closes, or the process dies).
    public func dedicatedSession(applicationName name: String) throws -> PGSession {
        PGSession(connection: try connect(applicationName: name), logger: logger, location: location)
    }

    /// Closes a dedicated session's connection.
    public func close(_ session: PGSession) {
        Self.closeAndWait(session.connection)
    }

    /// Closes a connection and waits until it is closed (a connection must be closed before
    /// it is released).
    static func closeAndWait(_ connection: PostgresConnection) {
        if connection.isClosed { return }
        let closing: EventLoopFuture<Void> = connection.close()
        _ = try? closing.wait()
    }

    private func transaction<T>(begin: String, _ body: (PGSession) throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            let connection = try checkout()
            let session = PGSession(connection: connection, logger: logger, location: location)
            do {
                try session.execute(begin)
                let result = try body(session)
                session.commitSent = true
                try session.execute("COMMIT")
                checkin(connection)
                return result
            } catch {
                if connection.isClosed || session.lost {
                    checkin(connection, broken: true)
                    // The others were opened to the same server: after a restart they are gone too.
                    dropIdleConnections()
                    // Lost before COMMIT: the server rolled the transaction back; run it again once.
                    if !session.commitSent && attempt < 2 { continue }
                    throw error
                }
                _ = try? session.execute("ROLLBACK")
                checkin(connection, broken: connection.isClosed)
                if let error = error as? PGError, error.isRetryable, attempt < 20 {
                    usleep(UInt32.random(in: 1_000...20_000) * UInt32(min(attempt, 5)))
                    continue
                }
                throw error
            }
        }
    }

    private func checkout() throws -> PostgresConnection {
        condition.lock()
        while idle.isEmpty && open >= capacity { condition.wait() }
        if let connection = idle.popLast() {
            condition.unlock()
            if !connection.isClosed { return connection }
            condition.lock()
            open -= 1
            condition.unlock()
            Self.closeAndWait(connection)
            return try checkout()
        }
        open += 1
        condition.unlock()
        do {
            return try connect(applicationName: applicationName)
        } catch {
            condition.lock()
            open -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    /// Closes the idle connections, so that the next transactions open new ones.
    private func dropIdleConnections() {
        condition.lock()
        let dropped = idle
        idle.removeAll()
        open -= dropped.count
        condition.broadcast()
        condition.unlock()
        for connection in dropped { Self.closeAndWait(connection) }
    }

    private func checkin(_ connection: PostgresConnection, broken: Bool = false) {
        condition.lock()
        if broken || connection.isClosed {
            open -= 1
            condition.signal()
            condition.unlock()
            Self.closeAndWait(connection)
            return
        }
        idle.append(connection)
        condition.signal()
        condition.unlock()
    }

    private func connect(applicationName name: String) throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: password,
            database: location.database, tls: tls)
        configuration.options.connectTimeout = .seconds(Int64(location.connectTimeout))
        configuration.options.additionalStartupParameters = [("application_name", name)]
        condition.lock()
        nextID += 1
        let id = nextID
        condition.unlock()
        do {
            return try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(),
                                                  configuration: configuration, id: id, logger: logger).wait()
        } catch {
            throw StoreError.unavailable(path: location.description,
                                         reason: "cannot connect to \(location.host):\(location.port): "
                                             + Self.reason(error))
        }
    }

    private static func tls(for location: PostgresLocation) throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch location.sslMode {
        case .disable: return .disable
        case .allow, .prefer, .require:
            configuration.certificateVerification = .none
        case .verifyCA:
            configuration.certificateVerification = .noHostnameVerification
        case .verifyFull:
            configuration.certificateVerification = .fullVerification
        }
        if let file = location.sslRootCert, location.sslMode == .verifyCA || location.sslMode == .verifyFull {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw StoreError.unavailable(path: location.description, reason: "cannot read sslrootcert \(file)")
            }
            configuration.trustRoots = .file(file)
        }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw StoreError.unavailable(path: location.description, reason: "TLS setup failed: \(error)")
        }
        switch location.sslMode {
        case .allow, .prefer: return .prefer(context)
        default: return .require(context)
        }
    }

    /// A driver error as the store reports it: the server's refusal as `PGError`, a lost
    /// connection as `StoreError.unavailable`. Neither repeats the password.
    static func translate(_ error: any Error, location: PostgresLocation, connection: PostgresConnection) -> any Error {
        if let error = error as? PSQLError {
            if error.code == .server, let info = error.serverInfo {
                return PGError(message: info[.message] ?? "refused", sqlState: info[.sqlState], detail: info[.detail])
            }
            if error.code == .queryCancelled {
                return PGError(message: "the statement was cancelled", sqlState: "57014", detail: nil)
            }
        }
        return StoreError.unavailable(path: location.description,
                                      reason: "lost the connection to \(location.host):\(location.port): "
                                          + reason(error))
    }

    /// A short reason for a connection error: the server's own message, or what the network
    /// said in plain words.
    static func reason(_ error: any Error) -> String {
        var text = "\(error)"
        if let error = error as? PSQLError {
            if error.code == .server, let info = error.serverInfo {
                return info[.message] ?? "refused"
            }
            text = error.underlying.map { "\($0)" } ?? "\(error.code)"
        }
        let known = [
            ("Connection refused", "connection refused (is PostgreSQL running and listening there?)"),
            ("connectTimeout", "no answer before connect_timeout"),
            ("timed out", "no answer before connect_timeout"),
            ("Name or service not known", "unknown host"),
            ("No address associated", "unknown host"),
            ("sslUnsupported", "the server does not accept TLS (sslmode=disable, or enable TLS on the server)"),
        ]
        for (needle, plain) in known where text.contains(needle) { return plain }
        return text
    }
}
