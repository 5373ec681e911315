/// Turns a mapped row into an Akeneo product for `PATCH /api/rest/v1/products` (seed 002):
/// targets named `code`, `code~locale`, `code~scope`, `code~locale~scope`, with `@currency`
/// ("740.00 EUR"), `@EUR` ("740.00") or `@unit` ("3000.00 MMT") for prices and metrics.
///
/// - `identifier`, `family`, `parent`, `enabled`, `categories` and `groups` targets set the
///   product's own properties (lists split on the value separator);
/// - `true` / `false` become JSON booleans (seed 002 writes booleans as true/false, never
///   1/0; the Akeneo API takes JSON booleans, API-NOTES.md);
/// - a cell holding the value separator becomes a list (a multiselect);
/// - prices of one attribute, locale and scope merge into one price collection;
/// - an empty cell sends nothing (it never erases a value in the target PIM).
public struct AkeneoProductWriter: Sendable {
    private let columns: [Column]
    private let separator: String

    private enum Column: Sendable {
        case property(String)
        case value(MappingExpression)
    }

    private static let properties: Set<String> = ["identifier", "family", "parent", "enabled", "categories", "groups"]

    /// A writer for rows in the order of `targets`; throws for a target that is not a name
    /// of the convention.
    public init(targets: [String], separator: String) throws(MappingError) {
        var columns: [Column] = []
        for target in targets {
            if Self.properties.contains(target) {
                columns.append(.property(target))
            } else {
                columns.append(.value(try MappingExpression.parse(target)))
            }
        }
        self.columns = columns
        self.separator = separator
    }

    /// The product as one JSON line (keys sorted), identified by `identifier` unless a target sets it.
    public func product(row: [String], identifier: String) -> Value {
        var product: [String: Value] = ["identifier": .string(identifier)]
        var values: [String: [Value]] = [:]
        var order: [String] = []
        for (column, cell) in zip(columns, row) where !cell.isEmpty {
            switch column {
            case .property(let name):
                switch name {
                case "enabled": product[name] = .bool(cell == "true" || cell == "1")
                case "categories", "groups": product[name] = .list(split(cell).map(Value.string))
                default: product[name] = .string(cell)
                }
            case .value(let expression):
                guard let data = data(cell, expression) else { continue }
                let locale: Value = expression.locale.map(Value.string) ?? .null
                let scope: Value = expression.scope.map(Value.string) ?? .null
                if values[expression.attribute] == nil { order.append(expression.attribute) }
                var entries = values[expression.attribute] ?? []
                if case .list(let prices) = data, expression.suffix != .unit, expression.suffix != nil,
                   let index = entries.firstIndex(where: { $0["locale"] == locale && $0["scope"] == scope }),
                   case .list(let existing)? = entries[index]["data"] {
                    entries[index] = .object(["locale": locale, "scope": scope, "data": .list(existing + prices)])
                } else {
                    entries.append(.object(["locale": locale, "scope": scope, "data": data]))
                }
                values[expression.attribute] = entries
            }
        }
        if !values.isEmpty { product["values"] = .object(values.mapValues(Value.list)) }
        return .object(product)
    }

    private func split(_ cell: String) -> [String] {
        cell.components(separatedBy: separator).filter { !$0.isEmpty }
    }

    /// The value data of a cell for an expression, or nil when the cell cannot be read as one.
    private func data(_ cell: String, _ expression: MappingExpression) -> Value? {
        switch expression.suffix {
        case .amount(let currency)?:
            return .list([.object(["amount": .string(cell), "currency": .string(currency)])])
        case .currency?:
            let prices = split(cell).compactMap { text -> Value? in
                guard let (amount, code) = Self.amountAndCode(text) else { return nil }
                return .object(["amount": .string(amount), "currency": .string(code)])
            }
            return prices.isEmpty ? nil : .list(prices)
        case .unit?:
            guard let (amount, unit) = Self.amountAndCode(cell) else { return nil }
            return .object(["amount": .string(amount), "unit": .string(unit)])
        case nil:
            if cell == "true" { return .bool(true) }
            if cell == "false" { return .bool(false) }
            if cell.contains(separator) { return .list(split(cell).map(Value.string)) }
            return .string(cell)
        }
    }

    /// "740.00 EUR" → ("740.00", "EUR").
    private static func amountAndCode(_ text: String) -> (String, String)? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}
