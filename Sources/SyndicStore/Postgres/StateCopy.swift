import Foundation
import SyndicCore
import GRDB

/// Copies a SQLite state into an empty PostgreSQL state in one transaction: every table, row
/// by row with its values converted to PostgreSQL's types, identity counters moved past the
/// copied ids, and the row counts of both sides compared before the commit. The way to move
/// a merchant from one host to several (`syndic state migrate --to postgres://…`).
public enum StateCopy {
    /// The tables, parents before the tables that reference them.
    static let tables = [
        "meta", "resource", "credential", "suspension", "revision", "revision_change", "source_file",
        "source_resource", "job_schedule", "run", "run_log", "event", "export_snapshot", "export_snapshot_part",
        "export_record", "run_artifact", "requirement_set", "orders", "order_line", "shipment", "shipment_item",
        "shipment_request", "order_event", "order_error", "order_cursor", "api_token", "api_idempotency", "counter",
        "console_login_code", "console_session",
    ]

    /// Rows read before they are written (in INSERTs of `PostgresStateStore.insertBatchRows`).
    static let batchRows = 500

    /// Tables a database holds without holding a state: written on opening (`meta`, `counter`)
    /// or by the console's login links and sessions.
    static let scratchTables: Set<String> = ["meta", "counter", "console_login_code", "console_session"]

    /// What was copied: rows per table, in copy order.
    public struct Summary: Sendable {
        public var rows: [(table: String, count: Int)] = []
        public var total: Int { rows.reduce(0) { $0 + $1.count } }
    }

    /// Errors that stop a copy before anything is written.
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// Copies `source` into `target`, which must hold no state yet (a new database, or one
    /// only opened). Nothing is written unless every table's count matches.
    public static func copy(from source: SQLiteStateStore, to target: PostgresStateStore,
                            progress: (String, Int) -> Void = { _, _ in }) throws -> Summary {
        try target.pool.write(isolation: .serializable) { session in
            try refuseUnlessEmpty(session, target: target)
            var summary = Summary()
            // Rows a new database gets by being opened (and console links issued on it) give
            // way to the copied ones.
            for table in scratchTables { try session.execute("DELETE FROM \(table)") }
            for table in tables {
                let columns = try targetColumns(session, table: table)
                let count = try copyTable(table, columns: columns, from: source, into: session)
                let copied = try session.value("SELECT COUNT(*)::bigint FROM \(table)", as: Int.self) ?? 0
                guard copied == count else {
                    throw Refusal(description: "table \(table): \(count) rows read but \(copied) stored; nothing was copied")
                }
                try resetIdentity(session, table: table)
                summary.rows.append((table, count))
                progress(table, count)
            }
            return summary
        }
    }

    /// Refuses a target that already holds resources, runs or orders.
    static func refuseUnlessEmpty(_ session: PGSession, target: PostgresStateStore) throws {
        for table in tables where !scratchTables.contains(table) {
            if try session.row("SELECT 1 FROM \(table) LIMIT 1") != nil {
                throw Refusal(description: "the database \(target.location) already holds a state (table \(table) has "
                    + "rows); migrate into a new, empty database")
            }
        }
        let serial = try session.value("SELECT value FROM meta WHERE key = 'serial'", as: String.self)
        if let serial, serial != "0" {
            throw Refusal(description: "the database \(target.location) already holds a state (serial \(serial)); "
                + "migrate into a new, empty database")
        }
    }

    /// The target table's columns and their PostgreSQL types, in order.
    static func targetColumns(_ session: PGSession, table: String) throws -> [(name: String, type: String)] {
        try session.rows("""
            SELECT column_name::text, data_type::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position
            """, [table]).map { (try $0.get(0, as: String.self), try $0.get(1, as: String.self)) }
    }

    /// Streams one table from SQLite into batched INSERTs; returns the rows read.
    static func copyTable(_ table: String, columns: [(name: String, type: String)], from source: SQLiteStateStore,
                          into session: PGSession) throws -> Int {
        let sourceColumns = try source.pool.read { db in try Set(db.columns(in: table).map(\.name)) }
        let shared = columns.filter { sourceColumns.contains($0.name) }
        let names = shared.map { "\"\($0.name)\"" }.joined(separator: ", ")
        var count = 0
        var batch: [[(any PGBind)?]] = []
        func flush() throws {
            try PostgresStateStore.insertRows(session, "INSERT INTO \(table) (\(names))", batch)
            batch.removeAll(keepingCapacity: true)
        }
        try source.pool.read { db in
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(names) FROM \(table)")
            while let row = try cursor.next() {
                var values: [(any PGBind)?] = []
                values.reserveCapacity(shared.count)
                for (index, column) in shared.enumerated() {
                    values.append(try convert(row[index] as DatabaseValue, to: column.type, table: table,
                                              column: column.name))
                }
                batch.append(values)
                count += 1
                if batch.count >= batchRows { try flush() }
            }
        }
        try flush()
        return count
    }

    /// Moves an identity column's counter past the copied ids.
    static func resetIdentity(_ session: PGSession, table: String) throws {
        let identity = try session.value("""
            SELECT column_name::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = ? AND is_identity = 'YES'
            """, [table], as: String.self)
        guard let identity else { return }
        try session.execute("""
            SELECT setval(pg_get_serial_sequence('\(table)', '\(identity)'), COALESCE(MAX(\(identity)), 0) + 1, false)
            FROM \(table)
            """)
    }

    /// A SQLite value as the PostgreSQL column's type.
    static func convert(_ value: DatabaseValue, to type: String, table: String, column: String) throws
        -> (any PGBind)? {
        func refuse() -> Refusal {
            Refusal(description: "table \(table), column \(column): the value \(value) does not fit \(type)")
        }
        switch value.storage {
        case .null:
            return nil
        case .int64(let number):
            switch type {
            case "boolean": return number != 0
            case "double precision": return Double(number)
            case "text": return String(number)
            case "timestamp with time zone": return Date(timeIntervalSince1970: Double(number))
            default: return number
            }
        case .double(let number):
            switch type {
            case "bigint": return Int64(number)
            case "text": return String(number)
            case "timestamp with time zone": return Date(timeIntervalSince1970: number)
            default: return number
            }
        case .string(let text):
            switch type {
            case "timestamp with time zone":
                guard let date = Date.fromDatabaseValue(value) else { throw refuse() }
                return date
            case "bigint":
                guard let number = Int64(text) else { throw refuse() }
                return number
            case "boolean": return text != "0" && !text.isEmpty
            case "bytea": return Data(text.utf8)
            default: return text
            }
        case .blob(let data):
            switch type {
            case "text": return String(decoding: data, as: UTF8.self)
            default: return data
            }
        }
    }
}
