import Foundation

/// One attribute a marketplace knows (Mirakl PM11): a mapping target the channel may fill.
public struct MarketplaceAttribute: Hashable, Sendable, Codable {
    public var code: String
    public var label: String?
    public var type: String?
    public var required: Bool

    public init(code: String, label: String? = nil, type: String? = nil, required: Bool = false) {
        self.code = code
        self.label = label
        self.type = type
        self.required = required
    }
}

/// The attributes of a marketplace as the last requirements sync fetched them.
public struct RequirementSet: Hashable, Sendable {
    public var fetchedAt: Date
    public var attributes: [MarketplaceAttribute]

    public init(fetchedAt: Date, attributes: [MarketplaceAttribute]) {
        self.fetchedAt = fetchedAt
        self.attributes = attributes
    }
}
