/// The source of one mapped target field: an expression string or the object form.
public enum MappingValue: Hashable, Sendable, Codable {
    case expression(String)
    case object(MappingObject)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .expression(text)
        } else {
            self = .object(try container.decode(MappingObject.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .expression(let text): try container.encode(text)
        case .object(let object): try container.encode(object)
        }
    }
}

/// Object form of a mapping value: `field`, `attribute` (+ locale, scope, currency, unit) or `value`.
public struct MappingObject: Hashable, Sendable, Codable {
    public var field: String?
    public var attribute: String?
    public var locale: String?
    public var scope: String?
    public var currency: String?
    public var unit: Bool?
    public var value: Value?
    public var `default`: Value?
    public var required: Bool?
}
