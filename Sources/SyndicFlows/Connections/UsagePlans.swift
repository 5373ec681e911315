import Foundation
import SyndicCore

/// Paces calls to an API with per-operation usage plans (Amazon's SP-API): one token bucket
/// per account and operation, shared by every run of the process, so that calls wait for
/// quota before they are sent instead of being refused. Rates are learned from the
/// server's answers (`x-amzn-RateLimit-Limit`); bursts come from the published plans.
///
/// Two allowances keep the pacing on the safe side of the server's bucket: `rateShare` paces
/// a little below the rate (Amazon shows rates rounded, one a minute as `0.0167`, 0.2 % above
/// 1/60: at the shown rate a long retrieval would run ahead of the refill by a tenth of a
/// second a minute), which makes paced calls that much slower; and `reserve` keeps that
/// many seconds of refill in the bucket (a request is counted here when it leaves, on
/// Amazon's side when it arrives: when Amazon's bucket is full meanwhile, the refill of that
/// moment is lost there, not here), which delays a run once, not each call.
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
    ], fallback: Plan(rate: 1, burst: 1), rateShare: 0.997, reserve: 0.1)

    private let defaults: [String: Plan]
    private let fallback: Plan
    /// The share of a plan's (or an announced) rate the buckets refill at.
    let rateShare: Double
    /// Seconds of refill each bucket keeps in hand (see `TokenBucket.take(now:reserve:)`).
    let reserve: TimeInterval
    private let lock = NSLock()
    private var buckets: [String: TokenBucket] = [:]

    init(defaults: [String: Plan], fallback: Plan, rateShare: Double = 1, reserve: TimeInterval = 0) {
        self.defaults = defaults
        self.fallback = fallback
        self.rateShare = rateShare > 0 && rateShare <= 1 ? rateShare : 1
        self.reserve = max(0, reserve)
    }

    /// Takes a request of `operation` for `account` at `now`: the seconds to wait first.
    func take(_ operation: String, account: String, now: Date) -> TimeInterval {
        update(operation, account: account, now: now) { $0.take(now: now, reserve: reserve) }
    }

    /// The server refused a request for quota: the seconds to wait before sending it again.
    func refused(_ operation: String, account: String, now: Date) -> TimeInterval {
        update(operation, account: account, now: now) { $0.refused(now: now, reserve: reserve) }
    }

    /// The rate the server announced for `operation` (the header's text; ignored unless a
    /// positive number).
    func learn(_ operation: String, account: String, rate text: String?, now: Date) {
        guard let text, let rate = Double(text.trimmingCharacters(in: .whitespaces)), rate > 0, rate.isFinite else { return }
        update(operation, account: account, now: now) { $0.learn(rate: rate * rateShare, now: now) }
    }

    /// The bucket of `operation` for `account` (a copy), for tests.
    func bucket(_ operation: String, account: String) -> TokenBucket? {
        lock.withLock { buckets[account + "\u{0}" + operation] }
    }

    private func update<T>(_ operation: String, account: String, now: Date, _ change: (inout TokenBucket) -> T) -> T {
        lock.withLock {
            let key = account + "\u{0}" + operation
            let plan = defaults[operation] ?? fallback
            var bucket = buckets[key] ?? TokenBucket(rate: plan.rate * rateShare, burst: plan.burst, now: now)
            let result = change(&bucket)
            buckets[key] = bucket
            return result
        }
    }
}
