import Foundation

/// What git says about the configuration directory, when it sits in a work tree.
public struct GitInfo: Sendable, Hashable, Codable {
    /// The HEAD commit.
    public var commit: String
    /// Whether the configuration directory has uncommitted changes.
    public var dirty: Bool

    /// `abc1234` or `abc1234+dirty`, as history shows it.
    public var display: String { String(commit.prefix(12)) + (dirty ? "+dirty" : "") }

    /// Reads HEAD and the dirty flag of `directory`; nil outside a git work tree or without git.
    public static func of(directory: String) -> GitInfo? {
        guard let commit = try? Git.text(["rev-parse", "HEAD"], in: directory), !commit.isEmpty else { return nil }
        let status = (try? Git.text(["status", "--porcelain", "--", "."], in: directory)) ?? ""
        return GitInfo(commit: commit, dirty: !status.isEmpty)
    }

    /// The commit a ref names, as the configuration at that ref (never dirty).
    public static func of(ref: String, directory: String) throws -> GitInfo {
        GitInfo(commit: try Git.text(["rev-parse", "--verify", "\(ref)^{commit}"], in: directory), dirty: false)
    }
}
