/// One target of a compiled mapping: where its text comes from, with locale and scope already
/// resolved against the context, its default and whether it is required.
///
/// A final class of plain stored properties, so that mapping a product walks the fields
/// without copying them.
final class MappingField: Sendable {
    /// Where the text of the cell comes from.
    enum Kind: Sendable {
        /// The value of attribute `name` at `locale` and `scope`, rendered as `render` says.
        case attribute
        /// The top-level product property `name` (`identifier`, `family`, `categories`, …).
        case property
        /// The constant text `name`.
        case constant
    }

    /// How an attribute value is rendered (the expression's `@` suffix).
    enum Render: Sendable {
        /// No suffix: `ValueText.render`.
        case plain
        /// `@EUR`: the amount of the price in `currency`.
        case amount
        /// `@currency`: "740.00 EUR", the price in `currency` if given and the product has one,
        /// else the first.
        case price
        /// `@unit`: "3000.00 MMT".
        case metric
    }

    let target: String
    let kind: Kind
    /// The attribute code, property name or constant text.
    let name: String
    let locale: String?
    let scope: String?
    let render: Render
    let currency: String?
    /// The source as written, for skip reasons.
    let sourceText: String
    /// The text used when the source renders empty ("" without a default).
    let fallback: String
    let required: Bool

    init(target: String, kind: Kind, name: String, locale: String? = nil, scope: String? = nil,
         render: Render = .plain, currency: String? = nil, sourceText: String, fallback: String, required: Bool) {
        self.target = target
        self.kind = kind
        self.name = name
        self.locale = locale
        self.scope = scope
        self.render = render
        self.currency = currency
        self.sourceText = sourceText
        self.fallback = fallback
        self.required = required
    }

    /// The cell text for `product`.
    @inline(__always)
    func text(_ product: ProductFields, separator: String) -> String {
        let text: String
        switch kind {
        case .attribute:
            if let index = product.dataIndex(name, locale: locale, scope: scope) {
                text = render == .plain ? ValueText.render(product.data(at: index), separator: separator)
                    : Self.render(product, at: index, render, currency: currency)
            } else {
                text = ""
            }
        case .property:
            text = product.property(name).map { ValueText.render($0, separator: separator) } ?? ""
        case .constant:
            text = name
        }
        return text.isEmpty ? fallback : text
    }

    /// Renders the price or metric of kept entry `index` of `product` as `render` says: read
    /// straight from the data's JSON text when kept so, else from the parsed data — the same
    /// text either way.
    @inline(__always)
    static func render(_ product: ProductFields, at index: Int, _ render: Render, currency: String?) -> String {
        let fromText = product.withDataText(at: index) { (cursor: inout JSONCursor) -> String? in
            Self.render(text: &cursor, render, currency: currency)
        }
        if case .some(.some(let text)) = fromText { return text }
        return Self.render(product.data(at: index), render, currency: currency)
    }

    /// Renders a price or metric as `render` says.
    static func render(_ data: Value, _ render: Render, currency: String?) -> String {
        switch render {
        case .plain:
            return ""
        case .amount, .price:
            return priceText(render, currency: currency) { body in
                forEachPrice(in: data, body)
                return true
            } ?? ""
        case .metric:
            guard case .object(let members) = data, let metric = AkeneoProduct.measure(members),
                  metric.unit != nil else { return "" }
            return metric.text ?? ""
        }
    }

    /// Renders a price or metric as `render` says from its JSON text at `cursor`, without
    /// building objects; nil when only the parsed data decides (`AkeneoProduct.TextReading`).
    static func render(text cursor: inout JSONCursor, _ render: Render, currency: String?) -> String? {
        switch render {
        case .plain:
            return nil
        case .amount, .price:
            return priceText(render, currency: currency) { body in forEachPrice(inText: &cursor, body) }
        case .metric:
            cursor.skipWhitespace()
            guard cursor.peek == UInt8(ascii: "{") else { return "" }
            switch AkeneoProduct.measure(text: &cursor) {
            case .measure(let metric): return metric.unit != nil ? metric.text ?? "" : ""
            case .other: return ""
            case .undecided: return nil
            }
        }
    }

    /// The text of an `.amount` or `.price` render from the prices `forEach` calls its body
    /// with (until the body returns false); nil when `forEach` returns false (undecided).
    private static func priceText(_ render: Render, currency: String?,
                                  _ forEach: ((AkeneoProduct.Measure) -> Bool) -> Bool) -> String? {
        if render == .amount {
            var found: String?
            let decided = forEach { price in
                guard price.currency == currency else { return true }
                found = price.amountText
                return found == nil
            }
            return decided ? found ?? "" : nil
        }
        let preferred = currency
        var first: String?
        var chosen: String?
        let decided = forEach { price in
            guard let text = price.text else { return true }
            if first == nil { first = text }
            if preferred == nil || price.currency == preferred {
                chosen = text
                return false
            }
            return true
        }
        return decided ? chosen ?? first ?? "" : nil
    }

    /// Calls `body` with each price of a price collection (or a lone price object) until it
    /// returns false.
    private static func forEachPrice(in data: Value, _ body: (AkeneoProduct.Measure) -> Bool) {
        switch data {
        case .list(let items):
            for case .object(let members) in items {
                guard let price = AkeneoProduct.measure(members), price.currency != nil else { continue }
                if !body(price) { return }
            }
        case .object(let members):
            if let price = AkeneoProduct.measure(members), price.currency != nil { _ = body(price) }
        default:
            break
        }
    }

    /// `forEachPrice(in:_:)` on data's JSON text at `cursor` (a price collection or a lone
    /// price object); false when an object in it is undecided (what `body` saw is to be
    /// dropped: the parsed data decides).
    private static func forEachPrice(inText cursor: inout JSONCursor, _ body: (AkeneoProduct.Measure) -> Bool) -> Bool {
        cursor.skipWhitespace()
        switch cursor.peek {
        case UInt8(ascii: "{"):
            switch AkeneoProduct.measure(text: &cursor) {
            case .measure(let price): if price.currency != nil { _ = body(price) }
            case .other: break
            case .undecided: return false
            }
            return true
        case UInt8(ascii: "["):
            cursor.index += 1
            cursor.skipWhitespace()
            if cursor.peek == UInt8(ascii: "]") { return true }
            do {
                while true {
                    cursor.skipWhitespace()
                    if cursor.peek == UInt8(ascii: "{") {
                        switch AkeneoProduct.measure(text: &cursor) {
                        case .measure(let price): if price.currency != nil, !body(price) { return true }
                        case .other: break
                        case .undecided: return false
                        }
                    } else {
                        try cursor.skipValue()
                    }
                    if try cursor.endOfMembers(closing: UInt8(ascii: "]")) { return true }
                }
            } catch {
                return false
            }
        default:
            return true
        }
    }
}
