import Foundation
import GRDB
import SyndicCore

extension SQLiteStateStore: ConsoleStore {
    /// How long a login code or session is kept once expired or ended (removed when a new
    /// one is created).
    static let consoleRetention: TimeInterval = 24 * 3600

    // MARK: - Login codes

    public func createLoginCode(hash: String, next: String, expiresAt: Date, at date: Date) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM console_login_code WHERE expires_at < ?",
                           arguments: [date.addingTimeInterval(-Self.consoleRetention)])
            try db.execute(sql: """
                INSERT INTO console_login_code (code_hash, next, created_at, expires_at) VALUES (?, ?, ?, ?)
                """, arguments: [hash, next, date, expiresAt])
        }
    }

    public func redeemLoginCode(hash: String, now: Date) throws -> String? {
        // A code that cannot be used costs a read, not a write: guesses do not queue behind
        // the worker for the write lock.
        let usable = try pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM console_login_code WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?",
                              arguments: [hash, now]) ?? false
        }
        guard usable else { return nil }
        // One statement: of two requests with the same code, only the first finds it unused.
        return try write { db in
            try String.fetchOne(db, sql: """
                UPDATE console_login_code SET used_at = ?
                WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?
                RETURNING next
                """, arguments: [now, hash, now])
        }
    }

    // MARK: - Sessions

    public func createConsoleSession(hash: String, expiresAt: Date, at date: Date) throws {
        try write { db in
            let stale = date.addingTimeInterval(-Self.consoleRetention)
            try db.execute(sql: "DELETE FROM console_session WHERE expires_at < ? OR ended_at < ?",
                           arguments: [stale, stale])
            try db.execute(sql: "INSERT INTO console_session (token_hash, created_at, expires_at) VALUES (?, ?, ?)",
                           arguments: [hash, date, expiresAt])
        }
    }

    public func consoleSession(hash: String, now: Date) throws -> ConsoleSession? {
        try pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT created_at, expires_at FROM console_session
                WHERE token_hash = ? AND ended_at IS NULL AND expires_at > ?
                """), arguments: [hash, now]).map { row in
                ConsoleSession(createdAt: row["created_at"], expiresAt: row["expires_at"])
            }
        }
    }

    public func endConsoleSession(hash: String, at date: Date) throws {
        try write { db in
            try db.execute(sql: "UPDATE console_session SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
                           arguments: [date, hash])
        }
    }
}
