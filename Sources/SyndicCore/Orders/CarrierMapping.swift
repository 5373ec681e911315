import Foundation

/// How a carrier code the ERP reports (`carrier_code` of a shipment) reaches a marketplace,
/// from a channel's `orders.carriers`: either the marketplace's code for it, or a carrier the
/// marketplace does not know, by name (and tracking page).
///
/// ```yaml
/// orders:
///   carriers:
///     UP: UPS                                   # the marketplace's code
///     COURSIER: {name: Coursier Express, url: https://track.example.com}
/// ```
public struct CarrierMapping: Hashable, Sendable, Codable {
    /// The marketplace's carrier code.
    public var code: String?
    /// The carrier's name, for a carrier the marketplace does not know.
    public var name: String?
    /// The carrier's tracking page, for a carrier the marketplace does not know.
    public var url: String?

    public init(code: String? = nil, name: String? = nil, url: String? = nil) {
        self.code = code
        self.name = name
        self.url = url
    }

    private enum CodingKeys: String, CodingKey { case code, name, url }

    /// A string (the marketplace's code) or an object of `code`, `name`, `url`.
    public init(from decoder: any Decoder) throws {
        if let code = try? decoder.singleValueContainer().decode(String.self) {
            self.init(code: code)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(code: try container.decodeIfPresent(String.self, forKey: .code),
                  name: try container.decodeIfPresent(String.self, forKey: .name),
                  url: try container.decodeIfPresent(String.self, forKey: .url))
    }
}

/// What a marketplace is told about a shipment's carrier.
public enum CarrierChoice: Hashable, Sendable {
    /// A carrier the marketplace knows, by its code.
    case known(code: String)
    /// A carrier the marketplace does not know: its name, and its tracking page when given.
    case named(name: String, url: String?)

    /// The carrier for the ERP's `code`: the channel's mapping first (a mapped code is sent
    /// as it is, a mapped name as a named carrier); else the marketplace's own spelling of
    /// `code` when `known` (its carrier codes, compared without case) holds it; else `code`
    /// as a carrier name. Nil when the shipment names no carrier.
    public static func resolve(_ code: String?, mappings: [String: CarrierMapping], known: [String]) -> CarrierChoice? {
        guard let code = code?.trimmingCharacters(in: .whitespaces), !code.isEmpty else { return nil }
        let mapping = mappings[code] ?? mappings.first { $0.key.caseInsensitiveCompare(code) == .orderedSame }?.value
        if let mapping {
            if let mapped = mapping.code, !mapped.isEmpty { return .known(code: mapped) }
            return .named(name: mapping.name ?? code, url: mapping.url)
        }
        if let spelled = known.first(where: { $0.caseInsensitiveCompare(code) == .orderedSame }) {
            return .known(code: spelled)
        }
        return .named(name: code, url: nil)
    }
}
