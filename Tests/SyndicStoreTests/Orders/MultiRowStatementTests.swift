import Foundation
import GRDB
import Testing
@testable import SyndicStore

/// Statements over many rows in a few fixed shapes: a list is cut into consecutive slices of
/// the fixed sizes, and every row is bound once, in order, whatever the slices.
@Suite struct MultiRowStatementTests {
    @Test func slicesCoverTheListInOrderWithTheFixedSizesOnly() {
        for count in 0...1_200 {
            let slices = MultiRowStatement.slices(count)
            var next = 0
            for slice in slices {
                #expect(slice.lowerBound == next, "\(count) rows: \(slices)")
                #expect(MultiRowStatement.sizes.contains(slice.count), "\(count) rows: \(slices)")
                next = slice.upperBound
            }
            #expect(next == count, "\(count) rows: \(slices)")
        }
        #expect(MultiRowStatement.slices(500) == [0..<500])
        #expect(MultiRowStatement.slices(1_000) == [0..<500, 500..<1_000])
        #expect(MultiRowStatement.slices(300) == [0..<256, 256..<288, 288..<296, 296..<300])
        #expect(MultiRowStatement.slices(0).isEmpty)
    }

    static let insert = MultiRowStatement(width: 2) { count in
        "INSERT INTO item (position, label) VALUES \(MultiRowStatement.groups(count, width: 2))"
    }

    static let select = MultiRowStatement(width: 1) { count in
        "SELECT position FROM item WHERE label LIKE ? AND position IN (\(MultiRowStatement.marks(count))) ORDER BY position"
    }

    /// Lists of many sizes written and read back through the same prepared shapes: every row
    /// once, with its own values, the leading values bound before the rows'.
    @Test func everyRowIsBoundOnceWithItsValuesWhateverTheSlices() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE item (position INTEGER PRIMARY KEY, label TEXT NOT NULL)")
            var written = 0
            for count in [1, 3, 500, 777, 2, 1_031] {
                let positions = Array(written..<written + count)
                try Self.insert.run(db, count: count, values: { index, values in
                    values.append(positions[index])
                    values.append("row \(positions[index])")
                }) { try $0.execute() }
                written += count

                var found: [Int] = []
                try Self.select.run(db, count: count, leading: ["row 1%".databaseValue], values: { index, values in
                    values.append(positions[index])
                }) { statement in
                    found += try Int.fetchAll(statement)
                }
                #expect(found.sorted() == positions.filter { "row \($0)".hasPrefix("row 1") }, "\(count) rows")
            }
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item") == written)
            let mismatched = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item WHERE label != 'row ' || position")
            #expect(mismatched == 0)
        }
    }
}
