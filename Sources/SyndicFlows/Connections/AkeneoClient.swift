import Foundation
import SyndicCore
import SyndicTransfer

/// The Akeneo PIM REST API: OAuth password grant, refresh, bearer calls.
///
/// Tokens are cached per process for each instance and set of credentials (a rotated secret
/// is a different set, so its token is dropped with it); a refresh token is used before the
/// password grant; a 401 on a call gets one new token and one retry.
///
/// Every request (token requests included) goes through the instance's `AkeneoGate`: no
/// more than the connection's `maxConcurrentRequests` are in flight at once in the process,
/// and fewer for a while after Akeneo answers 429. A GET that Akeneo keeps refusing with 429
/// is tried `rateLimitedAttempts` times in all, each wait as long as its `Retry-After`.
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
    /// The calls in flight to this instance with these credentials, shared in the process.
    let gate: AkeneoGate

    /// Attempts in all a GET gets while Akeneo answers 429 (the transport's own included):
    /// other integrations may use up the instance's limits for a while.
    static let rateLimitedAttempts = 8

    /// `maxConcurrentRequests`: the most calls in flight at once to this instance with these
    /// credentials (1-4; nil leaves the instance's gate as it is: Akeneo's limit per
    /// connection for a new one).
    init(baseURL: String, credentials: Credentials, owner: String? = nil, use: CredentialUse? = nil,
         http: HTTPClient = HTTPClient(), now: @escaping @Sendable () -> Date = { Date() },
         metrics: ConnectorMetrics = ConnectorMetrics(), maxConcurrentRequests: Int? = nil) {
        let baseURL = Self.normalized(baseURL)
        self.baseURL = baseURL
        self.credentials = credentials
        let gate = AkeneoGate.shared(AkeneoClient.instanceKey(baseURL: baseURL, credentials: credentials),
                                     ceiling: maxConcurrentRequests)
        self.gate = gate
        // Every answer tells the gate whether Akeneo found the calls too many (429).
        var transport = http
        let earlier = transport.onAttempt
        transport.onAttempt = { request, status, retryDelay in
            earlier?(request, status, retryDelay)
            gate.observe(status)
        }
        connector = ConnectorHTTP(http: transport, owner: owner, use: use, metrics: metrics)
        self.now = now
    }

    typealias Token = CachedToken

    /// Tokens by instance and credential digest (never the credentials themselves).
    private static let cache = TokenCache()

    private var cacheKey: String { Self.instanceKey(baseURL: baseURL, credentials: credentials) }

    /// A connection's `url` as the client calls it: without a trailing `/`.
    static func normalized(_ url: String) -> String { url.hasSuffix("/") ? String(url.dropLast()) : url }

    /// The instance and a digest of the credentials: what the token cache and the gates are
    /// keyed by.
    private static func instanceKey(baseURL: String, credentials: Credentials) -> String {
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
        let response = try gate.withPermit { try connector.send(request, retryUnsafe: true) }
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

    /// A call with the bearer token; a 401 gets a new token and one more try. A GET still
    /// refused with 429 once the transport's attempts are used up waits its `Retry-After`
    /// (counted as quota wait) and goes again, up to `rateLimitedAttempts` attempts in all.
    /// `stop`, when given, ends those waits early: the call then returns its last answer (429).
    func call(_ method: String, url: String, headers: [(name: String, value: String)] = [], body: Data? = nil,
              timeout: Int = 120, stop: CancellationFlag? = nil) throws -> HTTPResponse {
        let request = HTTPRequest(method: method, url: url, headers: headers, body: body, timeout: timeout)
        var response = try sendWithToken(request)
        guard method == "GET" else { return response }
        let transport = connector.http
        let perSend = transport.retriesRateLimits ? max(1, transport.maxAttempts) : 1
        var attempts = perSend
        while response.status == 429, attempts < Self.rateLimitedAttempts, stop?.isCancelled != true {
            let pause = transport.delay(after: attempts, retryAfter: response.header("Retry-After"))
            connector.metrics.waitedForQuota(pause, at: url)
            if let stop {
                // In slices, so that a stopped read does not hold its thread for the whole wait.
                var left = pause
                while left > 0, !stop.isCancelled {
                    transport.sleep(min(left, 0.25))
                    left -= 0.25
                }
                if stop.isCancelled { break }
            } else {
                transport.sleep(pause)
            }
            response = try sendWithToken(request)
            attempts += perSend
        }
        return response
    }

    /// Sends `request` with the access token (`Authorization: Bearer`), holding one of the
    /// gate's permits while it is on the wire; a token request, when one is needed, takes its
    /// own permit first, so a caller never waits for a permit while holding one. A 401 drops
    /// the token and the request goes once more with a new one; a second 401 is an
    /// authentication failure.
    private func sendWithToken(_ request: HTTPRequest) throws -> HTTPResponse {
        var renewed = false
        while true {
            let token = try accessToken()
            var signed = request
            signed.headers.append((name: "Authorization", value: "Bearer \(token)"))
            let response = try gate.withPermit { try connector.send(signed) }
            guard response.status == 401 else { return response }
            dropToken()
            guard !renewed else {
                throw connector.refusal("Akeneo at \(baseURL) refused the access token twice (HTTP 401)")
            }
            renewed = true
        }
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
