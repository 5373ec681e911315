import Foundation
import GRDB
import GRDBSQLite

/// The parameters of a prepared statement, bound in order straight through SQLite's
/// `sqlite3_bind_*` from the Swift values: for statements run thousands of times, where GRDB's
/// `StatementArguments` would box every value and convert it again. Text is bound with its
/// length (a NUL byte included) and copied by SQLite; empty text stays text, never NULL.
struct StatementParameters {
    private let statement: SQLiteStatement
    /// Parameters bound so far.
    private(set) var count: CInt = 0

    /// Starts binding `statement` from its first parameter. The statement's own arguments
    /// are emptied first, so that running it without arguments keeps these bindings.
    init(_ statement: Statement) {
        statement.setUncheckedArguments(StatementArguments())
        self.statement = statement.sqliteStatement
    }

    mutating func append(_ text: String) {
        var text = text
        let code = text.withUTF8 { bytes in
            // An empty buffer may have no address: bind the empty text, never NULL.
            guard let base = bytes.baseAddress else { return sqlite3_bind_text(statement, count + 1, "", 0, Self.transient) }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(statement, count + 1, $0, CInt(bytes.count), Self.transient)
            }
        }
        advance(code)
    }

    mutating func append(_ text: String?) {
        if let text { append(text) } else { advance(sqlite3_bind_null(statement, count + 1)) }
    }

    mutating func append(_ number: Int64) {
        advance(sqlite3_bind_int64(statement, count + 1, number))
    }

    mutating func append(_ number: Int) {
        append(Int64(number))
    }

    mutating func append(_ value: DatabaseValue) {
        switch value.storage {
        case .null: advance(sqlite3_bind_null(statement, count + 1))
        case .int64(let number): append(number)
        case .double(let number): advance(sqlite3_bind_double(statement, count + 1, number))
        case .string(let text): append(text)
        case .blob(let data):
            let code = data.withUnsafeBytes { bytes in
                guard let base = bytes.baseAddress, bytes.count > 0 else { return sqlite3_bind_zeroblob(statement, count + 1, 0) }
                return sqlite3_bind_blob(statement, count + 1, base, CInt(bytes.count), Self.transient)
            }
            advance(code)
        }
    }

    private mutating func advance(_ code: CInt) {
        count += 1
        precondition(code == SQLITE_OK, "binding parameter \(count) failed (\(code))")
    }

    /// SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
