import Foundation

/// The base URL of the web console in login links: `http(s)://HOST[:PORT]` (the console's
/// pages are at the root of their host).
enum ConsoleBaseURL {
    /// `text` without a trailing slash when it is an http or https URL with a host and no
    /// user, path, query or fragment; nil otherwise.
    static func normalized(_ text: String) -> String? {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty,
              components.user == nil, components.path.isEmpty, components.query == nil, components.fragment == nil
        else { return nil }
        return trimmed
    }

    /// What an option holding a base URL must be.
    static func requirement(_ option: String, _ value: String) -> String {
        "\(option) \(value): expected an http:// or https:// URL with a host and no path or query, such as https://syndic.example.com"
    }

    /// The URL of a server listening on `host` and `port`, as a browser on this machine
    /// reaches it: an IPv6 address in brackets, the loopback address for every interface.
    static func local(host: String, port: Int) -> String {
        let reached = host == "0.0.0.0" ? "127.0.0.1" : host == "::" ? "::1" : host
        return "http://\(reached.contains(":") ? "[\(reached)]" : reached):\(port)"
    }
}
