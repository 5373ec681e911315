/// A channel's product filter compiled once, evaluated locally on Akeneo-format products with
/// the semantics of Akeneo's product `search` — the very conditions `searchQuery` pushes down.
///
/// All conditions must hold (Akeneo ANDs the properties of a search):
/// - `enabled`: the product's `enabled` equals it (a product without `enabled` matches neither);
/// - `families`: the product's `family` is one of them (`IN`; no family: no match);
/// - `categories.in`: the product is in at least one of them (`IN`);
///   `categories.notIn`: in none of them (`NOT IN`; an unclassified product matches);
/// - `completeness` (`{scope, min, locales}`): read from the product's `completenesses`
///   (what `GET /products-uuid?with_completenesses=true` returns: `[{scope, locale, data}]`
///   with `data` a percentage; a catalog file may name it `completeness`). Without `locales`,
///   the product is at least `min` complete on some locale of the scope (Akeneo `>=`,
///   "independently of locales"); with `locales`, on each of them (`GREATER OR EQUALS THAN ON
///   ALL LOCALES`). A product without completeness data does not match;
/// - `attributes`: see `AttributeFilter`.
///
/// An empty `families`, `categories.in` or `categories.notIn` list sets no condition (and is
/// left out of the search query). Family and category codes compare exactly.
public struct FilterEngine: Sendable {
    /// The filter as configured.
    public let filter: ProductFilter
    let conditions: [Condition]

    /// One compiled condition with its Akeneo search form (a class: evaluating a product walks
    /// the conditions without copying them).
    final class Condition: Sendable {
        let check: Check
        /// The search property: `enabled`, `family`, `categories`, `completeness` or an attribute code.
        let property: String
        /// `{"operator", "value", …}` as Akeneo's `search` takes it.
        let searchEntry: Value

        init(check: Check, property: String, searchEntry: Value) {
            self.check = check
            self.property = property
            self.searchEntry = searchEntry
        }
    }

    /// What a condition checks.
    enum Check: Sendable {
        case enabled(Bool)
        case families(CodeSet)
        case categoriesIn(CodeSet)
        case categoriesNotIn(CodeSet)
        case completeness(scope: String, min: Double, locales: [String])
        case attribute(AttributeFilter)
    }

    /// Compiles `filter`, or throws the first problem (an unknown operator, a missing value).
    public init(_ filter: ProductFilter) throws(FilterError) {
        var conditions: [Condition] = []
        func add(_ check: Check, _ property: String, _ entry: [String: Value]) {
            conditions.append(Condition(check: check, property: property, searchEntry: .object(entry)))
        }
        if let enabled = filter.enabled {
            add(.enabled(enabled), "enabled", ["operator": .string("="), "value": .bool(enabled)])
        }
        if let families = filter.families, !families.isEmpty {
            add(.families(CodeSet(families)), "family", ["operator": .string("IN"), "value": .list(families.map(Value.string))])
        }
        if let codes = filter.categories?.in, !codes.isEmpty {
            add(.categoriesIn(CodeSet(codes)), "categories", ["operator": .string("IN"), "value": .list(codes.map(Value.string))])
        }
        if let codes = filter.categories?.notIn, !codes.isEmpty {
            add(.categoriesNotIn(CodeSet(codes)), "categories", ["operator": .string("NOT IN"), "value": .list(codes.map(Value.string))])
        }
        if let completeness = filter.completeness {
            let locales = completeness.locales ?? []
            var entry: [String: Value] = ["value": .int(completeness.min), "scope": .string(completeness.scope)]
            if locales.isEmpty {
                entry["operator"] = .string(">=")
            } else {
                entry["operator"] = .string("GREATER OR EQUALS THAN ON ALL LOCALES")
                entry["locales"] = .list(locales.map(Value.string))
            }
            add(.completeness(scope: completeness.scope, min: Double(completeness.min), locales: locales),
                "completeness", entry)
        }
        for (index, condition) in (filter.attributes ?? []).enumerated() {
            let compiled = try AttributeFilter(condition, path: "products.filter.attributes[\(index)]")
            conditions.append(Condition(check: .attribute(compiled), property: condition.attribute,
                                        searchEntry: AttributeFilter.searchEntry(condition)))
        }
        self.filter = filter
        self.conditions = conditions
    }

    // MARK: - Local evaluation

    /// Whether the product passes every condition.
    public func matches(_ product: Value) -> Bool {
        firstFailure(ProductFields(product: product)) == nil
    }

    /// Whether the product passes every condition.
    public func matches(_ product: ProductFields) -> Bool {
        firstFailure(product) == nil
    }

    /// Why the product does not pass — the first condition it fails, in search form, such as
    /// `does not match family {"operator":"IN","value":["shoes"]}` — or nil when it passes.
    public func rejection(of product: Value) -> String? {
        rejection(of: ProductFields(product: product))
    }

    /// Why the product does not pass (see `rejection(of:)` for a `Value`), or nil.
    public func rejection(of product: ProductFields) -> String? {
        guard let condition = firstFailure(product) else { return nil }
        return "does not match \(condition.property) \(CanonicalJSON.string(condition.searchEntry))"
    }

    /// The top-level product properties the filter reads.
    public var propertyNames: Set<String> {
        var names: Set<String> = []
        for condition in conditions {
            switch condition.check {
            case .enabled: names.insert("enabled")
            case .families: names.insert("family")
            case .categoriesIn, .categoriesNotIn: names.insert("categories")
            case .completeness: names.formUnion(["completenesses", "completeness"])
            case .attribute: break
            }
        }
        return names
    }

    /// The attribute codes the filter's attribute conditions read.
    public var attributeCodes: Set<String> {
        Set(conditions.compactMap { condition in
            if case .attribute(let filter) = condition.check { return filter.attribute }
            return nil
        })
    }

    /// Every attribute the attribute conditions read, at their locale and scope.
    public var attributeLookups: [AttributeLookup] {
        conditions.compactMap { condition in
            if case .attribute(let filter) = condition.check {
                return AttributeLookup(attribute: filter.attribute, locale: filter.locale, scope: filter.scope)
            }
            return nil
        }
    }

    private func firstFailure(_ product: ProductFields) -> Condition? {
        for condition in conditions where !Self.holds(condition.check, product) {
            return condition
        }
        return nil
    }

    private static func holds(_ check: Check, _ product: ProductFields) -> Bool {
        switch check {
        case .enabled(let enabled):
            return product.property("enabled")?.boolValue == enabled
        case .families(let families):
            guard let family = product.property("family")?.stringValue else { return false }
            return families.contains(family)
        case .categoriesIn(let codes):
            return anyCategory(product) { codes.contains($0) }
        case .categoriesNotIn(let codes):
            return !anyCategory(product) { codes.contains($0) }
        case .completeness(let scope, let min, let locales):
            guard case .list(let entries)? = product.property("completenesses") ?? product.property("completeness") else {
                return false
            }
            func complete(on locale: String?) -> Bool {
                entries.contains { entry in
                    guard case .object(let fields) = entry else { return false }
                    var scopeMatches = false
                    var localeMatches = locale == nil
                    var percentage: Double?
                    for (key, member) in fields {
                        switch key {
                        case "scope": scopeMatches = member.stringValue == scope
                        case "locale": localeMatches = localeMatches || member.stringValue == locale
                        case "data": percentage = Self.percentage(member)
                        default: break
                        }
                    }
                    return scopeMatches && localeMatches && percentage.map { $0 >= min } == true
                }
            }
            return locales.isEmpty ? complete(on: nil) : locales.allSatisfy { complete(on: $0) }
        case .attribute(let condition):
            return condition.holds(in: product)
        }
    }

    private static func anyCategory(_ product: ProductFields, _ predicate: (String) -> Bool) -> Bool {
        guard case .list(let items)? = product.property("categories") else { return false }
        return items.contains { $0.stringValue.map(predicate) ?? false }
    }

    private static func percentage(_ data: Value) -> Double? {
        switch data {
        case .int(let number): Double(number)
        case .double(let number): number
        case .string(let text): Double(text)
        default: nil
        }
    }

    // MARK: - Akeneo search

    /// The filter as Akeneo's product `search` parameter: `{property: [{"operator", "value",
    /// …}]}`, conditions on one property in the order configured. `{}` for an empty filter.
    public var searchQuery: Value {
        var query: [String: Value] = [:]
        for condition in conditions {
            if case .list(let entries)? = query[condition.property] {
                query[condition.property] = .list(entries + [condition.searchEntry])
            } else {
                query[condition.property] = .list([condition.searchEntry])
            }
        }
        return .object(query)
    }

    /// `searchQuery` as canonical JSON text (keys sorted), ready to URL-encode.
    public var searchJSON: String { CanonicalJSON.string(searchQuery) }
}

/// A set of family or category codes: a few are scanned (comparing short strings costs less
/// than hashing them), many are hashed.
struct CodeSet: Sendable {
    private let few: [String]
    private let many: Set<String>?

    init(_ codes: [String]) {
        few = codes.count <= 8 ? codes : []
        many = codes.count <= 8 ? nil : Set(codes)
    }

    func contains(_ code: String) -> Bool {
        if let many { return many.contains(code) }
        return few.contains(code)
    }
}
