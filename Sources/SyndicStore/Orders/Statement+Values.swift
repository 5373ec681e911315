import Foundation
import GRDB
import GRDBSQLite

extension Statement {
    /// Binds `values` to the statement's parameters in order, straight through SQLite's
    /// `sqlite3_bind_*` (the statement's own arguments are emptied first, so that running it
    /// without arguments keeps these bindings). For statements run thousands of times with
    /// values already converted: GRDB's `StatementArguments` would convert each value again.
    /// The caller gives exactly one value per parameter.
    func bind(_ values: [DatabaseValue]) {
        setUncheckedArguments(StatementArguments())
        let statement = sqliteStatement
        for (offset, value) in values.enumerated() {
            let index = CInt(offset + 1)
            let code: CInt
            switch value.storage {
            case .null:
                code = sqlite3_bind_null(statement, index)
            case .int64(let number):
                code = sqlite3_bind_int64(statement, index, number)
            case .double(let number):
                code = sqlite3_bind_double(statement, index, number)
            case .string(let text):
                var text = text
                code = text.withUTF8 { bytes in
                    // An empty buffer may have no address: bind the empty text, never NULL.
                    guard let base = bytes.baseAddress else { return sqlite3_bind_text(statement, index, "", 0, Self.transient) }
                    return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                        sqlite3_bind_text(statement, index, $0, CInt(bytes.count), Self.transient)
                    }
                }
            case .blob(let data):
                code = data.withUnsafeBytes { bytes in
                    guard let base = bytes.baseAddress, bytes.count > 0 else { return sqlite3_bind_zeroblob(statement, index, 0) }
                    return sqlite3_bind_blob(statement, index, base, CInt(bytes.count), Self.transient)
                }
            }
            precondition(code == SQLITE_OK, "binding parameter \(index) failed (\(code))")
        }
    }

    /// SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
