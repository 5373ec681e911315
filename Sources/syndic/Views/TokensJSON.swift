import Foundation
import SyndicCore

/// The JSON form of `syndic token list`: every token, revoked ones included. The state has no
/// token to show, only its hash, which is never printed: a token appears by its first characters.
struct TokensJSON: JSONDocument {
    /// Bumped on any incompatible change of this document (docs/json.md).
    static let currentFormatVersion = "1"

    var formatVersion: String
    var tokens: [Token]

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case tokens
    }

    init(tokens: [AccessToken]) {
        formatVersion = Self.currentFormatVersion
        self.tokens = tokens.map(Token.init)
    }

    /// One access token of the Orders API.
    struct Token: Encodable {
        var id: Int64
        var name: String
        /// The token's first characters (`syn_1a2b3c4d`).
        var prefix: String
        var createdAt: String
        var lastUsedAt: String?
        var revokedAt: String?

        enum CodingKeys: String, CodingKey {
            case id, name, prefix
            case createdAt = "created_at"
            case lastUsedAt = "last_used_at"
            case revokedAt = "revoked_at"
        }

        init(_ token: AccessToken) {
            id = token.id
            name = token.name
            prefix = token.prefix
            createdAt = JSONDate.utc(token.createdAt)
            lastUsedAt = token.lastUsedAt.map(JSONDate.utc)
            revokedAt = token.revokedAt.map(JSONDate.utc)
        }
    }
}
