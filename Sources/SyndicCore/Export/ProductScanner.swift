import Foundation

/// Reads one Akeneo-format product from its JSON text, keeping only the top-level properties
/// and the attribute values a channel needs (`ProductProjection`) and skipping the rest
/// without building it — the export's hot path (never build whole object trees per product).
///
/// Skipped members are checked only for balanced brackets and terminated strings; kept ones
/// are parsed (numbers leniently: `01`, `+1` read as 1). When a key repeats, the first wins.
/// A product that is not a JSON object fails with the byte offset.
public struct ProductScanner: Sendable {
    public let projection: ProductProjection
    private let propertyKeys: KeySet
    private let attributeKeys: KeySet
    /// Every locale and scope a lookup names.
    private let codes: KeySet
    /// Per kept attribute, the (locale, scope) pairs read from it as slots of `codes` (-1: the
    /// lookup names none); nil: every entry is kept.
    private let wanted: [[(locale: Int, scope: Int)]?]

    public init(_ projection: ProductProjection) {
        self.projection = projection
        propertyKeys = KeySet(projection.properties)
        attributeKeys = KeySet(projection.attributes)
        let names = Array(Set(projection.lookups.values.flatMap { $0.flatMap { [$0.locale, $0.scope].compactMap { $0 } } })).sorted()
        codes = KeySet(names)
        wanted = projection.attributes.map { attribute in
            projection.lookups[attribute].map { pairs in
                pairs.map { (locale: $0.locale.flatMap { names.firstIndex(of: $0) } ?? -1,
                             scope: $0.scope.flatMap { names.firstIndex(of: $0) } ?? -1) }
            }
        }
    }

    /// Replaces `fields` with the kept parts of the product in `text`.
    public func scan(_ text: UnsafeRawBufferPointer, into fields: inout ProductFields) throws(ProductScanError) {
        fields.removeAll()
        guard let base = text.baseAddress, !text.isEmpty else { throw ProductScanError(offset: 0, message: "empty product") }
        var cursor = JSONCursor(base: base.assumingMemoryBound(to: UInt8.self), count: text.count)
        if try cursor.openObject() {
            while true {
                let key = try cursor.stringRange()
                try cursor.colon()
                if cursor.equals(key, "values") {
                    if projection.allAttributes || !attributeKeys.isEmpty {
                        try scanValues(&cursor, into: &fields)
                    } else {
                        try cursor.skipValue()
                    }
                } else if let slot = propertyKeys.index(of: key, in: cursor) {
                    fields.appendProperty(projection.properties[slot], try cursor.parseValue())
                } else {
                    try cursor.skipValue()
                }
                if try cursor.endOfMembers(closing: UInt8(ascii: "}")) { break }
            }
        }
        cursor.skipWhitespace()
        guard cursor.index == cursor.count else { throw cursor.failure("trailing characters after the product") }
    }

    /// `values: {code: [{"locale", "scope", "data"}, …], …}`: entries of kept attributes.
    private func scanValues(_ cursor: inout JSONCursor, into fields: inout ProductFields) throws(ProductScanError) {
        cursor.skipWhitespace()
        if cursor.peek == UInt8(ascii: "n") { _ = try cursor.parseValue(); return }
        guard try cursor.openObject() else { return }
        while true {
            let key = try cursor.stringRange()
            try cursor.colon()
            if let slot = attributeKeys.index(of: key, in: cursor) {
                try scanEntries(&cursor, attribute: projection.attributes[slot], wanted: wanted[slot], into: &fields)
            } else if projection.allAttributes {
                try scanEntries(&cursor, attribute: try cursor.string(key), wanted: nil, into: &fields)
            } else {
                try cursor.skipValue()
            }
            if try cursor.endOfMembers(closing: UInt8(ascii: "}")) { return }
        }
    }

    /// The entries of one attribute. Only entries that some lookup can pick (their locale and
    /// scope are null or asked for) have their data parsed; the others are skipped. Data made
    /// of objects (a price collection, a metric, a table) is checked as strictly as parsing it
    /// would be, and kept as text until the filter or mapping asks for it.
    private func scanEntries(_ cursor: inout JSONCursor, attribute: String,
                             wanted: [(locale: Int, scope: Int)]?,
                             into fields: inout ProductFields) throws(ProductScanError) {
        cursor.skipWhitespace()
        guard cursor.peek == UInt8(ascii: "[") else { try cursor.skipValue(); return }
        cursor.index += 1
        cursor.skipWhitespace()
        if cursor.peek == UInt8(ascii: "]") { cursor.index += 1; return }
        while true {
            cursor.skipWhitespace()
            if cursor.peek == UInt8(ascii: "{") {
                cursor.index += 1
                var locale: JSONCursor.StringRange?
                var scope: JSONCursor.StringRange?
                var dataStart: Int?
                cursor.skipWhitespace()
                if cursor.peek == UInt8(ascii: "}") {
                    cursor.index += 1
                } else {
                    while true {
                        let key = try cursor.stringRange()
                        try cursor.colon()
                        cursor.skipWhitespace()
                        if cursor.equals(key, "data") {
                            dataStart = cursor.index
                            try cursor.skipValue()
                        } else if cursor.equals(key, "locale") {
                            locale = try Self.optionalString(&cursor)
                        } else if cursor.equals(key, "scope") {
                            scope = try Self.optionalString(&cursor)
                        } else {
                            try cursor.skipValue()
                        }
                        if try cursor.endOfMembers(closing: UInt8(ascii: "}")) { break }
                    }
                }
                if let picked = pick(locale, scope, wanted, cursor) {
                    let localeText = try code(locale, slot: picked.locale, cursor)
                    let scopeText = try code(scope, slot: picked.scope, cursor)
                    if let dataStart {
                        var reader = cursor
                        reader.index = dataStart
                        if Self.holdsObjects(reader) {
                            try reader.checkValue()
                            fields.appendEntry(attribute: attribute, locale: localeText, scope: scopeText,
                                               text: UnsafeBufferPointer(start: cursor.base + dataStart, count: reader.index - dataStart))
                        } else {
                            fields.appendEntry(attribute: attribute, locale: localeText, scope: scopeText,
                                               data: try reader.parseValue())
                        }
                    } else {
                        fields.appendEntry(attribute: attribute, locale: localeText, scope: scopeText, data: .null)
                    }
                }
            } else {
                try cursor.skipValue()
            }
            if try cursor.endOfMembers(closing: UInt8(ascii: "]")) { return }
        }
    }

    /// A string's extent, or nil for null (or any other value, skipped).
    private static func optionalString(_ cursor: inout JSONCursor) throws(ProductScanError) -> JSONCursor.StringRange? {
        if cursor.peek == UInt8(ascii: "\"") { return try cursor.stringRange() }
        try cursor.skipValue()
        return nil
    }

    /// A kept entry's locale or scope: the picking lookup's own code when the entry writes it
    /// with the same bytes (`slot` is its place in `codes`, -1 if none), so that no string is
    /// built; else the text read.
    @inline(__always)
    private func code(_ range: JSONCursor.StringRange?, slot: Int, _ cursor: JSONCursor) throws(ProductScanError) -> String? {
        guard let range else { return nil }
        if slot >= 0, !range.escaped { return codes.keys[slot] }
        return try cursor.string(range)
    }

    /// Whether data at the cursor is an object or a list starting with one (prices, metrics,
    /// tables): the data kept as text.
    @inline(__always)
    private static func holdsObjects(_ cursor: JSONCursor) -> Bool {
        var probe = cursor
        switch probe.peek {
        case UInt8(ascii: "{"):
            return true
        case UInt8(ascii: "["):
            probe.index += 1
            probe.skipWhitespace()
            return probe.peek == UInt8(ascii: "{")
        default:
            return false
        }
    }

    /// Whether an entry with this locale and scope can be picked by one of the lookups: nil
    /// when not, else the slots in `codes` of the locale and scope the picking lookup names
    /// (-1 where the entry has none, or every entry is kept).
    @inline(__always)
    private func pick(_ locale: JSONCursor.StringRange?, _ scope: JSONCursor.StringRange?,
                      _ wanted: [(locale: Int, scope: Int)]?, _ cursor: JSONCursor) -> (locale: Int, scope: Int)? {
        guard let wanted else { return (-1, -1) }
        for lookup in wanted {
            if let locale {
                guard lookup.locale >= 0, codes.matches(locale, lookup.locale, in: cursor) else { continue }
            }
            if let scope {
                guard lookup.scope >= 0, codes.matches(scope, lookup.scope, in: cursor) else { continue }
            }
            return (locale == nil ? -1 : lookup.locale, scope == nil ? -1 : lookup.scope)
        }
        return nil
    }
}

/// Why a product's JSON text could not be read: the byte offset in the product and what was wrong.
public struct ProductScanError: Error, Hashable, Sendable, CustomStringConvertible {
    public let offset: Int
    public let message: String
    public var description: String { "invalid JSON at byte \(offset): \(message)" }
}

/// Which parts of a product an export keeps.
public struct ProductProjection: Hashable, Sendable {
    /// Top-level property names (`identifier`, `family`, …).
    public var properties: [String]
    /// Attribute codes whose value entries are kept.
    public var attributes: [String]
    /// Keep every attribute (the preview's raw view, Akeneo re-export).
    public var allAttributes: Bool
    /// Per attribute, the locale and scope pairs read from it: entries no pair can pick are
    /// not parsed. An attribute without pairs keeps every entry.
    public var lookups: [String: [AttributeLookup]]

    public init(properties: [String], attributes: [String], allAttributes: Bool = false,
                lookups: [String: [AttributeLookup]] = [:]) {
        self.properties = properties
        self.attributes = attributes
        self.allAttributes = allAttributes
        self.lookups = lookups
    }
}

/// One read of an attribute's value at a locale and scope (nil: the value does not vary).
public struct AttributeLookup: Hashable, Sendable {
    public var attribute: String
    public var locale: String?
    public var scope: String?

    public init(attribute: String, locale: String?, scope: String?) {
        self.attribute = attribute
        self.locale = locale
        self.scope = scope
    }
}
