import Foundation
import Testing
@testable import SyndicCore

/// Usage plans as token buckets, with time moved by hand.
struct TokenBucketTests {
    let start = Date(timeIntervalSince1970: 1_750_000_000)

    @Test func aFullBucketServesItsBurstThenOneRequestPerRefill() {
        var bucket = TokenBucket(rate: 0.5, burst: 30, now: start)
        let waits = (0..<32).map { _ in bucket.take(now: start) }
        #expect(waits.prefix(30).allSatisfy { $0 == 0 })
        // The 31st waits for one token (2 s), the 32nd for two (4 s): callers queue up.
        #expect(waits[30] == 2)
        #expect(waits[31] == 4)
    }

    @Test func tokensComeBackWithTimeUpToTheBurst() {
        var bucket = TokenBucket(rate: 1, burst: 3, now: start)
        for _ in 0..<3 { _ = bucket.take(now: start) }
        #expect(bucket.take(now: start.addingTimeInterval(1)) == 0)
        // A long pause refills no more than the burst.
        let later = start.addingTimeInterval(1000)
        #expect((0..<3).map { _ in bucket.take(now: later) } == [0, 0, 0])
        #expect(bucket.take(now: later) == 1)
    }

    @Test func aRefusalEmptiesTheBucket() {
        var bucket = TokenBucket(rate: 0.0167, burst: 20, now: start)
        #expect(bucket.take(now: start) == 0)
        // The server says no (another client took the quota): wait one refill period.
        let wait = bucket.refused(now: start)
        #expect(abs(wait - 1 / 0.0167) < 1e-6)
    }

    @Test func aLearnedRateAppliesFromThen() {
        var bucket = TokenBucket(rate: 0.0167, burst: 1, now: start)
        _ = bucket.take(now: start)
        bucket.learn(rate: 1, now: start)
        #expect(bucket.take(now: start) == 1)
        bucket.learn(rate: -3, now: start)
        #expect(bucket.rate == 1)
    }
}
