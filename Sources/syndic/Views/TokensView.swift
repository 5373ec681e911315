import Foundation
import SyndicCore
import SyndicStore

/// Renders `syndic token list`.
struct TokensView {
    let tokens: [AccessToken]

    func render() -> String {
        if tokens.isEmpty { return "no tokens; `syndic token create` makes one" }
        var rows = [["ID", "NAME", "TOKEN", "CREATED", "LAST USED", "REVOKED"]]
        func date(_ date: Date?) -> String { date.map { Timestamp.iso($0, zone: "UTC") } ?? "-" }
        for token in tokens {
            rows.append([String(token.id), token.name, token.prefix + "…", date(token.createdAt), date(token.lastUsedAt),
                         date(token.revokedAt)])
        }
        return Table.render(rows)
    }
}
