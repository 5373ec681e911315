import SyndicCore

/// The statements that move everything a renamed resource owns to its new name, shared by
/// both backends (`?` placeholders). They run inside the apply's transaction: a rename is
/// whole or not at all.
enum ResourceRenameStatements {
    /// One statement and its arguments.
    struct Statement {
        var sql: String
        var arguments: [String]
    }

    /// The running runs check: a channel is renamed only when none of its runs is running,
    /// whether its lease is live or ran out without being taken back (their later writes would
    /// carry the old name). Argument: the channel.
    static let runningRuns = "SELECT id FROM run WHERE channel = ? AND status = 'running'"

    /// The statements of one rename, in order.
    static func statements(for rename: ResourceRename) -> [Statement] {
        let kind = rename.kind.rawValue
        var statements = [
            Statement(sql: "UPDATE resource SET name = ? WHERE kind = ? AND name = ?", arguments: [rename.to, kind, rename.from]),
            Statement(sql: "UPDATE credential SET name = ? WHERE kind = ? AND name = ?", arguments: [rename.to, kind, rename.from]),
        ]
        // A secret whose value did not change keeps its status under its new fingerprint.
        for move in rename.fingerprints {
            statements.append(Statement(
                sql: "UPDATE credential SET fingerprint = ? WHERE kind = ? AND name = ? AND path = ? AND fingerprint = ?",
                arguments: [move.to, kind, rename.to, move.path, move.from]))
        }
        statements += [
            Statement(sql: "UPDATE revision_change SET address = ? WHERE address = ?",
                      arguments: [Address.of(rename.kind, rename.to), Address.of(rename.kind, rename.from)]),
        ]
        if rename.kind == .channel {
            // Credentials are moved above with their kind; every other owned table by channel.
            for table in ChannelOwnedTable.all where table.table != "credential" {
                let condition = table.condition.map { " AND \($0)" } ?? ""
                statements.append(Statement(
                    sql: "UPDATE \(table.table) SET \(table.channelColumn) = ? WHERE \(table.channelColumn) = ?\(condition)",
                    arguments: [rename.to, rename.from]))
            }
        }
        return statements
    }

    /// The statement of a snapshot digest rewrite.
    static func statement(for rewrite: DigestRewrite) -> Statement {
        Statement(sql: "UPDATE export_snapshot SET spec_digest = ? WHERE channel = ? AND spec_digest = ?",
                  arguments: [rewrite.to, rewrite.channel, rewrite.from])
    }
}
