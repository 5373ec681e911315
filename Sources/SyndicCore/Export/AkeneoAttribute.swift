import Foundation

/// An attribute of a target Akeneo PIM, as `GET /api/rest/v1/attributes` describes it: what
/// shape of `data` a product value of it must have.
public struct AkeneoAttribute: Hashable, Sendable {
    /// The shapes of value data Akeneo checks.
    public enum Kind: Hashable, Sendable {
        /// Text, textarea, identifier, simple selects (an option code), files: a string.
        case text
        /// Multi-selects, reference data multi-selects, asset collections: an array of codes.
        case codes
        /// A number: an integer, or a decimal (sent as a string) when decimals are allowed.
        case number(decimals: Bool)
        case boolean
        /// `[{"amount", "currency"}]`.
        case prices
        /// `{"amount", "unit"}`; a bare number takes the attribute's default unit.
        case metric(defaultUnit: String?)
        /// `YYYY-MM-DD`.
        case date
    }

    public var code: String
    public var kind: Kind

    public init(code: String, kind: Kind) {
        self.code = code
        self.kind = kind
    }

    /// The attribute an item of the attributes endpoint describes, or nil without a code.
    public init?(item: Value) {
        guard let code = item["code"]?.stringValue else { return nil }
        self.code = code
        let decimals = item["decimals_allowed"]?.boolValue ?? false
        switch item["type"]?.stringValue ?? "" {
        case "pim_catalog_multiselect", "pim_reference_data_multiselect", "pim_catalog_asset_collection",
             "akeneo_reference_entity_collection":
            kind = .codes
        case "pim_catalog_number": kind = .number(decimals: decimals)
        case "pim_catalog_boolean": kind = .boolean
        case "pim_catalog_price_collection": kind = .prices
        case "pim_catalog_metric": kind = .metric(defaultUnit: item["default_metric_unit"]?.stringValue)
        case "pim_catalog_date": kind = .date
        default: kind = .text
        }
    }
}

/// A mapped cell that cannot be sent as its attribute's type.
public struct AkeneoValueError: Error, Hashable, Sendable {
    public var attribute: String
    public var message: String

    public init(attribute: String, message: String) {
        self.attribute = attribute
        self.message = message
    }
}
