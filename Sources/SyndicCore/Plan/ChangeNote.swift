import Foundation

/// A fact a plan tells besides its field changes, as typed data: on a `Change`, what the
/// change does beyond its fields (what the next export resends, what a rename moves, what a
/// delete needs); on the `Plan`, a fact about the state that no change alters (a suspension,
/// invalid credentials).
///
/// The planner records the facts; `text` (`ChangeNote+Text`) words them, in one place for
/// every output. The plan JSON carries the text only, so a note read back from a saved plan
/// is `.recorded` (`ChangeNote+Codable`).
public enum ChangeNote: Hashable, Sendable {
    /// A channel created or scheduled while inactive: its schedules fire nothing yet.
    case inactiveChannel
    /// A channel delete: it takes all the channel's data, and apply needs
    /// `--confirm-delete` with the channel's name.
    case deleteNeedsConfirmation(channel: String)
    /// A secret with a new value: the credential status resets to unknown and jobs use the
    /// new value from their next run.
    case credentialRotated
    /// A resource of `kind` renamed from the name `from` to the name `to`: what it owns moves
    /// to the new name and nothing is deleted.
    case renamed(kind: ResourceKind, from: String, to: String)
    /// Channel settings that shape the exported output changed (`settings`: the changed spec
    /// paths among those, such as `products.mapping` or `products.filter`): what the next
    /// export sends, with delta export on or off.
    case outputChanged(settings: [String], deltaExport: Bool)
    /// The targets of a channel's mapping put in another order: what the next export does
    /// with the new column order of `file`, with delta export on or off.
    case columnsReordered(file: ColumnFile, deltaExport: Bool)
    /// A suspended channel, under `channel`, the name it has once the plan is applied
    /// (`renamedFrom`: its name in the state when the plan renames it). Apply does not lift
    /// the suspension.
    case suspended(channel: String, renamedFrom: String?, suspension: Suspension)
    /// A resource at `address` whose credentials the state marks invalid, with the `problem`
    /// as recorded.
    case invalidCredentials(address: String, problem: String)
    /// A note read back from a saved plan document, which keeps notes as text only.
    case recorded(String)

    /// The exported file whose columns a channel's mapping orders.
    public enum ColumnFile: Hashable, Sendable {
        /// A flat-file channel's product file: a delta export compares whole rows, so a new
        /// column order resends every product.
        case productFile
        /// A Mirakl channel's offer file, which Mirakl reads by column name: a new column
        /// order resends no product.
        case offerFile
    }
}
