import Foundation

/// The origin of an absolute URL: its scheme, host and port (RFC 6454), the port filled in
/// for `http` (80) and `https` (443) when the URL leaves it out. Links an API hands back
/// (the next page) are followed only when they keep the origin of the URL configured for it.
struct URLOrigin: Hashable, Sendable, CustomStringConvertible {
    /// Lower-cased.
    let scheme: String
    /// Lower-cased; an IPv6 address without brackets.
    let host: String
    let port: Int

    /// The origin of `url`; nil when it is not an absolute URL with a host and a known port.
    init?(_ url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty,
              let port = components.port ?? Self.defaultPorts[scheme] else { return nil }
        self.scheme = scheme
        self.host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        self.port = port
    }

    static let defaultPorts = ["http": 80, "https": 443]

    /// `scheme://host:port`, with the port always written and nothing else of the URL (no
    /// user information, path or query), so it can go into a message.
    var description: String {
        "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// Whether `url` has the same origin as `reference`; false when either is not an absolute
    /// URL with a host.
    static func same(_ url: String, as reference: String) -> Bool {
        guard let origin = URLOrigin(url), let expected = URLOrigin(reference) else { return false }
        return origin == expected
    }
}
