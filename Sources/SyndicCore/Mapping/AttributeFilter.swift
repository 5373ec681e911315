/// One attribute condition compiled for local evaluation with Akeneo's search semantics.
///
/// The condition reads the attribute's value at its locale and scope (a condition without a
/// locale or scope reads non-localizable / non-scopable values). The value is seen as a set of
/// terms: a scalar is one term; a multiselect, one term per option code; a price collection,
/// one amount per price (only the prices in the operand's `currency` when the operand is
/// `{amount, currency}`); a metric, its amount (only when its unit is the operand's `unit`,
/// when the operand is `{amount, unit}`: no unit conversion). A positive operator holds when
/// some term satisfies it; a negative one (`!=`, `NOT IN`, `DOES NOT CONTAIN`, `NOT BETWEEN`)
/// when there is a term and no term satisfies the positive one; `EMPTY` when there is no term.
///
/// Comparisons: against a number operand, terms compare numerically (decimal strings such as
/// "12.5000" read as numbers; other text never matches); against a string operand, text terms
/// compare case-insensitively (Akeneo indexes text lowercased), and a `YYYY-MM-DD` operand
/// compares with the day of an ISO 8601 date ("2016-07-04T10:00:00+00:00"); booleans compare
/// with booleans. `BETWEEN` bounds are inclusive.
final class AttributeFilter: Sendable {
    let attribute: String
    let locale: String?
    let scope: String?
    let op: FilterOperator
    let operands: [Operand]
    /// The currency of a price operand `{amount, currency}`.
    let currency: String?
    /// The unit of a metric operand `{amount, unit}`.
    let unit: String?

    /// An operator's operand, prepared once.
    struct Operand: Hashable, Sendable {
        /// Written as a number (or as `{amount}` with a number amount).
        var isNumber = false
        /// The numeric value: of a number, or of a string that reads as one.
        var number: Double?
        /// The lowercased text of a string operand.
        var text: String?
        /// Whether `text` is a day, `YYYY-MM-DD`.
        var isDay = false
        var bool: Bool?
    }

    /// One term of a product value.
    enum Term {
        case number(Double)
        case text(String)
        case bool(Bool)
    }

    init(_ condition: ProductFilter.AttributeCondition, path: String) throws(FilterError) {
        guard let op = FilterOperator(rawValue: condition.operator) else {
            throw FilterError("\(path).operator: unknown operator \"\(condition.operator)\" (one of \(FilterOperator.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let values: [Value]
        switch (op.operand, condition.value) {
        case (.none, nil): values = []
        case (.none, _?): throw FilterError("\(path): \(op.rawValue) takes no value")
        case (.single, let value?) where value.listValue == nil: values = [value]
        case (.single, _): throw FilterError("\(path): \(op.rawValue) needs a single value")
        case (.list, .list(let items)?): values = items
        case (.list, _): throw FilterError("\(path): \(op.rawValue) takes a list value")
        case (.pair, .list(let items)?) where items.count == 2: values = items
        case (.pair, _): throw FilterError("\(path): \(op.rawValue) takes a list of two values")
        }
        var currency: String?
        var unit: String?
        var operands: [Operand] = []
        for value in values {
            if case .object(let members) = value {
                currency = members["currency"]?.stringValue ?? currency
                unit = members["unit"]?.stringValue ?? unit
                operands.append(Self.operand(members["amount"] ?? .null))
            } else {
                operands.append(Self.operand(value))
            }
        }
        self.attribute = condition.attribute
        self.locale = condition.locale
        self.scope = condition.scope
        self.op = op
        self.operands = operands
        self.currency = currency
        self.unit = unit
    }

    private static func operand(_ value: Value) -> Operand {
        var operand = Operand()
        switch value {
        case .int(let number): operand.isNumber = true; operand.number = Double(number)
        case .double(let number): operand.isNumber = true; operand.number = number
        case .bool(let flag): operand.bool = flag
        case .string(let text):
            operand.text = text.lowercased()
            operand.number = Double(text)
            operand.isDay = isDay(text.utf8) && text.utf8.count == 10
        default: break
        }
        return operand
    }

    // MARK: - Evaluation

    /// Whether the product whose `values` object is `values` satisfies the condition.
    func holds(in product: ProductFields) -> Bool {
        let data = product.data(attribute, locale: locale, scope: scope)
        switch op {
        case .empty: return !anyTerm(data) { _ in true }
        case .notEmpty: return anyTerm(data) { _ in true }
        default:
            let positive = op.negated ?? op
            var exists = false
            let satisfied = anyTerm(data) { term in
                exists = true
                return satisfies(term, positive)
            }
            return op.negated == nil ? satisfied : exists && !satisfied
        }
    }

    private func satisfies(_ term: Term, _ op: FilterOperator) -> Bool {
        switch op {
        case .equal: return compare(term, operands[0]) == 0
        case .less: return compare(term, operands[0]).map { $0 < 0 } ?? false
        case .lessOrEqual: return compare(term, operands[0]).map { $0 <= 0 } ?? false
        case .greater: return compare(term, operands[0]).map { $0 > 0 } ?? false
        case .greaterOrEqual: return compare(term, operands[0]).map { $0 >= 0 } ?? false
        case .in: return operands.contains { compare(term, $0) == 0 }
        case .between:
            guard let low = compare(term, operands[0]), let high = compare(term, operands[1]) else { return false }
            return low >= 0 && high <= 0
        case .contains, .startsWith:
            guard case .text(let text) = term, let needle = operands[0].text else { return false }
            let haystack = Self.lowercased(text)
            return op == .contains ? (needle.isEmpty || haystack.contains(needle)) : haystack.hasPrefix(needle)
        default: return false
        }
    }

    /// -1, 0 or 1 as `term` is below, equal to or above `operand`; nil when they do not compare.
    private func compare(_ term: Term, _ operand: Operand) -> Int? {
        switch term {
        case .number(let number):
            guard let other = operand.number else { return nil }
            return Self.order(number, other)
        case .bool(let flag):
            guard let other = operand.bool else { return nil }
            return flag == other ? 0 : (flag ? 1 : -1)
        case .text(let text):
            if operand.isNumber {
                guard let number = Double(text), let other = operand.number else { return nil }
                return Self.order(number, other)
            }
            guard let other = operand.text else { return nil }
            if operand.isDay, Self.isDay(text.utf8) {
                return Self.order(String(text.prefix(10)), other)
            }
            return Self.order(Self.lowercased(text), other)
        }
    }

    /// `text` lowercased, without allocating when it has no uppercase ASCII and no non-ASCII byte.
    private static func lowercased(_ text: String) -> String {
        for byte in text.utf8 where byte >= 0x80 || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) {
            return text.lowercased()
        }
        return text
    }

    private static func order<T: Comparable>(_ left: T, _ right: T) -> Int {
        left < right ? -1 : (left == right ? 0 : 1)
    }

    /// Whether `bytes` start with `YYYY-MM-DD`, alone or followed by `T` or a space.
    private static func isDay(_ bytes: String.UTF8View) -> Bool {
        var index = 0
        for byte in bytes {
            switch index {
            case 4, 7: guard byte == UInt8(ascii: "-") else { return false }
            case 10: return byte == UInt8(ascii: "T") || byte == UInt8(ascii: " ")
            default: guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return false }
            }
            index += 1
        }
        return index == 10
    }

    /// Whether `body` returns true for some term of `data` (see the type's summary).
    private func anyTerm(_ data: Value?, _ body: (Term) -> Bool) -> Bool {
        switch data {
        case nil, .null?: return false
        case .bool(let flag)?: return body(.bool(flag))
        case .int(let number)?: return body(.number(Double(number)))
        case .double(let number)?: return body(.number(number))
        case .string(let text)?: return text.isEmpty ? false : body(.text(text))
        case .list(let items)?:
            for item in items where anyTerm(item, body) { return true }
            return false
        case .object(let members)?:
            guard let measure = AkeneoProduct.measure(members) else { return false }
            if let currency, measure.currency != nil, measure.currency != currency { return false }
            if let unit, measure.unit != nil, measure.unit != unit { return false }
            switch measure.amount {
            case .string(let text)? where !text.isEmpty: return body(Double(text).map(Term.number) ?? .text(text))
            case .int(let number)?: return body(.number(Double(number)))
            case .double(let number)?: return body(.number(number))
            default: return false
            }
        }
    }

    // MARK: - Search

    /// The condition in Akeneo's `search` form: `{"operator", "value", "locale", "scope"}`,
    /// the value as configured.
    static func searchEntry(_ condition: ProductFilter.AttributeCondition) -> Value {
        var entry: [String: Value] = ["operator": .string(condition.operator)]
        if let value = condition.value { entry["value"] = value }
        if let locale = condition.locale { entry["locale"] = .string(locale) }
        if let scope = condition.scope { entry["scope"] = .string(scope) }
        return .object(entry)
    }
}
