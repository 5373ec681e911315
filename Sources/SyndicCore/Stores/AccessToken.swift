import Foundation

/// An access token of the Orders API as the state keeps it: never the token itself, only
/// its SHA-256 hash and the first characters that let a person tell tokens apart.
public struct AccessToken: Hashable, Sendable {
    public var id: Int64
    public var name: String
    /// The token's first characters (`syn_1a2b3c4d`).
    public var prefix: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(id: Int64, name: String, prefix: String, createdAt: Date, lastUsedAt: Date?, revokedAt: Date?) {
        self.id = id
        self.name = name
        self.prefix = prefix
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}
