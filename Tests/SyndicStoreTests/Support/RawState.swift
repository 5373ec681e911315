import Foundation
import GRDB
import SyndicCore
@testable import SyndicStore

/// A state's tables read and written directly, on either backend, for what the stores do
/// not show (a raw column, a row count) and rows only another process would write. One
/// statement serves both dialects: text, integers, booleans and dates bind on both.
enum RawState {
    /// A value both backends bind.
    typealias Argument = any DatabaseValueConvertible & PGBind

    /// Runs a statement in a write transaction.
    static func execute(_ store: any StateStore, _ sql: String, _ arguments: [Argument] = []) throws {
        if let store = store as? SQLiteStateStore {
            try store.pool.write { db in try db.execute(sql: sql, arguments: sqliteArguments(arguments)) }
        } else {
            _ = try postgresStore(store).pool.write { session in try session.execute(sql, postgresBinds(arguments)) }
        }
    }

    /// The integer a query gives (0 when it gives none), such as a `COUNT(*)`.
    static func count(_ store: any StateStore, _ sql: String, _ arguments: [Argument] = []) throws -> Int {
        try read(store, sqlite: { db in try Int.fetchOne(db, sql: sql, arguments: sqliteArguments(arguments)) },
                 postgres: { session in try session.value(sql, postgresBinds(arguments), as: Int.self) }) ?? 0
    }

    /// The text a query gives, if any.
    static func text(_ store: any StateStore, _ sql: String, _ arguments: [Argument] = []) throws -> String? {
        try read(store, sqlite: { db in try String.fetchOne(db, sql: sql, arguments: sqliteArguments(arguments)) },
                 postgres: { session in try session.value(sql, postgresBinds(arguments), as: String.self) })
    }

    /// The date a query gives, if any.
    static func date(_ store: any StateStore, _ sql: String, _ arguments: [Argument] = []) throws -> Date? {
        try read(store, sqlite: { db in try Date.fetchOne(db, sql: sql, arguments: sqliteArguments(arguments)) },
                 postgres: { session in try session.value(sql, postgresBinds(arguments), as: Date.self) })
    }

    /// The column names of a table, from the database's catalog.
    static func columns(_ store: any StateStore, of table: String) throws -> [String] {
        try read(store, sqlite: { db in
            try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table])
        }, postgres: { session in
            try session.rows("""
                SELECT column_name::text FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = ?
                """, [table]).map { try $0.get(0, as: String.self) }
        })
    }

    /// Runs `sqlite` or `postgres`, as the store's backend asks, in a read transaction.
    private static func read<T>(_ store: any StateStore, sqlite: (Database) throws -> T,
                                postgres: (PGSession) throws -> T) throws -> T {
        if let store = store as? SQLiteStateStore { return try store.pool.read(sqlite) }
        return try postgresStore(store).pool.read(postgres)
    }

    /// The store as a PostgreSQL one; the tests know no third backend.
    static func postgresStore(_ store: any StateStore) throws -> PostgresStateStore {
        guard let store = store as? PostgresStateStore else {
            throw RuntimeFixtures.FixtureError("\(type(of: store)) is neither a SQLite nor a PostgreSQL state")
        }
        return store
    }

    private static func sqliteArguments(_ arguments: [Argument]) -> StatementArguments {
        StatementArguments(arguments.map { $0 as (any DatabaseValueConvertible)? })
    }

    private static func postgresBinds(_ arguments: [Argument]) -> [(any PGBind)?] {
        arguments.map { $0 as (any PGBind)? }
    }
}
