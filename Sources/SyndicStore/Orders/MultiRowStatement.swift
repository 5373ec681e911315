import GRDB

/// A statement of the SQLite state over many rows at once (an insert of many rows, a lookup
/// of many keys) in the few shapes it takes. A list goes in consecutive slices whose sizes
/// come from a fixed set, so that each slice's SQL is one the connection has seen before:
/// SQLite prepares each shape once (`Database.cachedStatement`) instead of parsing and
/// planning a new statement of thousands of placeholders for every batch.
struct MultiRowStatement: Sendable {
    /// The sizes of the slices, largest first; a list is cut greedily, the largest size that
    /// fits first. At most 9 values a row, the largest is far under SQLite's 32,766 placeholders.
    static let sizes = [500, 256, 128, 64, 32, 16, 8, 4, 2, 1]

    /// Values each row binds.
    private let width: Int
    private let texts: [Int: String]
    private let make: @Sendable (Int) -> String

    /// The statement whose SQL for `count` rows is `make(count)`; `width` values a row.
    init(width: Int, _ make: @escaping @Sendable (Int) -> String) {
        self.width = width
        self.make = make
        var texts: [Int: String] = [:]
        for size in Self.sizes { texts[size] = make(size) }
        self.texts = texts
    }

    /// The consecutive slices `0..<count` is cut into, each of one of `sizes`.
    static func slices(_ count: Int) -> [Range<Int>] {
        var slices: [Range<Int>] = []
        var start = 0
        while start < count {
            let size = sizes.first { $0 <= count - start } ?? 1
            slices.append(start..<start + size)
            start += size
        }
        return slices
    }

    /// Runs the statement over `count` rows, slice by slice: a slice binds `leading`, then
    /// for each of its rows (by index) the values `values` appends; `step` then runs the
    /// bound statement (executes it, or reads what it selects).
    func run(_ db: Database, count: Int, leading: [DatabaseValue] = [],
             values: (Int, inout StatementParameters) -> Void, _ step: (Statement) throws -> Void) throws {
        for slice in Self.slices(count) {
            let statement = try db.cachedStatement(sql: texts[slice.count] ?? make(slice.count))
            var parameters = StatementParameters(statement)
            for value in leading { parameters.append(value) }
            for index in slice { values(index, &parameters) }
            assert(Int(parameters.count) == leading.count + slice.count * width, "each row binds \(width) values")
            try step(statement)
        }
    }

    /// `count` comma-separated groups of `width` placeholders and `constants`: `(?, ?), (?, ?)`.
    static func groups(_ count: Int, width: Int, constants: String = "") -> String {
        let group = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + constants + ")"
        return Array(repeating: group, count: count).joined(separator: ", ")
    }

    /// `count` comma-separated placeholders.
    static func marks(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
