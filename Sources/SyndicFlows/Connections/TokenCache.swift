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
    private let lock = NSLock()
    private var tokens: [String: CachedToken] = [:]

    func get(_ key: String) -> CachedToken? { lock.withLock { tokens[key] } }
    func set(_ key: String, _ token: CachedToken?) { lock.withLock { tokens[key] = token } }
}
