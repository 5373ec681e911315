/// Reads the data of Akeneo-format values: prices `{amount, currency}` and
/// metrics `{amount, unit}`. (`ProductFields` picks the entry that applies at a locale and scope.)
///
/// Small objects are read by walking their few members and comparing keys, which costs far
/// less than hashing each key for a lookup.
enum AkeneoProduct {
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
