import Foundation

/// How failed runs are retried: exponential backoff up to a number of attempts.
public struct RetryPolicy: Hashable, Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// Delay before the second attempt.
    public var baseDelay: TimeInterval
    /// Longest delay between attempts.
    public var maxDelay: TimeInterval

    public init(maxAttempts: Int = 4, baseDelay: TimeInterval = 30, maxDelay: TimeInterval = 1800) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The default: 4 attempts, 30 s, 60 s, 120 s apart.
    public static let standard = RetryPolicy()

    /// When the attempt after `attempt` (1-based) may start, or nil when none is left.
    public func nextAttempt(after attempt: Int, failedAt date: Date) -> Date? {
        guard attempt < maxAttempts else { return nil }
        let delay = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
        return date.addingTimeInterval(delay)
    }
}
