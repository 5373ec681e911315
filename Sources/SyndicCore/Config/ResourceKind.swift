/// The kinds of resource a configuration file may declare.
public enum ResourceKind: String, CaseIterable, Hashable, Sendable, Codable, Comparable {
    case connection = "Connection"
    case channel = "Channel"
    case notification = "Notification"

    /// The lower-case prefix of addresses: `channel.mirakl_fr`.
    public var addressPrefix: String { rawValue.lowercased() }

    /// The kind whose prefix is `prefix`, if any.
    public init?(addressPrefix prefix: String) {
        guard let kind = ResourceKind.allCases.first(where: { $0.addressPrefix == prefix }) else { return nil }
        self = kind
    }

    /// Connections sort before the channels that use them, channels before the
    /// notifications that name them.
    public static func < (lhs: ResourceKind, rhs: ResourceKind) -> Bool {
        lhs.order < rhs.order
    }

    private var order: Int {
        switch self {
        case .connection: return 0
        case .channel: return 1
        case .notification: return 2
        }
    }
}
