/// Turns a mapped row into an Akeneo product for `PATCH /api/rest/v1/products`:
/// targets named `code`, `code~locale`, `code~scope`, `code~locale~scope`, with `@currency`
/// ("740.00 EUR"), `@EUR` ("740.00") or `@unit` ("3000.00 MMT") for prices and metrics.
///
/// - `identifier`, `family`, `parent`, `enabled`, `categories` and `groups` targets set the
///   product's own properties (lists split on the value separator);
/// - `true` / `false` become JSON booleans (never 1/0: the Akeneo API takes JSON booleans);
/// - a cell holding the value separator becomes a list (a multiselect);
/// - prices of one attribute, locale and scope merge into one price collection;
/// - an empty cell sends nothing (it never erases a value in the target PIM);
/// - with the target PIM's attribute types, each value is sent as its type expects
///   (`AkeneoAttribute.Kind`): a multi-select as an array even with one code, numbers as
///   numbers, booleans as booleans, prices and metrics as objects, dates as `YYYY-MM-DD`; a
///   cell that cannot be converted makes the product an `AkeneoValueError`. Attributes of
///   unknown type are sent as above.
public struct AkeneoProductWriter: Sendable {
    private let columns: [Column]
    private let separator: String
    /// The target PIM's attributes by code.
    public var types: [String: AkeneoAttribute] = [:]

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

    /// The attribute codes the targets write values of.
    public var attributes: [String] {
        var seen = Set<String>()
        return columns.compactMap { column -> String? in
            guard case .value(let expression) = column, seen.insert(expression.attribute).inserted else { return nil }
            return expression.attribute
        }
    }

    /// The product as one JSON line (keys sorted), identified by `identifier` unless a target
    /// sets it; throws when a cell cannot be sent as its attribute's type.
    public func product(row: [String], identifier: String) throws(AkeneoValueError) -> Value {
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
                guard let data = try typed(cell, expression) else { continue }
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

    /// The value data of a cell as its attribute's type expects, when the type is known.
    private func typed(_ cell: String, _ expression: MappingExpression) throws(AkeneoValueError) -> Value? {
        guard let attribute = types[expression.attribute] else { return data(cell, expression) }
        func refuse(_ expected: String) -> AkeneoValueError {
            AkeneoValueError(attribute: expression.attribute, message: "\(expression.attribute): \"\(cell)\" is not \(expected)")
        }
        switch attribute.kind {
        case .text:
            return .string(cell)
        case .codes:
            return .list(split(cell).map(Value.string))
        case .number(let decimals):
            let text = Self.plainNumber(cell) ?? ""
            if decimals {
                guard !text.isEmpty else { throw refuse("a number") }
                return .string(text)
            }
            guard let whole = Int(text) ?? Self.wholeDecimal(text) else { throw refuse("a whole number") }
            return .int(whole)
        case .boolean:
            switch cell.lowercased() {
            case "true", "1", "yes": return .bool(true)
            case "false", "0", "no": return .bool(false)
            default: throw refuse("a boolean (true or false)")
            }
        case .prices:
            if expression.suffix != nil, expression.suffix != .unit { return data(cell, expression) }
            let prices = try split(cell).map { text throws(AkeneoValueError) -> Value in
                guard let (amount, code) = Self.amountAndCode(text), let number = Self.plainNumber(amount) else {
                    throw refuse("a price such as \"12.50 EUR\"")
                }
                return .object(["amount": .string(number), "currency": .string(code)])
            }
            return prices.isEmpty ? nil : .list(prices)
        case .metric(let defaultUnit):
            if let (amount, unit) = Self.amountAndCode(cell), let number = Self.plainNumber(amount) {
                return .object(["amount": .string(number), "unit": .string(unit)])
            }
            guard let number = Self.plainNumber(cell), let defaultUnit else {
                throw refuse("a measure such as \"800 GRAM\"")
            }
            return .object(["amount": .string(number), "unit": .string(defaultUnit)])
        case .date:
            let day = String(cell.prefix(10))
            guard Self.isDay(day), cell.count == 10 || cell.dropFirst(10).first == "T" || cell.dropFirst(10).first == " " else {
                throw refuse("a date (YYYY-MM-DD)")
            }
            return .string(day)
        }
    }

    /// `text` when it is a plain decimal number (`-12`, `12.50`), with a comma read as the
    /// decimal point; else nil.
    static func plainNumber(_ text: String) -> String? {
        let number = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        var digits = 0
        var points = 0
        for (index, character) in number.enumerated() {
            if character.isASCII, character.isNumber { digits += 1 }
            else if character == "." { points += 1 }
            else if character == "-" || character == "+", index == 0 {}
            else { return nil }
        }
        return digits > 0 && points <= 1 ? number : nil
    }

    /// `12.000` → 12; nil when the decimals are not all zeros.
    static func wholeDecimal(_ text: String) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].allSatisfy({ $0 == "0" }) else { return nil }
        return Int(parts[0])
    }

    /// Whether `text` is a calendar day `YYYY-MM-DD`.
    static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let month = Int(parts[1]), let day = Int(parts[2]), Int(parts[0]) != nil else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }

    /// "740.00 EUR" → ("740.00", "EUR").
    private static func amountAndCode(_ text: String) -> (String, String)? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}
