import Foundation

/// A usage plan as a token bucket (the model of Amazon's SP-API rate limits): it holds up to
/// `burst` requests, refills at `rate` requests per second, and each request takes one.
/// Pure: the caller passes the time, so tests move it by hand.
public struct TokenBucket: Hashable, Sendable {
    /// Requests per second the bucket refills.
    public private(set) var rate: Double
    /// The most requests it holds.
    public let burst: Double
    /// Requests available at `updated`.
    public private(set) var tokens: Double
    private var updated: Date

    /// A full bucket at `now`.
    public init(rate: Double, burst: Double, now: Date) {
        self.rate = max(rate, 1e-6)
        self.burst = max(burst, 1)
        tokens = self.burst
        updated = now
    }

    /// Takes one request at `now`: the seconds to wait before sending it (0 when a token is
    /// there). The token is spoken for either way, so callers that share the bucket queue up.
    /// With a `reserve`, the request also waits until that many seconds of refill are left in
    /// the bucket after it (at most half the burst, less one: a bucket never holds more than
    /// its burst, so a larger reserve would slow every request): the server's bucket then
    /// still holds them when the request arrives a little later than it was counted here.
    /// Once the bucket is empty, requests stay one refill apart, so a reserve delays a run
    /// once, not each request.
    public mutating func take(now: Date, reserve: TimeInterval = 0) -> TimeInterval {
        refill(now)
        tokens -= 1
        return wait(keeping: reserve)
    }

    /// The server refused a request for quota: the bucket is empty at `now`, and the refused
    /// request waits for the next token like the others (and for `reserve`, as `take` does).
    public mutating func refused(now: Date, reserve: TimeInterval = 0) -> TimeInterval {
        refill(now)
        tokens = min(tokens, 0) - 1
        return wait(keeping: reserve)
    }

    /// The least time `calls` requests take through a bucket holding `tokens` at the start
    /// and refilling at `rate` requests per second: the first `tokens` go at once, each
    /// further one a refill later, so the last leaves after `(calls - tokens) / rate` seconds
    /// (0 when the tokens cover them all). Several operations with buckets of their own can
    /// go side by side: together they take the longest of their least times.
    public static func leastTime(calls: Int, tokens: Double, rate: Double) -> TimeInterval {
        guard rate > 0 else { return calls > 0 && Double(calls) > tokens ? .infinity : 0 }
        return max(0, (Double(calls) - tokens) / rate)
    }

    /// The rate the server announced (requests per second); a new rate applies from `now`.
    public mutating func learn(rate newRate: Double, now: Date) {
        guard newRate > 0, newRate.isFinite, abs(newRate - rate) > rate * 1e-6 else { return }
        refill(now)
        rate = newRate
    }

    /// Seconds until the bucket, as the takes so far left it, holds `reserve` seconds of refill
    /// (at most half its burst less one).
    private func wait(keeping reserve: TimeInterval) -> TimeInterval {
        let kept = min(max(0, reserve) * rate, (burst - 1) / 2)
        let wait = (kept - tokens) / rate
        return wait > 0 ? wait : 0
    }

    private mutating func refill(_ now: Date) {
        let elapsed = now.timeIntervalSince(updated)
        if elapsed > 0 {
            tokens = min(burst, tokens + elapsed * rate)
            updated = now
        }
    }
}
