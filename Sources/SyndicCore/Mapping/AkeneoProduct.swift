/// Reads Akeneo-format products (API-NOTES.md): top-level properties and the entries of
/// `values: {code: [{"locale", "scope", "data"}]}`.
///
/// A value whose `locale` (or `scope`) is null does not vary by locale (or scope): it applies
/// to every locale (scope) asked for. A value with a locale (scope) applies only to that one.
/// When both kinds are present, the one that names the asked locale and scope wins.
///
/// Small objects (value entries, prices, metrics) are read by walking their few members and
/// comparing keys, which costs far less than hashing each key for a lookup.
enum AkeneoProduct {
    /// The `data` of `attribute` that applies at `locale` and `scope`, or nil when the product
    /// has no such value. `values` is the product's `values` object.
    @inline(__always)
    static func data(_ attribute: String, in values: [String: Value]?, locale: String?, scope: String?) -> Value? {
        guard case .list(let entries)? = values?[attribute] else { return nil }
        return pick(entries, locale: locale, scope: scope)
    }

    /// The `data` of the entry that applies at `locale` and `scope` (see the type's summary).
    static func pick(_ entries: [Value], locale: String?, scope: String?) -> Value? {
        let bestPossible = (locale == nil ? 0 : 2) + (scope == nil ? 0 : 1)
        var best: Value?
        var bestScore = -1
        entries: for entry in entries {
            guard case .object(let fields) = entry else { continue }
            var score = 0
            var data = Value.null
            for (key, member) in fields {
                switch key {
                case "data":
                    data = member
                case "locale":
                    guard case .string(let given) = member else { break }
                    guard given == locale else { continue entries }
                    score += 2
                case "scope":
                    guard case .string(let given) = member else { break }
                    guard given == scope else { continue entries }
                    score += 1
                default:
                    break
                }
            }
            guard score > bestScore else { continue }
            best = data
            bestScore = score
            if score == bestPossible { break }
        }
        return best
    }

    /// A price `{amount, currency}` or a metric `{amount, unit}`.
    struct Measure {
        var amount: Value?
        var currency: String?
        var unit: String?

        /// The amount as text: a string as given ("740.00"), a number as its JSON text; nil
        /// when absent, null or empty.
        var amountText: String? {
            switch amount {
            case .string(let text)?: text.isEmpty ? nil : text
            case .int(let number)?: String(number)
            case .double(let number)? where number.isFinite: "\(number)"
            default: nil
            }
        }

        /// "740.00 EUR" for a price, "3000.00 MMT" for a metric; nil without an amount.
        var text: String? {
            guard let amount = amountText, let code = currency ?? unit else { return nil }
            return amount + " " + code
        }
    }

    /// The price or metric `members` describe (an `amount` with a string `currency` or `unit`),
    /// or nil for any other object.
    static func measure(_ members: [String: Value]) -> Measure? {
        guard members.count <= 3 else { return nil }
        var measure = Measure()
        var hasAmount = false
        for (key, member) in members {
            switch key {
            case "amount": measure.amount = member; hasAmount = true
            case "currency": measure.currency = member.stringValue
            case "unit": measure.unit = member.stringValue
            default: return nil
            }
        }
        guard hasAmount, (measure.currency == nil) != (measure.unit == nil) else { return nil }
        return measure
    }
}
