import Foundation

/// An access token an API issued, and until when it is good.
struct CachedToken: Sendable {
    var access: String
    var refresh: String?
    var expires: Date
}

/// Access tokens kept for the life of the process, keyed by instance and a digest of the
/// credentials (never the credentials themselves): a rotated secret is another key, so its
/// old token is never used again.
final class TokenCache: @unchecked Sendable {
    /// A token is handed out only while it is good for this much longer (seconds): one about
    /// to expire could expire on its way.
    static let margin: TimeInterval = 60

    private let lock = NSLock()
    private var tokens: [String: CachedToken] = [:]

    func get(_ key: String) -> CachedToken? { lock.withLock { tokens[key] } }
    func set(_ key: String, _ token: CachedToken?) { lock.withLock { tokens[key] = token } }

    /// Forgets the token under `key` (the remote refused it).
    func drop(_ key: String) { set(key, nil) }

    /// The token under `key` while it is good for another `margin` at `now`.
    func live(_ key: String, at now: Date) -> CachedToken? {
        guard let token = get(key), token.expires > now.addingTimeInterval(Self.margin) else { return nil }
        return token
    }

    /// A live token under `key`: the cached one; else the one `refresh` gets with the cached
    /// refresh token (a failed refresh falls through); else a new one from `issue`. A token
    /// got is cached.
    func token(_ key: String, now: () -> Date, refresh: ((String) throws -> CachedToken)? = nil,
               issue: () throws -> CachedToken) throws -> CachedToken {
        if let token = live(key, at: now()) { return token }
        if let refresh, let refreshToken = get(key)?.refresh, let token = try? refresh(refreshToken) {
            set(key, token)
            return token
        }
        let token = try issue()
        set(key, token)
        return token
    }
}
