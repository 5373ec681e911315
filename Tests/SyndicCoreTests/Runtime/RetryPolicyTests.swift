import Foundation
import Testing
@testable import SyndicCore

struct RetryPolicyTests {
    static let failedAt = try! Date("2026-03-28T12:00:00Z", strategy: .iso8601)

    @Test func theStandardPolicyIsFourAttemptsThirtySecondsApartDoubling() {
        #expect(RetryPolicy.standard == RetryPolicy())
        #expect(RetryPolicy.standard.maxAttempts == 4)
        #expect(RetryPolicy.standard.baseDelay == 30)
        #expect(RetryPolicy.standard.maxDelay == 1800)
    }

    @Test(arguments: [(1, 30.0), (2, 60.0), (3, 120.0)] as [(Int, TimeInterval)])
    func standardBackoff(after attempt: Int, delay: TimeInterval) {
        #expect(RetryPolicy.standard.nextAttempt(after: attempt, failedAt: Self.failedAt)
                == Self.failedAt.addingTimeInterval(delay))
    }

    @Test(arguments: [4, 5, 100])
    func noAttemptIsLeftAfterTheLast(attempt: Int) {
        #expect(RetryPolicy.standard.nextAttempt(after: attempt, failedAt: Self.failedAt) == nil)
    }

    @Test func delaysDoubleUpToTheLongestDelay() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 60, maxDelay: 300)
        let delays = (1...9).map { policy.nextAttempt(after: $0, failedAt: Self.failedAt)?.timeIntervalSince(Self.failedAt) }
        #expect(delays == [60, 120, 240, 300, 300, 300, 300, 300, 300])
        #expect(policy.nextAttempt(after: 10, failedAt: Self.failedAt) == nil)
    }

    @Test func oneAttemptMeansNoRetry() {
        let policy = RetryPolicy(maxAttempts: 1)
        #expect(policy.nextAttempt(after: 1, failedAt: Self.failedAt) == nil)
    }

    @Test func theDelayCountsFromTheFailure() {
        let later = Self.failedAt.addingTimeInterval(3600)
        #expect(RetryPolicy.standard.nextAttempt(after: 2, failedAt: later) == later.addingTimeInterval(60))
    }

    @Test func manyAttemptsStayAtTheLongestDelay() {
        let policy = RetryPolicy(maxAttempts: .max, baseDelay: 30, maxDelay: 1800)
        #expect(policy.nextAttempt(after: 2000, failedAt: Self.failedAt) == Self.failedAt.addingTimeInterval(1800))
    }

    @Test func delaysNeverDecrease() {
        let policy = RetryPolicy(maxAttempts: 20, baseDelay: 7, maxDelay: 1000)
        let delays = (1..<20).compactMap { policy.nextAttempt(after: $0, failedAt: Self.failedAt)?.timeIntervalSince(Self.failedAt) }
        #expect(delays.count == 19)
        #expect(zip(delays, delays.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(delays.last == 1000)
    }
}
