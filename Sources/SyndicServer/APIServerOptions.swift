import Foundation

/// How `syndic serve` listens and what it accepts.
public struct APIServerOptions: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port (the server prints the one it took).
    public var port = 8080
    /// The largest request body accepted; larger ones get 413.
    public var maxBodyBytes = 1 << 20
    /// Orders per page when `limit` is not given, and the most a page may hold.
    public var defaultPageSize = 50
    public var maxPageSize = 500

    public init() {}
}
