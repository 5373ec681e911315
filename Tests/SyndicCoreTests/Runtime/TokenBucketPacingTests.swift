import Foundation
import Testing
@testable import SyndicCore

/// Pacing with a reserve of refill kept in the bucket, and the least time a number of calls
/// can take through a usage plan.
struct TokenBucketPacingTests {
    let start = Date(timeIntervalSince1970: 1_750_000_000)

    /// Times at which 9 requests leave, each taken when the one before it left.
    func sendTimes(burst: Double, reserve: TimeInterval) -> [Double] {
        var bucket = TokenBucket(rate: 10, burst: burst, now: start)
        var clock = 0.0
        return (0..<9).map { _ in
            clock += bucket.take(now: start.addingTimeInterval(clock), reserve: reserve)
            return clock
        }
    }

    func same(_ times: [Double], _ expected: [Double]) -> Bool {
        times.count == expected.count && zip(times, expected).allSatisfy { abs($0 - $1) < 1e-6 }
    }

    /// The reserve delays the requests that would leave the bucket below it, then they go
    /// one refill apart: the run ends later by the reserve, once.
    @Test func aReserveDelaysTheRunOnceNotEachRequest() {
        let plain = sendTimes(burst: 5, reserve: 0)
        #expect(same(plain, [0, 0, 0, 0, 0, 0.1, 0.2, 0.3, 0.4]), "\(plain)")
        // 0.15 s of refill kept (1.5 tokens at 10/s): the fourth request, which would leave
        // one token, waits 0.05 s; from the fifth on, every request leaves 0.15 s later.
        let kept = sendTimes(burst: 5, reserve: 0.15)
        #expect(same(kept, [0, 0, 0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.55]), "\(kept)")
        #expect(zip(kept, plain).dropFirst(4).allSatisfy { abs($0 - $1 - 0.15) < 1e-6 })
    }

    /// A reserve beyond what the bucket can hold is cut to half the burst less one token:
    /// it never slows the requests below the rate.
    @Test func aReserveLargerThanTheBurstKeepsTheRate() {
        let kept = sendTimes(burst: 3, reserve: 10)
        #expect(same(kept, [0, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]), "\(kept)")
    }

    @Test func aRefusalWaitsForTheNextTokenAndTheReserve() {
        var bucket = TokenBucket(rate: 2, burst: 5, now: start)
        // The bucket is empty: one token (0.5 s) and 0.1 s of refill kept.
        let wait = bucket.refused(now: start, reserve: 0.1)
        #expect(abs(wait - 0.6) < 1e-9)
    }

    @Test func theLeastTimeIsTheCallsBeyondTheTokensAtTheRate() {
        #expect(abs(TokenBucket.leastTime(calls: 1000, tokens: 30, rate: 0.5) - 1940) < 1e-9)
        #expect(TokenBucket.leastTime(calls: 20, tokens: 20, rate: 0.0167) == 0)
        #expect(TokenBucket.leastTime(calls: 3, tokens: 20, rate: 0.0167) == 0)
        #expect(TokenBucket.leastTime(calls: 3, tokens: 1, rate: 0) == .infinity)
        // Operations with buckets of their own go side by side: the longest decides.
        let pages = TokenBucket.leastTime(calls: 100, tokens: 20, rate: 0.0167)
        let items = TokenBucket.leastTime(calls: 1000, tokens: 30, rate: 0.5)
        #expect(abs(max(pages, items) - 80 / 0.0167) < 1e-6)
    }
}
