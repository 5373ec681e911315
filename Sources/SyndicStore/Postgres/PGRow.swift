import Foundation
import SyndicCore
import NIOCore
import PostgresNIO

/// One result row, read by column name or position:
/// `let name: String = try row["name"]`, `let note: String? = try row["note"]`.
public struct PGRow {
    let cells: PostgresRow
    /// The cells by name and position, built once per row.
    let access: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        cells = row
        access = row.makeRandomAccess()
    }

    /// The column's value; a NULL reads as nil into an optional, and fails otherwise.
    public func get<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard access.contains(column) else {
            throw PGError(message: "no column \(column) in the result", sqlState: nil, detail: nil)
        }
        do {
            return try access[column].decode(T.self)
        } catch {
            throw PGError(message: "column \(column) does not read as \(T.self)", sqlState: nil, detail: nil)
        }
    }

    /// The value at a position (0-based).
    public func get<T: PostgresDecodable>(_ index: Int, as type: T.Type = T.self) throws -> T {
        do {
            return try access[index].decode(T.self)
        } catch {
            throw PGError(message: "column \(index) does not read as \(T.self)", sqlState: nil, detail: nil)
        }
    }

    /// Whether the value at a position is NULL.
    public func isNull(_ index: Int) -> Bool { access[index].bytes == nil }

    /// Whether the column's value is NULL.
    public func isNull(_ column: String) -> Bool { access.contains(column) && access[column].bytes == nil }

    /// Bytes of a bytea column as `Data` (nil for NULL).
    public func data(_ column: String) throws -> Data? {
        if isNull(column) { return nil }
        return Data(try get(column, as: ByteBuffer.self).readableBytesView)
    }

    /// Bytes of a bytea column at a position as `Data` (nil for NULL).
    public func data(_ index: Int) throws -> Data? {
        if isNull(index) { return nil }
        return Data(try get(index, as: ByteBuffer.self).readableBytesView)
    }
}

/// A statement PostgreSQL refused, with the server's message and SQLSTATE.
public struct PGError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var sqlState: String?
    public var detail: String?

    public var description: String {
        var text = "PostgreSQL: " + message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail, !detail.isEmpty { text += ": " + detail }
        return text
    }

    /// A UNIQUE or PRIMARY KEY constraint refused the row.
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// A serializable transaction lost to a concurrent one, or a deadlock: try again.
    public var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }
}
