import Foundation
import SyndicCore

/// Paces calls to an API with per-operation usage plans (Amazon's SP-API): one token bucket
/// per account and operation, shared by every run of the process, so that calls wait for
/// quota before they are sent instead of being refused. Rates are learned from the
/// server's answers (`x-amzn-RateLimit-Limit`); bursts come from the published plans.
final class UsagePlans: @unchecked Sendable {
    /// A plan: requests per second and the most held at once.
    struct Plan: Hashable, Sendable {
        var rate: Double
        var burst: Double
    }

    /// The buckets of every Amazon seller account this process calls.
    static let amazon = UsagePlans(defaults: [
        "getOrders": Plan(rate: 0.0167, burst: 20),
        "getOrder": Plan(rate: 0.5, burst: 30),
        "getOrderItems": Plan(rate: 0.5, burst: 30),
        "confirmShipment": Plan(rate: 2, burst: 10),
        "createRestrictedDataToken": Plan(rate: 1, burst: 10),
    ], fallback: Plan(rate: 1, burst: 1))

    private let defaults: [String: Plan]
    private let fallback: Plan
    private let lock = NSLock()
    private var buckets: [String: TokenBucket] = [:]

    init(defaults: [String: Plan], fallback: Plan) {
        self.defaults = defaults
        self.fallback = fallback
    }

    /// Takes a request of `operation` for `account` at `now`: the seconds to wait first.
    func take(_ operation: String, account: String, now: Date) -> TimeInterval {
        update(operation, account: account, now: now) { $0.take(now: now) }
    }

    /// The server refused a request for quota: the seconds to wait before sending it again.
    func refused(_ operation: String, account: String, now: Date) -> TimeInterval {
        update(operation, account: account, now: now) { $0.refused(now: now) }
    }

    /// The rate the server announced for `operation` (the header's text; ignored unless a
    /// positive number).
    func learn(_ operation: String, account: String, rate text: String?, now: Date) {
        guard let text, let rate = Double(text.trimmingCharacters(in: .whitespaces)), rate > 0 else { return }
        update(operation, account: account, now: now) { $0.learn(rate: rate, now: now) }
    }

    /// The bucket of `operation` for `account` (a copy), for tests.
    func bucket(_ operation: String, account: String) -> TokenBucket? {
        lock.withLock { buckets[account + "\u{0}" + operation] }
    }

    private func update<T>(_ operation: String, account: String, now: Date, _ change: (inout TokenBucket) -> T) -> T {
        lock.withLock {
            let key = account + "\u{0}" + operation
            let plan = defaults[operation] ?? fallback
            var bucket = buckets[key] ?? TokenBucket(rate: plan.rate, burst: plan.burst, now: now)
            let result = change(&bucket)
            buckets[key] = bucket
            return result
        }
    }
}
