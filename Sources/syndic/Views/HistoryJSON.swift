import Foundation
import SyndicCore

/// The JSON form of `syndic history`: revisions, newest first, with the fields they changed.
/// Computes nothing.
struct HistoryJSON: JSONDocument {
    /// Bumped on any incompatible change of this document (docs/json.md).
    static let currentFormatVersion = "1"

    var formatVersion: String
    /// The resource asked for; absent for the whole history.
    var address: String?
    var revisions: [Revision]

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case address, revisions
    }

    init(entries: [HistoryEntry], address: String?) {
        formatVersion = Self.currentFormatVersion
        self.address = address
        revisions = entries.map(Revision.init)
    }

    /// One apply, suspend or resume.
    struct Revision: Encodable {
        var serial: Int
        var operation: String
        var at: String
        var user: String
        var gitCommit: String?
        var changes: [RecordedChange]

        enum CodingKeys: String, CodingKey {
            case serial, operation, at, user
            case gitCommit = "git_commit"
            case changes
        }

        init(_ entry: HistoryEntry) {
            serial = entry.serial
            operation = entry.operation
            at = JSONDate.utc(entry.at)
            user = entry.user
            gitCommit = entry.gitCommit
            changes = entry.changes.map {
                RecordedChange(address: $0.address, action: $0.action, field: $0.field, before: $0.before, after: $0.after)
            }
        }
    }

    /// One row of a revision: a field's change, or a whole-resource change.
    struct RecordedChange: Encodable {
        var address: String
        var action: String
        var field: String?
        var before: String?
        var after: String?
    }
}
