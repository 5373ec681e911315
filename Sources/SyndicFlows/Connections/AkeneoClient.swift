import Foundation
import SyndicCore
import SyndicTransfer

/// The Akeneo PIM REST API: OAuth password grant, refresh, bearer calls.
///
/// Tokens are cached per process for each instance and set of credentials (a rotated secret
/// is a different set, so its token is dropped with it); a refresh token is used before the
/// password grant; a 401 on a call gets one new token and one retry.
final class AkeneoClient: @unchecked Sendable {
    struct Credentials: Hashable, Sendable {
        var clientId: String
        var secret: String
        var username: String
        var password: String
    }

    let baseURL: String
    /// The resource the credentials belong to (its address), named by authentication failures.
    var owner: String? { connector.owner }
    private let credentials: Credentials
    /// The transport, with the credentials' owner (told when Akeneo accepts them) and the metrics.
    private let connector: ConnectorHTTP
    private let now: @Sendable () -> Date

    init(baseURL: String, credentials: Credentials, owner: String? = nil, use: CredentialUse? = nil,
         http: HTTPClient = HTTPClient(), now: @escaping @Sendable () -> Date = { Date() },
         metrics: ConnectorMetrics = ConnectorMetrics()) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.credentials = credentials
        connector = ConnectorHTTP(http: http, owner: owner, use: use, metrics: metrics)
        self.now = now
    }

    typealias Token = CachedToken

    /// Tokens by instance and credential digest (never the credentials themselves).
    private static let cache = TokenCache()

    private var cacheKey: String {
        let digest = Hashing.sha256(Array("\(credentials.clientId)\u{0}\(credentials.secret)\u{0}\(credentials.username)\u{0}\(credentials.password)".utf8))
        return baseURL + "#" + digest.hexString
    }

    /// A valid access token: cached, refreshed (refresh-token grant), or new (password grant).
    /// Akeneo issued it, so it accepts the credentials.
    func accessToken() throws -> String {
        let token = try Self.cache.token(cacheKey, now: now,
                                         refresh: { try self.requestToken(["grant_type": "refresh_token", "refresh_token": $0]) },
                                         issue: { try requestToken(["grant_type": "password", "username": credentials.username,
                                                                    "password": credentials.password]) })
        connector.accepted()
        return token.access
    }

    /// Forgets the cached token (after a 401).
    func dropToken() { Self.cache.drop(cacheKey) }

    private func requestToken(_ body: [String: String]) throws -> Token {
        let basic = Data("\(credentials.clientId):\(credentials.secret)".utf8).base64EncodedString()
        let json = CanonicalJSON.string(.object(body.mapValues(Value.string)))
        let request = HTTPRequest(method: "POST", url: baseURL + "/api/oauth/v1/token",
                                  headers: [("Authorization", "Basic \(basic)"), ("Content-Type", "application/json")],
                                  body: Data(json.utf8), timeout: 60)
        let response = try connector.send(request, retryUnsafe: true)
        guard response.status == 200 else {
            let message = Self.message(response)
            if [400, 401, 403, 422].contains(response.status) {
                throw connector.refusal("Akeneo at \(baseURL) refused the credentials (HTTP \(response.status)\(message.map { ": \($0)" } ?? ""))")
            }
            throw FlowError(.remote, "Akeneo at \(baseURL) token request failed (HTTP \(response.status)\(message.map { ": \($0)" } ?? ""))")
        }
        guard let value = try? CanonicalJSON.parse(response.text), let access = value["access_token"]?.stringValue else {
            throw FlowError(.remote, "Akeneo at \(baseURL) answered the token request without an access token")
        }
        let lifetime = value["expires_in"]?.intValue ?? 3600
        return Token(access: access, refresh: value["refresh_token"]?.stringValue,
                     expires: now().addingTimeInterval(TimeInterval(lifetime)))
    }

    /// A call with the bearer token; a 401 gets a new token and one more try.
    func call(_ method: String, url: String, headers: [(name: String, value: String)] = [], body: Data? = nil,
              timeout: Int = 120) throws -> HTTPResponse {
        let request = HTTPRequest(method: method, url: url, headers: headers, body: body, timeout: timeout)
        return try connector.send(request, token: bearer)
    }

    /// The access token as Akeneo's calls carry it: `Authorization: Bearer`, refused with a 401.
    private var bearer: ConnectorHTTP.CallToken {
        ConnectorHTTP.CallToken(
            current: { try self.accessToken() }, drop: { self.dropToken() },
            header: { ("Authorization", "Bearer \($0)") }, refuses: { $0.status == 401 },
            refusedAgain: { [connector, baseURL] _ in
                connector.refusal("Akeneo at \(baseURL) refused the access token twice (HTTP 401)")
            })
    }

    /// The `message` of an Akeneo error body, if any.
    static func message(_ response: HTTPResponse) -> String? {
        (try? CanonicalJSON.parse(response.text))?["message"]?.stringValue
    }

    /// The URL of the next page from a `_links.next.href`: nil on the last page, the link
    /// itself when it keeps this Akeneo's origin (scheme, host and port: the access token goes
    /// there only), a remote error otherwise.
    func nextPage(_ link: String?) throws -> String? {
        guard let link else { return nil }
        guard URLOrigin.same(link, as: baseURL) else {
            let expected = URLOrigin(baseURL)?.description ?? baseURL
            let found = URLOrigin(link).map { "on \($0)" } ?? "that is not an absolute http(s) URL"
            throw FlowError(.remote, "Akeneo at \(baseURL) sent a next-page link \(found), not on its own origin "
                                + "\(expected): not followed (the access token is sent to \(expected) only); check the "
                                + "PIM's own URL setting, or a proxy that rewrites it")
        }
        return link
    }

    /// Fails clearly on an error status.
    static func check(_ response: HTTPResponse, _ what: String) throws {
        guard (200..<300).contains(response.status) else {
            throw ConnectorHTTP.failure(what, status: response.status, detail: message(response))
        }
    }
}
