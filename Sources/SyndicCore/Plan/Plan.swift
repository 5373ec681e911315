/// The outcome of planning: ordered changes, diagnostics and notes. Plain data; views render it.
public struct Plan: Hashable, Sendable, Codable {
    public var changes: [Change]
    public var diagnostics: [Diagnostic]
    /// Facts about the state that are not changes (suspended channels, invalid credentials).
    public var notes: [ChangeNote]
    /// Set when the plan covers a selection only (`--target`, `--exclude`, `--selector`).
    public var partial: PartialPlan?

    public init(changes: [Change], diagnostics: [Diagnostic] = [], notes: [ChangeNote] = [], partial: PartialPlan? = nil) {
        self.changes = changes
        self.diagnostics = diagnostics
        self.notes = notes
        self.partial = partial
    }

    /// Whether applying the plan would change anything.
    public var hasChanges: Bool { !changes.isEmpty }

    /// How many changes of each action, in action order.
    public var summary: [(action: ChangeAction, count: Int)] {
        ChangeAction.allCases.map { action in (action, changes.filter { $0.action == action }.count) }
    }

    /// The resources the plan renames: their kind, former name and new name.
    public var renames: [(kind: ResourceKind, from: String, to: String)] {
        changes.compactMap { change in
            guard change.action == .rename, let former = change.formerName else { return nil }
            return (change.kind, former, change.name)
        }
    }

    /// The deletes apply refuses: their resources are protected.
    public var blockedDeletes: [Change] {
        changes.filter { $0.action == .delete && $0.blocked != nil }
    }

    /// Names of the channels the plan deletes: each must be confirmed.
    public var deletedChannels: [String] {
        changes.filter { $0.action == .delete && $0.kind == .channel }.map(\.name)
    }
}
