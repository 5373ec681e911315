import Foundation
import SyndicCore
import Logging
import NIOCore
import PostgresNIO

/// One PostgreSQL connection lent to a transaction (or to a lock holder): statements run
/// one after the other, synchronously, on the caller's thread, which waits for the answer.
/// Statements use `?` placeholders (or `$1`…); see `PGBind` for the values they take.
public final class PGSession: @unchecked Sendable {
    let connection: PostgresConnection
    let logger: Logger
    /// The location, for errors.
    let location: PostgresLocation
    /// Set once COMMIT was sent: a connection lost after it leaves the outcome unknown.
    var commitSent = false
    /// Set when a statement failed because the connection is gone (not refused by the server).
    var lost = false

    init(connection: PostgresConnection, logger: Logger, location: PostgresLocation) {
        self.connection = connection
        self.logger = logger
        self.location = location
    }

    /// Runs a statement; returns how many rows it changed (or returned).
    @discardableResult
    public func execute(_ sql: String, _ binds: [(any PGBind)?] = []) throws -> Int {
        try run(sql, binds).metadata.rows ?? 0
    }

    /// Every row a query returns.
    public func rows(_ sql: String, _ binds: [(any PGBind)?] = []) throws -> [PGRow] {
        try run(sql, binds).rows.map(PGRow.init)
    }

    /// The first row a query returns, if any.
    public func row(_ sql: String, _ binds: [(any PGBind)?] = []) throws -> PGRow? {
        try rows(sql, binds).first
    }

    /// The first column of the first row (nil when there is no row or it is NULL).
    public func value<T: PostgresDecodable>(_ sql: String, _ binds: [(any PGBind)?] = [], as type: T.Type = T.self)
        throws -> T? {
        guard let row = try row(sql, binds), !row.isNull(0) else { return nil }
        return try row.get(0, as: T.self)
    }

    /// Waits for a statement's answer, or fails once the connection is closed: a statement
    /// written to a connection that closed meanwhile is dropped without an answer, and would
    /// be waited for forever (a worker would hang after a server restart).
    static func answer(_ future: EventLoopFuture<PostgresQueryResult>,
                       on connection: PostgresConnection) throws -> PostgresQueryResult {
        let promise = future.eventLoop.makePromise(of: PostgresQueryResult.self)
        future.cascade(to: promise)
        let watch = future.eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(500), delay: .milliseconds(500)) {
            task in
            guard connection.isClosed else { return }
            // A second completion is ignored: an answer that came first wins.
            promise.fail(PGConnectionClosed())
            task.cancel()
        }
        defer { watch.cancel() }
        return try promise.futureResult.wait()
    }

    private func run(_ sql: String, _ binds: [(any PGBind)?]) throws -> PostgresQueryResult {
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            if let bind { bind.bind(into: &bindings) } else { bindings.appendNull() }
        }
        let query = PostgresQuery(unsafeSQL: PGStatement.numbered(sql), binds: bindings)
        do {
            return try Self.answer(connection.query(query, logger: logger), on: connection)
        } catch {
            let translated = PGPool.translate(error, location: location, connection: connection)
            if !(translated is PGError) { lost = true }
            throw translated
        }
    }
}

/// The connection closed before a statement was answered.
struct PGConnectionClosed: Error, CustomStringConvertible {
    var description: String { "the connection was closed before the statement was answered" }
}
