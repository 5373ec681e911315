import Foundation
import SyndicTransfer

/// How a connector (Akeneo, Mirakl, Amazon) talks HTTP: every attempt counted in the
/// connector metrics (a 429 waited out by the transport counts as a quota wait), a request
/// that gets no answer turned into a connectivity failure, the "one new token, one more try"
/// rule of token-authorized calls, and the credential owner told when the remote accepts or
/// refuses. What each API says in its errors, and which statuses it refuses credentials
/// with, stays with its connector.
struct ConnectorHTTP: Sendable {
    /// The transport, counting its attempts into `metrics`.
    private(set) var http: HTTPClient
    let metrics: ConnectorMetrics
    /// The resource the credentials belong to (its address), named by authentication failures.
    let owner: String?
    /// Told when the remote accepts the credentials.
    let use: CredentialUse?

    init(http: HTTPClient, owner: String?, use: CredentialUse?, metrics: ConnectorMetrics = ConnectorMetrics()) {
        var http = http
        let earlier = http.onAttempt
        http.onAttempt = { request, status, retryDelay in
            earlier?(request, status, retryDelay)
            metrics.call(to: request.url, status: status)
            // The transport waits out a 429 itself (its Retry-After) before the next attempt.
            if status == 429, let retryDelay { metrics.waitedForQuota(retryDelay, at: request.url) }
        }
        self.http = http
        self.metrics = metrics
        self.owner = owner
        self.use = use
    }

    /// The same client on a transport that leaves a 429 to the caller, for an API whose
    /// caller paces itself and handles a 429 with what it knows of the quota.
    func leavingRateLimits() -> ConnectorHTTP {
        var copy = self
        copy.http.retriesRateLimits = false
        return copy
    }

    /// The access token a call carries: how a live one is got (cached or new), how it is
    /// forgotten once refused, the header it goes in, which answers refuse it, and the
    /// failure when a new token is refused as well.
    struct CallToken {
        var current: () throws -> String
        var drop: () -> Void
        var header: (String) -> (name: String, value: String)
        var refuses: (HTTPResponse) -> Bool
        var refusedAgain: (HTTPResponse) -> FlowError
    }

    /// Sends `request` (the transport retries as it is set to); no answer at all is a
    /// connectivity failure. Any status is returned.
    func send(_ request: HTTPRequest, retryUnsafe: Bool = false) throws -> HTTPResponse {
        do {
            return try http.send(request, retryUnsafe: retryUnsafe)
        } catch {
            throw FlowError(.connectivity, "\(error)")
        }
    }

    /// Sends `request` with `token` (when given) in its header. `again` sees each answer
    /// first and returns true to send the request once more (after waiting for quota, say);
    /// then an answer that refuses the token drops it and the request goes once more with a
    /// new token; a second refusal throws the token's `refusedAgain`. Any other status is
    /// returned.
    func send(_ request: HTTPRequest, retryUnsafe: Bool = false, token: CallToken?,
              again: (HTTPResponse) throws -> Bool = { _ in false }) throws -> HTTPResponse {
        var renewed = false
        while true {
            var signed = request
            if let token {
                let current = try token.current()
                signed.headers.append(token.header(current))
            }
            let response = try send(signed, retryUnsafe: retryUnsafe)
            if try again(response) { continue }
            if let token, token.refuses(response) {
                token.drop()
                guard renewed else {
                    renewed = true
                    continue
                }
                throw token.refusedAgain(response)
            }
            return response
        }
    }

    /// The remote accepted the credentials.
    func accepted() {
        use?.accepted(owner)
    }

    /// The remote refused the credentials: an authentication failure naming their owner.
    func refusal(_ message: String) -> FlowError {
        FlowError(.authentication, message, credentialsOf: owner)
    }

    /// A remote failure for an error status: "`what` failed: HTTP `status`: `detail`" (the
    /// remote's own words, when it gave some), with the status.
    static func failure(_ what: String, status: Int, detail: String? = nil) -> FlowError {
        FlowError(.remote, "\(what) failed: HTTP \(status)\(detail.map { ": \($0)" } ?? "")", httpStatus: status)
    }
}
