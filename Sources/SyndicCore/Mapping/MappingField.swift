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
            if let data = product.data(name, locale: locale, scope: scope) {
                text = render == .plain ? ValueText.render(data, separator: separator)
                    : Self.render(data, render, currency: currency)
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

    /// Renders a price or metric as `render` says.
    static func render(_ data: Value, _ render: Render, currency: String?) -> String {
        switch render {
        case .plain:
            return ""
        case .amount:
            var found: String?
            forEachPrice(in: data) { price in
                guard price.currency == currency else { return true }
                found = price.amountText
                return found == nil
            }
            return found ?? ""
        case .price:
            let preferred = currency
            var first: String?
            var chosen: String?
            forEachPrice(in: data) { price in
                guard let text = price.text else { return true }
                if first == nil { first = text }
                if preferred == nil || price.currency == preferred {
                    chosen = text
                    return false
                }
                return true
            }
            return chosen ?? first ?? ""
        case .metric:
            guard case .object(let members) = data, let metric = AkeneoProduct.measure(members),
                  metric.unit != nil else { return "" }
            return metric.text ?? ""
        }
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
}
