/// The product filter of a channel; maps 1:1 to Akeneo's product `search` filters.
public struct ProductFilter: Hashable, Sendable, Codable {
    public var enabled: Bool?
    public var families: [String]?
    public var categories: Categories?
    public var completeness: Completeness?
    public var attributes: [AttributeCondition]?

    public init(enabled: Bool? = nil, families: [String]? = nil, categories: Categories? = nil,
                completeness: Completeness? = nil, attributes: [AttributeCondition]? = nil) {
        self.enabled = enabled
        self.families = families
        self.categories = categories
        self.completeness = completeness
        self.attributes = attributes
    }

    /// Category membership.
    public struct Categories: Hashable, Sendable, Codable {
        public var `in`: [String]?
        public var notIn: [String]?
    }

    /// Minimum completeness on a scope.
    public struct Completeness: Hashable, Sendable, Codable {
        public var scope: String
        public var min: Int
        public var locales: [String]?
    }

    /// One attribute condition.
    public struct AttributeCondition: Hashable, Sendable, Codable {
        public var attribute: String
        public var `operator`: String
        public var value: Value?
        public var locale: String?
        public var scope: String?
    }
}
