/// What a change does to a resource, with the symbol plans display it with.
public enum ChangeAction: String, CaseIterable, Hashable, Sendable, Codable {
    case create
    /// The resource was renamed (`metadata.formerNames`): its data moves to the new name.
    case rename
    case update
    case delete
    case rotate
    case activate
    case deactivate
    case schedule
    case unschedule

    /// The symbol shown in text plans.
    public var symbol: String {
        switch self {
        case .create: return "+"
        case .rename: return "»"
        case .update: return "~"
        case .delete: return "-"
        case .rotate: return "⟳"
        case .activate: return "▲"
        case .deactivate: return "▼"
        case .schedule: return "◷"
        case .unschedule: return "◌"
        }
    }

    /// The verb used in summaries: "2 to create".
    public var verb: String { rawValue }
}
