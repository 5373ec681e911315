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
    var owner: String? { api.owner }
    let credentials: Credentials
    /// The SP-API client: a 429 is handled here, from the usage plans.
    let api: ConnectorHTTP
    /// The Login with Amazon client, which retries its 429s itself.
    let login: ConnectorHTTP
    /// The SP-API transport (its `sleep` paces the quota waits).
    var http: HTTPClient { api.http }
    let now: @Sendable () -> Date
    let cancellation: CancellationFlag
    /// The channel's carrier mappings (the ERP's codes to Amazon's).
    let carriers: [String: CarrierMapping]
    /// Orders per getOrders page (at most 100).
    var pageSize = 100
    /// getOrders pages read ahead of the one whose items are being fetched (see `orders(updatedSince:page:)`).
    var lookaheadPages = 2
    /// 429 answers in a row, each waited out, before a call fails.
    var maxQuotaRefusals = 10
    let plans: UsagePlans

    static let cache = TokenCache()
    private let lock = NSLock()
    private var waited: TimeInterval = 0
    private var refusals = 0
    private var notices: [MarketplaceNotice] = []
    /// Told of each quota wait while it lasts (what is left of it), then of its end (nil).
    private var waitObserver: (@Sendable (RunProgress.Wait?) -> Void)?
    /// The quota waits under way (pages are read on a thread of their own while items are
    /// fetched, so two can overlap), by a number of their own.
    private var ongoingWaits: [Int: RunProgress.Wait] = [:]
    private var waitsStarted = 0

    init(baseURL: String, tokenURL: String, marketplaceID: String, credentials: Credentials, owner: String?,
         use: CredentialUse?, http: HTTPClient, carriers: [String: CarrierMapping] = [:],
         cancellation: CancellationFlag = CancellationFlag(), plans: UsagePlans = .amazon,
         now: @escaping @Sendable () -> Date = { Date() }, metrics: ConnectorMetrics = ConnectorMetrics()) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.tokenURL = tokenURL
        self.marketplaceID = marketplaceID
        self.credentials = credentials
        let login = ConnectorHTTP(http: http, owner: owner, use: use, metrics: metrics)
        self.login = login
        api = login.leavingRateLimits()
        self.carriers = carriers
        self.cancellation = cancellation
        self.plans = plans
        self.now = now
    }

    /// The token caches' key: the token URL and a digest of the credentials.
    var cacheKey: String {
        let digest = Hashing.sha256(Array("\(credentials.clientId)\u{0}\(credentials.clientSecret)\u{0}\(credentials.refreshToken)".utf8))
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

    /// Tells `observer` of every quota wait while it lasts, for the run's progress.
    func observeQuotaWaits(_ observer: @escaping @Sendable (RunProgress.Wait?) -> Void) {
        lock.withLock { waitObserver = observer }
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
    /// rejection (an operation the application may not call). A quota wait ends early with
    /// `CancellationError` when the run is cancelled or `stop` is raised.
    func send(_ request: HTTPRequest, operation: String, what: String, authorization: Authorization = .access,
              refusalIsAnswer: Bool = false, retryUnsafe: Bool = false, stop: CancellationFlag? = nil) throws -> HTTPResponse {
        var refusedInARow = 0
        try pause(plans.take(operation, account: account, now: now()), for: operation, stop: stop)
        var request = request
        request.headers.append(("Accept", "application/json"))
        var token: ConnectorHTTP.CallToken?
        switch authorization {
        case .access: token = accessTokenUse(what, renewable: !refusalIsAnswer)
        case .restricted(let restricted): request.headers.append(("x-amz-access-token", restricted))
        }
        let response = try api.send(request, retryUnsafe: retryUnsafe, token: token) { answer in
            plans.learn(operation, account: account, rate: answer.header("x-amzn-RateLimit-Limit"), now: now())
            guard answer.status == 429 else { return false }
            refusedInARow += 1
            lock.withLock { refusals += 1 }
            guard refusedInARow <= maxQuotaRefusals else {
                throw FlowError(.remote, "\(what) at \(baseURL): Amazon still refused for quota after \(maxQuotaRefusals) waits "
                                    + "(another application may be using this seller's quota)", httpStatus: 429)
            }
            try pause(plans.refused(operation, account: account, now: now()), for: operation, stop: stop)
            return true
        }
        guard (200..<300).contains(response.status) else {
            let errors = Self.errors(response)
            var failure = ConnectorHTTP.failure("\(what) at \(baseURL)", status: response.status, detail: errors)
            failure.remoteMessage = errors
            throw failure
        }
        api.accepted()
        return response
    }

    /// The access token as SP-API calls carry it (`x-amz-access-token`): a 401 or 403 drops it
    /// and gets one new token and one retry, unless the call is `renewable: false` (its refusal
    /// is the answer: the operation is not allowed).
    private func accessTokenUse(_ what: String, renewable: Bool) -> ConnectorHTTP.CallToken {
        ConnectorHTTP.CallToken(
            current: { try self.accessToken() }, drop: { Self.cache.drop(self.cacheKey) },
            header: { ("x-amz-access-token", $0) },
            refuses: { renewable && ($0.status == 401 || $0.status == 403) },
            refusedAgain: { [api, baseURL] response in
                api.refusal("the SP-API at \(baseURL) refused the access token (\(what): HTTP \(response.status))")
            })
    }

    /// The `errors` of an SP-API answer as `code: message; …`, or nil.
    static func errors(_ response: HTTPResponse) -> String? {
        let errors = (try? CanonicalJSON.parse(response.text))?["errors"]?.listValue ?? []
        let message = errors.compactMap { error in
            error["message"]?.stringValue.map { "\(error["code"]?.stringValue ?? "error"): \($0)" }
        }.joined(separator: "; ")
        return message.isEmpty ? nil : message
    }

    /// Waits `seconds` for quota of `operation` (counted in the run's report, told to the
    /// quota-wait observer as it goes), checking for cancellation (and `stop`) every quarter
    /// of a second.
    func pause(_ seconds: TimeInterval, for operation: String, stop: CancellationFlag? = nil) throws {
        guard seconds > 0 else {
            try cancellation.check()
            try stop?.check()
            return
        }
        let number = lock.withLock {
            waitsStarted += 1
            return waitsStarted
        }
        defer { tell(wait: number, nil) }
        var left = seconds
        while left > 0 {
            try cancellation.check()
            try stop?.check()
            tell(wait: number, RunProgress.Wait(seconds: left, reason: "quota (\(operation))"))
            let slice = min(left, 0.25)
            http.sleep(slice)
            left -= slice
            lock.withLock { waited += slice }
            api.metrics.waitedForQuota(slice, at: baseURL)
        }
        try cancellation.check()
        try stop?.check()
    }

    /// Records what is left of quota wait `number` (nil: it ended) and tells the observer the
    /// longest wait under way, or nil when none is. Told under the lock, so that the
    /// observer never gets an older state after a newer one.
    private func tell(wait number: Int, _ wait: RunProgress.Wait?) {
        lock.withLock {
            ongoingWaits[number] = wait
            waitObserver?(ongoingWaits.values.max { $0.seconds < $1.seconds })
        }
    }

    func json(_ response: HTTPResponse, _ what: String) throws -> Value {
        guard let value = try? CanonicalJSON.parse(response.text) else {
            throw FlowError(.remote, "\(what) at \(baseURL) answered something that is not JSON")
        }
        return value
    }
}
