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
        // Most keys are short lowercase ASCII words: looked up as they are.
        if name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || ($0 >= 0x30 && $0 <= 0x39) }) {
            return secretNames.contains(name)
        }
        return secretNames.contains(name.lowercased().replacingOccurrences(of: "-", with: "_"))
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

    /// Text every rule needs, compared without case: a URL's `://`, an authorization
    /// scheme, a token's prefix, or a part of every secret name (`pass` in `password`,
    /// `passwd` and `passphrase`).
    private static let markers: [[UInt8]] = ["://", "bearer", "basic", "syn_", "token", "key", "pass", "secret",
                                             "authorization", "signature", "credential"].map { Array($0.utf8) }

    /// A cheap test run on every line (an access log line's query string, for one): ASCII
    /// text holding none of the `markers` needs no regular expression. Text with other
    /// characters always goes through the rules, whose case-insensitive matching knows
    /// Unicode's case folding.
    static func mayHoldSecret(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for byte in bytes where byte >= 0x80 { return true }
            return markers.contains { marker in containsIgnoringCase(bytes, marker) }
        }
    }

    /// Whether ASCII `marker` (lowercase) occurs in `bytes`, ASCII letters compared without case.
    private static func containsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ marker: [UInt8]) -> Bool {
        guard bytes.count >= marker.count else { return false }
        let first = marker[0]
        for start in 0...(bytes.count - marker.count) where bytes[start] | 0x20 == first {
            var matched = true
            for offset in 1..<marker.count {
                let byte = bytes[start + offset]
                let wanted = marker[offset]
                if byte != wanted, !(wanted >= 0x61 && wanted <= 0x7A && byte | 0x20 == wanted) {
                    matched = false
                    break
                }
            }
            if matched { return true }
        }
        return false
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
