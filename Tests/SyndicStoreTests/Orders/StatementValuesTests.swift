import Foundation
import GRDB
import Testing
@testable import SyndicStore

/// Values bound straight through SQLite read back as GRDB would have bound them.
@Suite struct StatementValuesTests {
    @Test func everyKindOfValueIsBoundAsItIs() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a, b, c, d, e, f, g)")
            let insert = try db.cachedStatement(sql: "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)")
            let values: [DatabaseValue] = [.null, 42.databaseValue, 2.5.databaseValue, "é\u{0}x".databaseValue,
                                           "".databaseValue, Data([1, 2, 3]).databaseValue, Data().databaseValue]
            insert.bind(values)
            try insert.execute()
            insert.bind([7.databaseValue, .null, .null, "second".databaseValue, .null, .null, .null])
            try insert.execute()
            let rows = try Row.fetchAll(db, sql: "SELECT a, b, c, d, e, f, g, typeof(e), typeof(g), length(CAST(d AS BLOB)) FROM t ORDER BY rowid")
            #expect(rows.count == 2)
            #expect(rows[0][0] as DatabaseValue == .null)
            #expect(rows[0][1] as Int64 == 42)
            #expect(rows[0][2] as Double == 2.5)
            #expect(rows[0][9] as Int == 4, "text is bound with its length, a NUL byte included")
            #expect(rows[0][4] as String == "" && rows[0][7] as String == "text", "empty text is text, not NULL")
            #expect(rows[0][5] as Data == Data([1, 2, 3]))
            #expect(rows[0][8] as String == "blob", "an empty blob is a blob, not NULL")
            #expect(rows[1][0] as Int64 == 7 && rows[1][3] as String == "second", "a statement is bound again")
        }
    }
}
