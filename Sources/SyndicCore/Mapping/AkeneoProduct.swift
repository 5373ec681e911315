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

    /// What reading an object straight from its JSON text found.
    enum TextReading {
        /// A price or metric: what `measure(_:)` reads from the parsed object.
        case measure(Measure)
        /// Any other object: `measure(_:)` of the parsed object is nil.
        case other
        /// Something only the parsed object decides (an escape, a repeated key, a member that
        /// is neither a string nor null): read the parsed data instead.
        case undecided
    }

    /// Reads the object at `cursor` as `measure(_:)` reads the parsed object, without building
    /// it; the cursor ends after the object (unless undecided). The text is JSON checked
    /// strictly before (`JSONCursor.checkValue`).
    static func measure(text cursor: inout JSONCursor) -> TextReading {
        var measure = Measure()
        // Bits of the members seen: 1 amount, 2 currency, 4 unit.
        var seen: UInt8 = 0
        var other = false
        do {
            if try cursor.openObject() {
                while true {
                    let key = try cursor.stringRange()
                    guard !key.escaped else { return .undecided }
                    try cursor.colon()
                    cursor.skipWhitespace()
                    let bit: UInt8 = cursor.equals(key, "amount") ? 1
                        : cursor.equals(key, "currency") ? 2 : cursor.equals(key, "unit") ? 4 : 0
                    if bit == 0 {
                        other = true
                        try cursor.skipValue()
                    } else {
                        // A repeated key: the parsed object keeps the last one.
                        guard seen & bit == 0 else { return .undecided }
                        seen |= bit
                        var text: String?
                        switch cursor.peek {
                        case UInt8(ascii: "\""):
                            let range = try cursor.stringRange()
                            guard !range.escaped else { return .undecided }
                            text = try cursor.string(range)
                        case UInt8(ascii: "n"):
                            try cursor.skipValue()
                        default:
                            return .undecided
                        }
                        switch bit {
                        case 1: measure.amount = text.map(Value.string) ?? Value.null
                        case 2: measure.currency = text
                        default: measure.unit = text
                        }
                    }
                    if try cursor.endOfMembers(closing: UInt8(ascii: "}")) { break }
                }
            }
        } catch {
            return .undecided
        }
        guard !other, seen & 1 != 0, (measure.currency == nil) != (measure.unit == nil) else { return .other }
        return .measure(measure)
    }
}
