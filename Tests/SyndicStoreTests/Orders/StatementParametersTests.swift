import Foundation
import GRDB
import Testing
@testable import SyndicStore

/// Values bound straight through SQLite read back as GRDB would have bound them.
@Suite struct StatementParametersTests {
    @Test func everyKindOfValueIsBoundAsItIs() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a, b, c, d, e, f, g, h)")
            let insert = try db.cachedStatement(sql: "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            var first = StatementParameters(insert)
            first.append(nil as String?)
            first.append(42)
            first.append(2.5.databaseValue)
            first.append("é\u{0}x")
            first.append("")
            first.append(Data([1, 2, 3]).databaseValue)
            first.append(Data().databaseValue)
            first.append(Int64.min)
            #expect(first.count == 8)
            try insert.execute()
            var second = StatementParameters(insert)
            second.append(7)
            second.append(DatabaseValue.null)
            second.append(DatabaseValue.null)
            second.append("second" as String?)
            for _ in 0..<4 { second.append(DatabaseValue.null) }
            try insert.execute()
            let rows = try Row.fetchAll(db, sql: """
                SELECT a, b, c, d, e, f, g, h, typeof(e), typeof(g), length(CAST(d AS BLOB)) FROM t ORDER BY rowid
                """)
            #expect(rows.count == 2)
            #expect(rows[0][0] as DatabaseValue == .null)
            #expect(rows[0][1] as Int64 == 42)
            #expect(rows[0][2] as Double == 2.5)
            #expect(rows[0][10] as Int == 4, "text is bound with its length, a NUL byte included")
            #expect(rows[0][4] as String == "" && rows[0][8] as String == "text", "empty text is text, not NULL")
            #expect(rows[0][5] as Data == Data([1, 2, 3]))
            #expect(rows[0][9] as String == "blob", "an empty blob is a blob, not NULL")
            #expect(rows[0][7] as Int64 == Int64.min)
            #expect(rows[1][0] as Int64 == 7 && rows[1][3] as String == "second", "a statement is bound again")
            #expect(rows[1][1] as DatabaseValue == .null && rows[1][7] as DatabaseValue == .null)
        }
    }
}
