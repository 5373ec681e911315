import Foundation

/// Takes secrets out of a log line before it is written: passwords in URLs
/// (`sftp://user:[redacted]@host`), `Bearer`/`Basic` credentials, Orders API tokens
/// (`syn_…`), and the values of secret-named parameters in query strings, form bodies and
/// JSON (`password=`, `"client_secret": "…"`). Metadata whose key is secret-named is
/// replaced whole (`isSecretName`).
///
/// Secrets are kept out of messages by construction; this is the second line of defence for
/// what a remote server or a library echoes back.
public enum LogRedactor {
    /// What stands where a secret was.
    public static let mask = "[redacted]"

    /// Names (of parameters, JSON keys, metadata keys) whose values are secrets. Compared
    /// case-insensitively, with `-` and `_` alike.
    public static let secretNames: Set<String> = [
        "token", "access_token", "refresh_token", "id_token", "api_key", "apikey", "key", "password", "passwd",
        "secret", "client_secret", "authorization", "x_api_key", "signature", "private_key", "passphrase",
        "x_amz_security_token", "x_amz_signature", "x_amz_credential",
    ]

    /// Whether a parameter, JSON or metadata key names a secret.
    public static func isSecretName(_ name: String) -> Bool {
        secretNames.contains(name.lowercased().replacingOccurrences(of: "-", with: "_"))
    }

    /// `text` with every secret the rules recognise replaced by `mask`.
    public static func redact(_ text: String) -> String {
        guard mayHoldSecret(text) else { return text }
        var out = text
        for rule in rules {
            out = out.replacing(rule.pattern) { match in rule.replacement(match) }
        }
        return out
    }

    /// A cheap test: lines with none of the markers need no regular expression.
    private static func mayHoldSecret(_ text: String) -> Bool {
        text.contains("@") || text.contains("=") || text.contains("\"") || text.contains("syn_")
            || text.range(of: "bearer", options: .caseInsensitive) != nil
            || text.range(of: "basic", options: .caseInsensitive) != nil
    }

    private struct Rule: @unchecked Sendable {
        var pattern: Regex<AnyRegexOutput>
        var replacement: (Regex<AnyRegexOutput>.Match) -> String
    }

    private static func group(_ match: Regex<AnyRegexOutput>.Match, _ index: Int) -> String {
        match.output[index].substring.map(String.init) ?? ""
    }

    private static let names = secretNames.sorted { $0.count > $1.count }
        .map { $0.replacingOccurrences(of: "_", with: "[-_]") }.joined(separator: "|")

    private static let rules: [Rule] = [
        // scheme://user:password@host
        Rule(pattern: try! Regex(#"([A-Za-z][A-Za-z0-9+.\-]*://[^\s/:@]*):[^\s/@]+@"#)) { "\(group($0, 1)):\(mask)@" },
        // Authorization schemes with a credential-shaped value (not "basic auth failed")
        Rule(pattern: try! Regex(#"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=\-]{8,}"#)) { "\(group($0, 1)) \(mask)" },
        // Orders API tokens
        Rule(pattern: try! Regex(#"syn_[0-9A-Fa-f]{8,}"#)) { _ in "syn_\(mask)" },
        // "name": "value" in JSON
        Rule(pattern: try! Regex(#"(?i)"(\#(names))"(\s*:\s*)"(?:[^"\\]|\\.)*""#)) {
            "\"\(group($0, 1))\"\(group($0, 2))\"\(mask)\""
        },
        // name=value in query strings, form bodies and key=value text
        Rule(pattern: try! Regex(#"(?i)(^|[^A-Za-z0-9_\-])(\#(names))=([^&\s"',;]+)"#)) {
            "\(group($0, 1))\(group($0, 2))=\(mask)"
        },
    ]
}
