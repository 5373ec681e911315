import Foundation
import SyndicCore
import SyndicTransfer

/// The Amazon Selling Partner API, orders v0: a Login with Amazon token (refresh-token
/// grant, cached until it expires or the credentials rotate) in `x-amz-access-token`, and a
/// Restricted Data Token for the calls that read buyer data. Every call is paced by the
/// operation's usage plan (a token bucket per seller account, its rate learned from
/// `x-amzn-RateLimit-Limit`): a call waits for quota rather than being refused, and a 429 is
/// waited out and sent again. The v0 paths sit in this type and its extensions, so a client
/// of the newer `searchOrders` can replace it.
final class AmazonOrders: MarketplaceOrders, @unchecked Sendable {
    struct Credentials: Hashable, Sendable {
        var clientId: String
        var clientSecret: String
        var refreshToken: String
    }

    let marketplace = "amazon"
    let baseURL: String
    let tokenURL: String
    let marketplaceID: String
    /// The channel the credentials belong to (its address).
    let owner: String?
    let use: CredentialUse?
    let credentials: Credentials
    /// The SP-API client: a 429 is handled here, from the usage plans.
    let http: HTTPClient
    /// The Login with Amazon client, which retries its 429s itself.
    let tokenHTTP: HTTPClient
    let now: @Sendable () -> Date
    let cancellation: CancellationFlag
    /// The channel's carrier mappings (the ERP's codes to Amazon's).
    let carriers: [String: CarrierMapping]
    /// Orders per getOrders page (at most 100).
    var pageSize = 100
    /// 429 answers in a row, each waited out, before a call fails.
    var maxQuotaRefusals = 10
    let plans: UsagePlans

    static let cache = TokenCache()
    private let lock = NSLock()
    private var waited: TimeInterval = 0
    private var refusals = 0
    private var notices: [MarketplaceNotice] = []

    init(baseURL: String, tokenURL: String, marketplaceID: String, credentials: Credentials, owner: String?,
         use: CredentialUse?, http: HTTPClient, carriers: [String: CarrierMapping] = [:],
         cancellation: CancellationFlag = CancellationFlag(), plans: UsagePlans = .amazon,
         now: @escaping @Sendable () -> Date = { Date() }) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.tokenURL = tokenURL
        self.marketplaceID = marketplaceID
        self.credentials = credentials
        self.owner = owner
        self.use = use
        tokenHTTP = http
        var http = http
        http.retriesRateLimits = false
        self.http = http
        self.carriers = carriers
        self.cancellation = cancellation
        self.plans = plans
        self.now = now
    }

    /// The token caches' key: the token URL and a digest of the credentials.
    var cacheKey: String {
        let digest = SHA256.hash(Array("\(credentials.clientId)\u{0}\(credentials.clientSecret)\u{0}\(credentials.refreshToken)".utf8))
        return tokenURL + "#" + digest.hexString
    }

    /// The seller account the usage plans count against: the API and the authorization.
    var account: String { baseURL + "#" + cacheKey }

    // MARK: - What the run reports

    var quota: MarketplaceQuota { lock.withLock { MarketplaceQuota(waited: waited, refusals: refusals) } }

    var warnings: [MarketplaceNotice] { lock.withLock { notices } }

    func notice(_ notice: MarketplaceNotice) {
        lock.withLock { if !notices.contains(notice) { notices.append(notice) } }
    }

    // MARK: - Calls

    /// What authorizes a call: the access token, or the Restricted Data Token when one was issued.
    enum Authorization {
        case access
        case restricted(String)
    }

    /// Sends an SP-API call of `operation`, paced by its usage plan. A 429 is waited out
    /// (the bucket is then known empty) up to `maxQuotaRefusals` times in a row; a refused
    /// access token (401/403) gets one new token and one retry.
    /// With `refusalIsAnswer`, a 401/403 is not taken for a stale token: it throws as a
    /// rejection (an operation the application may not call).
    func send(_ request: HTTPRequest, operation: String, what: String, authorization: Authorization = .access,
              refusalIsAnswer: Bool = false, retryUnsafe: Bool = false) throws -> HTTPResponse {
        var renewed = false
        var refusedInARow = 0
        try pause(plans.take(operation, account: account, now: now()))
        while true {
            var signed = request
            switch authorization {
            case .access: signed.headers.append(("x-amz-access-token", try accessToken()))
            case .restricted(let token): signed.headers.append(("x-amz-access-token", token))
            }
            signed.headers.append(("Accept", "application/json"))
            let response: HTTPResponse
            do {
                response = try http.send(signed, retryUnsafe: retryUnsafe)
            } catch {
                throw FlowError(.connectivity, "\(error)")
            }
            plans.learn(operation, account: account, rate: response.header("x-amzn-RateLimit-Limit"), now: now())
            if response.status == 429 {
                refusedInARow += 1
                lock.withLock { refusals += 1 }
                guard refusedInARow <= maxQuotaRefusals else {
                    throw FlowError(.remote, "\(what) at \(baseURL): Amazon still refused for quota after \(maxQuotaRefusals) waits "
                                        + "(another application may be using this seller's quota)", httpStatus: 429)
                }
                try pause(plans.refused(operation, account: account, now: now()))
                continue
            }
            if response.status == 401 || response.status == 403, !refusalIsAnswer, case .access = authorization {
                Self.cache.set(cacheKey, nil)
                if !renewed {
                    renewed = true
                    continue
                }
                throw FlowError(.authentication, "the SP-API at \(baseURL) refused the access token (\(what): HTTP \(response.status))",
                                credentialsOf: owner)
            }
            if (200..<300).contains(response.status) { use?.accepted(owner) }
            guard (200..<300).contains(response.status) else {
                let errors = Self.errors(response)
                var failure = FlowError(.remote, "\(what) at \(baseURL) failed: HTTP \(response.status)\(errors.map { ": " + $0 } ?? "")",
                                        httpStatus: response.status)
                failure.remoteMessage = errors
                throw failure
            }
            return response
        }
    }

    /// The `errors` of an SP-API answer as `code: message; …`, or nil.
    static func errors(_ response: HTTPResponse) -> String? {
        let errors = (try? CanonicalJSON.parse(response.text))?["errors"]?.listValue ?? []
        let message = errors.compactMap { error in
            error["message"]?.stringValue.map { "\(error["code"]?.stringValue ?? "error"): \($0)" }
        }.joined(separator: "; ")
        return message.isEmpty ? nil : message
    }

    /// Waits `seconds` for quota (counted in the run's report), checking for cancellation.
    func pause(_ seconds: TimeInterval) throws {
        var left = seconds
        while left > 0 {
            try cancellation.check()
            let slice = min(left, 0.25)
            http.sleep(slice)
            left -= slice
            lock.withLock { waited += slice }
        }
        try cancellation.check()
    }

    func json(_ response: HTTPResponse, _ what: String) throws -> Value {
        guard let value = try? CanonicalJSON.parse(response.text) else {
            throw FlowError(.remote, "\(what) at \(baseURL) answered something that is not JSON")
        }
        return value
    }
}
