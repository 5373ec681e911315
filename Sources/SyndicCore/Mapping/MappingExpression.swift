/// A parsed mapping expression: `code`, `code~locale`, `code~scope`, `code~locale~scope`,
/// optionally followed by `@EUR` (amount in a currency), `@currency` ("740.00 EUR") or
/// `@unit` ("3000.00 MMT"), as Akeneo names attributes.
public struct MappingExpression: Hashable, Sendable {
    /// How a price or metric value is rendered.
    public enum Suffix: Hashable, Sendable {
        /// `@EUR`: the amount in that currency.
        case amount(currency: String)
        /// `@currency`: amount and currency, "740.00 EUR".
        case currency
        /// `@unit`: amount and unit, "3000.00 MMT".
        case unit
    }

    public var attribute: String
    public var locale: String?
    public var scope: String?
    public var suffix: Suffix?

    public init(attribute: String, locale: String? = nil, scope: String? = nil, suffix: Suffix? = nil) {
        self.attribute = attribute
        self.locale = locale
        self.scope = scope
        self.suffix = suffix
    }

    /// Parses an expression, or explains what is wrong with it.
    public static func parse(_ text: String) throws(MappingError) -> MappingExpression {
        var body = Substring(text)
        var suffix: Suffix?
        if let at = body.firstIndex(of: "@") {
            let tail = body[body.index(after: at)...]
            body = body[..<at]
            switch tail {
            case "currency": suffix = .currency
            case "unit": suffix = .unit
            case _ where tail.count == 3 && tail.allSatisfy({ $0.isASCII && $0.isUppercase }):
                suffix = .amount(currency: String(tail))
            default:
                throw MappingError("\"\(text)\": after @ expected a currency code (EUR), currency or unit, got \"\(tail)\"")
            }
        }
        let parts = body.split(separator: "~", omittingEmptySubsequences: false).map(String.init)
        guard let code = parts.first, isCode(code) else {
            throw MappingError("\"\(text)\": \"\(parts.first ?? "")\" is not an attribute code (letters, digits, _)")
        }
        guard parts.count <= 3 else {
            throw MappingError("\"\(text)\": at most code~locale~scope, got \(parts.count) parts")
        }
        var expression = MappingExpression(attribute: code, suffix: suffix)
        if parts.count == 3 {
            guard isLocale(parts[1]) else { throw MappingError("\"\(text)\": \"\(parts[1])\" is not a locale like fr_FR") }
            guard isCode(parts[2]) else { throw MappingError("\"\(text)\": \"\(parts[2])\" is not a scope code") }
            expression.locale = parts[1]
            expression.scope = parts[2]
        } else if parts.count == 2 {
            if isLocale(parts[1]) {
                expression.locale = parts[1]
            } else if isCode(parts[1]) {
                expression.scope = parts[1]
            } else {
                throw MappingError("\"\(text)\": \"\(parts[1])\" is neither a locale (fr_FR) nor a scope code")
            }
        }
        return expression
    }

    /// The canonical text of the expression.
    public var text: String {
        var out = attribute
        if let locale { out += "~" + locale }
        if let scope { out += "~" + scope }
        switch suffix {
        case .amount(let currency): out += "@" + currency
        case .currency: out += "@currency"
        case .unit: out += "@unit"
        case nil: break
        }
        return out
    }

    /// Attribute and scope codes: letters, digits and underscores (no dash).
    public static func isCode(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }

    /// Locale codes: `fr_FR`, `en_US`, also `zh_Hans_CN`-like three-part codes.
    public static func isLocale(_ text: String) -> Bool {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts.count <= 3, let language = parts.first, let region = parts.last,
              (2...3).contains(language.count), language.allSatisfy({ $0.isASCII && $0.isLowercase }),
              region.count == 2, region.allSatisfy({ $0.isASCII && $0.isUppercase }) else { return false }
        return parts.count == 2 || parts[1].allSatisfy { $0.isASCII && $0.isLetter }
    }
}

/// Why a mapping expression is invalid.
public struct MappingError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
