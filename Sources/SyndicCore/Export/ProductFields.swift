/// The parts of one Akeneo-format product that a channel's filter and mapping read: some
/// top-level properties and the value entries of some attributes, kept flat.
///
/// Built either from a whole product `Value` or by `ProductScanner` straight from JSON text
/// (which keeps only what the channel needs). Lookups walk the few kept entries; codes,
/// locales and scopes are short strings compared in place.
public struct ProductFields: Sendable {
    /// The kept top-level properties, in the order read (`identifier`, `family`, …).
    public internal(set) var properties: [(name: String, value: Value)] = []
    /// The kept value entries, in the order read.
    public internal(set) var entries: [Entry] = []

    /// One entry of `values: {code: [{"locale", "scope", "data"}]}`.
    public struct Entry: Sendable {
        public var attribute: String
        /// nil when the value does not vary by locale.
        public var locale: String?
        /// nil when the value does not vary by scope.
        public var scope: String?
        public var data: Value
    }

    public init() {}

    /// The fields of a whole product (every property and every value entry).
    public init(product: Value) {
        guard case .object(let members) = product else { return }
        for (name, value) in members where name != "values" { properties.append((name, value)) }
        guard case .object(let values)? = members["values"] else { return }
        for (attribute, list) in values {
            guard case .list(let items) = list else { continue }
            for case .object(let fields) in items {
                entries.append(Entry(attribute: attribute, locale: fields["locale"]?.stringValue,
                                     scope: fields["scope"]?.stringValue, data: fields["data"] ?? .null))
            }
        }
    }

    /// Empties the fields, keeping their capacity for the next product.
    public mutating func removeAll() {
        properties.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
    }

    /// The top-level property `name`, or nil.
    @inline(__always)
    public func property(_ name: String) -> Value? {
        for property in properties where property.name == name { return property.value }
        return nil
    }

    /// The product's key: its `uuid`, or its `identifier` (legacy products), or nil.
    public var key: String? {
        property("uuid")?.stringValue ?? property("identifier")?.stringValue
    }

    /// The `data` of `attribute` that applies at `locale` and `scope`, or nil.
    ///
    /// A value whose locale (scope) is nil applies to every locale (scope); one with a locale
    /// (scope) applies only to that one. The entry naming the asked locale and scope wins over
    /// one that does not vary; among equals, the first.
    @inline(__always)
    public func data(_ attribute: String, locale: String?, scope: String?) -> Value? {
        let bestPossible = (locale == nil ? 0 : 2) + (scope == nil ? 0 : 1)
        var best: Value?
        var bestScore = -1
        for entry in entries where entry.attribute == attribute {
            var score = 0
            if let given = entry.locale {
                guard given == locale else { continue }
                score += 2
            }
            if let given = entry.scope {
                guard given == scope else { continue }
                score += 1
            }
            guard score > bestScore else { continue }
            best = entry.data
            bestScore = score
            if score == bestPossible { break }
        }
        return best
    }

    mutating func appendProperty(_ name: String, _ value: Value) { properties.append((name, value)) }
    mutating func appendEntry(_ entry: Entry) { entries.append(entry) }
}
