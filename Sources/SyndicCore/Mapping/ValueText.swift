/// Renders Akeneo value data as the text of one output cell.
///
/// - null, an empty string or an empty list: "" (missing);
/// - a string: as given; a boolean: "true" / "false"; a number: its JSON text
///   (an integer as written; a decimal as Swift's shortest round-trip text, "12.5");
/// - a list of scalars (multiselect option codes, categories, groups): the items joined by
///   the value separator, empty items left out;
/// - a price collection: each price as "amount currency", joined by the value separator;
/// - a metric `{amount, unit}`: the amount only (ask for the unit with `@unit`);
/// - anything else (table attributes, reference data objects): its canonical JSON.
enum ValueText {
    /// The cell text of `value`.
    static func render(_ value: Value, separator: String) -> String {
        switch value {
        case .null: return ""
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return number.isFinite ? "\(number)" : ""
        case .string(let text): return text
        case .list(let items): return renderList(items, separator: separator)
        case .object(let members):
            guard let measure = AkeneoProduct.measure(members) else { return CanonicalJSON.string(value) }
            // A price renders with its currency; a metric, its amount only (`@unit` adds the unit).
            return (measure.currency == nil ? measure.amountText : measure.text) ?? ""
        }
    }

    private static func renderList(_ items: [Value], separator: String) -> String {
        switch items.count {
        case 0: return ""
        case 1: if case .string(let text) = items[0] { return text }
        default: break
        }
        var out = ""
        var first = true
        for item in items {
            let text: String
            switch item {
            case .object(let members):
                guard let price = AkeneoProduct.measure(members), price.currency != nil else {
                    return CanonicalJSON.string(.list(items))
                }
                text = price.text ?? ""
            case .list:
                return CanonicalJSON.string(.list(items))
            default:
                text = render(item, separator: separator)
            }
            if text.isEmpty { continue }
            if !first { out += separator }
            out += text
            first = false
        }
        return out
    }
}
