import Foundation
import SyndicCore

/// Orders API access tokens: `syn_` and 64 hex digits of randomness. The state keeps
/// only a token's SHA-256 hash and its first characters.
public enum APIToken {
    /// A new token, shown once, with what the state keeps of it.
    public static func generate() -> (token: String, prefix: String, hash: String) {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let token = "syn_" + random.hexString
        return (token, prefix(of: token), hash(token))
    }

    /// The hex SHA-256 of a token.
    public static func hash(_ token: String) -> String {
        Hashing.sha256(Array(token.utf8)).hexString
    }

    /// The characters of a token shown in `syndic token list`.
    static func prefix(of token: String) -> String {
        String(token.prefix(12))
    }

    /// The token of an `Authorization: Bearer …` header, or nil.
    static func bearer(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        // Spaces and tabs around the token do not count (a header holds no line breaks).
        var token = parts[1]
        while token.first?.isWhitespace == true { token.removeFirst() }
        while token.last?.isWhitespace == true { token.removeLast() }
        return token.isEmpty ? nil : String(token)
    }
}
