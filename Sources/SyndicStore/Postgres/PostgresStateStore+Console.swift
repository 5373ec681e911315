import Foundation
import SyndicCore

/// What the web console keeps in a PostgreSQL state: one-use login codes and sessions, both
/// only as hashes.
extension PostgresStateStore {
    /// How long a login code or session is kept once expired or ended (removed when a new
    /// one is created).
    static let consoleRetention: TimeInterval = 24 * 3600

    // MARK: - Login codes

    public func createLoginCode(hash: String, next: String, expiresAt: Date, at date: Date) throws {
        try write { session in
            try session.execute("DELETE FROM console_login_code WHERE expires_at < ?",
                                [date.addingTimeInterval(-Self.consoleRetention)])
            try session.execute("""
                INSERT INTO console_login_code (code_hash, next, created_at, expires_at) VALUES (?, ?, ?, ?)
                """, [hash, next, date, expiresAt])
        }
    }

    public func redeemLoginCode(hash: String, now: Date) throws -> String? {
        // One statement: of two requests with the same code, only one finds it unused; the
        // other waits for its row lock, loses, and is retried to find the code used.
        try write { session in
            try session.value("""
                UPDATE console_login_code SET used_at = ?
                WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?
                RETURNING next
                """, [now, hash, now], as: String.self)
        }
    }

    // MARK: - Sessions

    public func createConsoleSession(hash: String, expiresAt: Date, at date: Date) throws {
        try write { session in
            let stale = date.addingTimeInterval(-Self.consoleRetention)
            try session.execute("DELETE FROM console_session WHERE expires_at < ? OR ended_at < ?", [stale, stale])
            try session.execute("INSERT INTO console_session (token_hash, created_at, expires_at) VALUES (?, ?, ?)",
                                [hash, date, expiresAt])
        }
    }

    public func consoleSession(hash: String, now: Date) throws -> ConsoleSession? {
        try read { session in
            try session.row("""
                SELECT created_at, expires_at FROM console_session
                WHERE token_hash = ? AND ended_at IS NULL AND expires_at > ?
                """, [hash, now]).map { row in
                try ConsoleSession(createdAt: row.get("created_at"), expiresAt: row.get("expires_at"))
            }
        }
    }

    public func endConsoleSession(hash: String, at date: Date) throws {
        try write { session in
            try session.execute("UPDATE console_session SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
                                [date, hash])
        }
    }
}
