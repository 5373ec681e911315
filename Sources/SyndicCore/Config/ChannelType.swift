/// The type of a `Channel` resource (`spec.type`): the kind of partner the channel talks to,
/// which decides the keys, jobs and product destination that apply. Raw values are what the
/// YAML says; the cases are in the order the schema lists them.
public enum ChannelType: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// A Mirakl marketplace: offers sent as CSV imports, orders, requirements.
    case mirakl
    /// An Amazon seller account, reached through the Selling Partner API: orders.
    case amazonSeller = "amazon-seller"
    /// A partner that receives products as a CSV file on a storage connection.
    case flatFile = "flat-file"
    /// An Akeneo PIM written through its REST API.
    case akeneoAPI = "akeneo-api"

    /// The type a channel spec names in `type`; nil when it names none or an unknown one.
    public init?(of spec: Value) {
        guard let text = spec["type"]?.stringValue else { return nil }
        self.init(rawValue: text)
    }

    /// The name as written in the YAML (`amazon-seller`).
    public var description: String { rawValue }

    /// Whether the channel is a marketplace that takes orders: order retrieval, confirmations,
    /// order export and shipment import apply to it.
    public var takesOrders: Bool {
        switch self {
        case .mirakl, .amazonSeller: true
        case .flatFile, .akeneoAPI: false
        }
    }

    /// Whether products are sent through the partner's API, so the channel needs its base URL
    /// (`endpoint`). An Amazon channel needs one only to retrieve or confirm orders.
    public var requiresEndpoint: Bool {
        switch self {
        case .mirakl, .akeneoAPI: true
        case .amazonSeller, .flatFile: false
        }
    }

    /// Whether products go as a file to `products.export.storage`; such a channel has no
    /// endpoint.
    public var exportsToStorage: Bool {
        switch self {
        case .flatFile: true
        case .mirakl, .amazonSeller, .akeneoAPI: false
        }
    }

    /// Whether the partner reads the exported file's columns by position, so that reordering
    /// the mapping changes the output itself (a CSV's layout). A Mirakl offer import and an
    /// Akeneo PIM read values by name, whatever their order.
    public var readsColumnsByPosition: Bool {
        switch self {
        case .flatFile: true
        case .mirakl, .amazonSeller, .akeneoAPI: false
        }
    }

    /// Whether the marketplace publishes the attributes it requires, which the requirements
    /// sync fetches and validation checks the mapping against.
    public var syncsRequirements: Bool {
        switch self {
        case .mirakl: true
        case .amazonSeller, .flatFile, .akeneoAPI: false
        }
    }
}
