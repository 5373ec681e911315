import Foundation

/// What the web console (`syndic serve`, `syndic login-link`) keeps in the state: one-use
/// login codes and sessions, both only as SHA-256 hashes of their secret text.
public protocol ConsoleStore: Sendable {
    /// Keeps a login code's hash, where it leads and until when it may be used.
    func createLoginCode(hash: String, next: String, expiresAt: Date, at date: Date) throws
    /// Uses a login code once: returns its `next` and marks it used when it exists, is unused and
    /// not expired at `now`; nil otherwise (one atomic statement: two requests never both succeed).
    func redeemLoginCode(hash: String, now: Date) throws -> String?
    /// Keeps a new console session's token hash.
    func createConsoleSession(hash: String, expiresAt: Date, at date: Date) throws
    /// The session with this token hash, when it is not ended and not expired at `now`.
    func consoleSession(hash: String, now: Date) throws -> ConsoleSession?
    /// Ends a session (logout).
    func endConsoleSession(hash: String, at date: Date) throws
}

/// A console session as the state keeps it (its token is never stored).
public struct ConsoleSession: Hashable, Sendable {
    public var createdAt: Date
    public var expiresAt: Date

    public init(createdAt: Date, expiresAt: Date) {
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
