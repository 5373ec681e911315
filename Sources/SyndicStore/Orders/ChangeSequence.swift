import GRDB

/// The order change sequence: every change of any order (a retrieval that changed it, a
/// shipment reported for it) takes the next number. The numbers come from a counter row that
/// only ever goes up — never from the orders still stored, whose maximum drops when a
/// channel is deleted — so a cursor an export or an ERP kept never sees a number again.
enum ChangeSequence {
    /// The counter's row in `counter`.
    static let name = "order_change"

    /// Creates the counter, starting after the highest number any order holds.
    static func create(_ db: Database) throws {
        try db.execute(sql: "CREATE TABLE counter (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL)")
        try db.execute(sql: "INSERT INTO counter (name, value) SELECT 'order_change', COALESCE(MAX(change_seq), 0) FROM orders")
    }

    /// The next number, taken inside the caller's transaction.
    static func next(_ db: Database) throws -> Int64 {
        try db.cachedStatement(sql: "UPDATE counter SET value = value + 1 WHERE name = ?").execute(arguments: [name])
        guard let value = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT value FROM counter WHERE name = ?"),
                                             arguments: [name]) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "the order change counter is missing")
        }
        return value
    }

    /// The first of `count` consecutive numbers taken at once inside the caller's
    /// transaction (a batch of changes): the same numbers `count` calls of `next` give.
    static func reserve(_ db: Database, _ count: Int) throws -> Int64 {
        try db.cachedStatement(sql: "UPDATE counter SET value = value + ? WHERE name = ?").execute(arguments: [count, name])
        guard let value = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT value FROM counter WHERE name = ?"),
                                             arguments: [name]) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "the order change counter is missing")
        }
        return value - Int64(count) + 1
    }
}
