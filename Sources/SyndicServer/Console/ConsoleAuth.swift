import Foundation
import SyndicCore

/// The console's access: one-time login codes, session tokens, their cookie and the CSRF
/// token of forms.
///
/// A login code and a session token are 32 random bytes in base64url without padding (43
/// characters); the state keeps only their SHA-256 (hex). A login code may be used once,
/// within 10 minutes; a session lasts 12 hours, or until logout. A session's CSRF token is
/// derived from its token, never stored: `SHA-256("csrf" NUL token)` in hex.
public enum ConsoleAuth {
    /// How long a login link may be used.
    public static let loginCodeLifetime: TimeInterval = 600
    /// How long a session lasts (fixed).
    public static let sessionLifetime: TimeInterval = 43_200
    /// The name of the session cookie.
    public static let cookieName = "syndic_session"

    /// A new login link `BASE/login?code=CODE[&next=PATH]`, its code kept (hashed) in the state
    /// for 10 minutes. `next` is where the browser goes once logged in: a local path, else `/`.
    public static func issueLoginLink(store: any ConsoleStore, baseURL: String, next: String?, now: Date) throws -> String {
        let code = newToken()
        let path = localPath(next)
        try store.createLoginCode(hash: hash(code), next: path, expiresAt: now.addingTimeInterval(loginCodeLifetime), at: now)
        return loginLink(baseURL: baseURL, code: code, next: path)
    }

    /// `BASE/login?code=CODE`, with `&next=PATH` unless the path is `/`.
    static func loginLink(baseURL: String, code: String, next: String) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        var link = base + "/login?code=" + code
        if next != "/" { link += "&next=" + ConsoleQuery.encoded(next) }
        return link
    }

    /// `next` when it is a path of this site (starts with one `/`, no backslash, no control
    /// character), else `/`: a link never sends the browser elsewhere.
    public static func localPath(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
              next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else { return "/" }
        return next
    }

    /// 32 random bytes, base64url without padding.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The hex SHA-256 of a code or token: all the state keeps of it.
    static func hash(_ token: String) -> String { APIToken.hash(token) }

    /// The CSRF token of a session's forms.
    static func csrfToken(session token: String) -> String {
        Hashing.sha256(Array(("csrf\u{0}" + token).utf8)).hexString
    }

    /// Whether `text` has the shape of a code or token (43 base64url characters).
    static func isToken(_ text: Substring) -> Bool {
        text.utf8.count == 43 && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F
        }
    }

    /// The session token in `Cookie` header values, if one has the shape of a token.
    static func sessionToken(cookies: [String]) -> String? {
        for header in cookies {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == cookieName else { continue }
                let value = parts[1].trimmingCharacters(in: .whitespaces)
                if isToken(value[...]) { return value }
            }
        }
        return nil
    }

    /// The `Set-Cookie` value of a new session.
    static func sessionCookie(token: String, secure: Bool) -> String {
        "\(cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(Int(sessionLifetime))" + (secure ? "; Secure" : "")
    }

    /// The `Set-Cookie` value that removes the session cookie.
    static func clearedCookie(secure: Bool) -> String {
        "\(cookieName)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" + (secure ? "; Secure" : "")
    }

    /// Compares two texts in time that depends on their length only.
    static func sameText(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8), right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
