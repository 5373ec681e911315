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
    public mutating func take(now: Date) -> TimeInterval {
        refill(now)
        tokens -= 1
        return tokens >= 0 ? 0 : -tokens / rate
    }

    /// The server refused a request for quota: the bucket is empty at `now`, and the refused
    /// request waits for the next token like the others.
    public mutating func refused(now: Date) -> TimeInterval {
        refill(now)
        tokens = min(tokens, 0) - 1
        return -tokens / rate
    }

    /// The rate the server announced (requests per second); a new rate applies from `now`.
    public mutating func learn(rate newRate: Double, now: Date) {
        guard newRate > 0, newRate.isFinite, abs(newRate - rate) > rate * 1e-6 else { return }
        refill(now)
        rate = newRate
    }

    private mutating func refill(_ now: Date) {
        let elapsed = now.timeIntervalSince(updated)
        if elapsed > 0 {
            tokens = min(burst, tokens + elapsed * rate)
            updated = now
        }
    }
}
