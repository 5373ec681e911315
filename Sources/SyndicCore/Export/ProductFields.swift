/// The parts of one Akeneo-format product that a channel's filter and mapping read: some
/// top-level properties and the value entries of some attributes, kept flat.
///
/// Built either from a whole product `Value` or by `ProductScanner` straight from JSON text
/// (which keeps only what the channel needs). Lookups walk the few kept entries; codes,
/// locales and scopes are short strings compared in place.
///
/// Data made of objects (prices, metrics, tables) is kept as its JSON text, already checked,
/// and read when asked: a price or metric rendered for a cell is read from the text without
/// building its objects (`withDataText`).
public struct ProductFields: Sendable {
    /// The kept top-level properties, in the order read (`identifier`, `family`, …).
    public internal(set) var properties: [(name: String, value: Value)] = []
    /// The kept value entries, in the order read.
    private var kept: [Kept] = []
    /// The JSON text of the entries' data kept as text, back to back.
    private var texts: [UInt8] = []

    /// One entry of `values: {code: [{"locale", "scope", "data"}]}`.
    public struct Entry: Sendable {
        public var attribute: String
        /// nil when the value does not vary by locale.
        public var locale: String?
        /// nil when the value does not vary by scope.
        public var scope: String?
        public var data: Value
    }

    /// A kept entry: its data read, or kept as JSON text in `texts`.
    private struct Kept: Sendable {
        var attribute: String
        var locale: String?
        var scope: String?
        /// The data, unless `text` is not empty.
        var value: Value
        /// Where the data's JSON text is in `texts`; empty when `value` is the data.
        var text: Range<Int>
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
                appendEntry(attribute: attribute, locale: fields["locale"]?.stringValue,
                            scope: fields["scope"]?.stringValue, data: fields["data"] ?? .null)
            }
        }
    }

    /// The kept value entries, in the order read (data kept as text is read for the list).
    public var entries: [Entry] {
        kept.indices.map { index in
            Entry(attribute: kept[index].attribute, locale: kept[index].locale, scope: kept[index].scope,
                  data: data(at: index))
        }
    }

    /// Empties the fields, keeping their capacity for the next product.
    public mutating func removeAll() {
        properties.removeAll(keepingCapacity: true)
        kept.removeAll(keepingCapacity: true)
        texts.removeAll(keepingCapacity: true)
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
        dataIndex(attribute, locale: locale, scope: scope).map { data(at: $0) }
    }

    /// Where the entry `data(_:locale:scope:)` picks is among the kept entries, or nil.
    @inline(__always)
    func dataIndex(_ attribute: String, locale: String?, scope: String?) -> Int? {
        let bestPossible = (locale == nil ? 0 : 2) + (scope == nil ? 0 : 1)
        // Entries are read in place (no copy of each entry, so no retain of its strings and data).
        return kept.withUnsafeBufferPointer { kept in
            var best: Int?
            var bestScore = -1
            for index in kept.indices {
                guard kept[index].attribute == attribute else { continue }
                var score = 0
                if let given = kept[index].locale {
                    guard given == locale else { continue }
                    score += 2
                }
                if let given = kept[index].scope {
                    guard given == scope else { continue }
                    score += 1
                }
                guard score > bestScore else { continue }
                best = index
                bestScore = score
                if score == bestPossible { break }
            }
            return best
        }
    }

    /// The data of kept entry `index` (read from its text when kept as text).
    func data(at index: Int) -> Value {
        let range = kept[index].text
        guard !range.isEmpty else { return kept[index].value }
        // The text was checked as strictly as this reads it when it was kept: it reads.
        let parsed = withDataText(at: index) { (cursor: inout JSONCursor) -> Value in (try? cursor.parseValue()) ?? Value.null }
        return parsed ?? .null
    }

    /// Calls `body` with a cursor at the start of the JSON text of entry `index`'s data; nil
    /// (without calling it) when that data is not kept as text.
    @inline(__always)
    func withDataText<R>(at index: Int, _ body: (inout JSONCursor) -> R) -> R? {
        let range = kept[index].text
        guard !range.isEmpty else { return nil }
        return texts.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(base: buffer.baseAddress! + range.lowerBound, count: range.count)
            return body(&cursor)
        }
    }

    mutating func appendProperty(_ name: String, _ value: Value) { properties.append((name, value)) }

    /// Keeps an entry whose data is read.
    mutating func appendEntry(attribute: String, locale: String?, scope: String?, data: Value) {
        kept.append(Kept(attribute: attribute, locale: locale, scope: scope, value: data, text: 0..<0))
    }

    /// Keeps an entry whose data stays JSON text (`text`: a whole value, checked strictly).
    mutating func appendEntry(attribute: String, locale: String?, scope: String?, text: UnsafeBufferPointer<UInt8>) {
        let start = texts.count
        texts.append(contentsOf: text)
        kept.append(Kept(attribute: attribute, locale: locale, scope: scope, value: .null, text: start..<texts.count))
    }
}
