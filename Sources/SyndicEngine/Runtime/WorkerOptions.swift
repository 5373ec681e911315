import Foundation

/// How a worker runs.
public struct WorkerOptions: Hashable, Sendable {
    /// Runs executed at the same time.
    public var concurrency: Int
    /// Lease length: a run whose worker stops renewing is taken back after this long.
    public var lease: TimeInterval
    /// Pause between scheduler ticks and claim attempts when idle.
    public var pollInterval: TimeInterval
    /// On shutdown, how long running jobs may finish before their runs are given back.
    public var grace: TimeInterval
    /// Tick once, run what is due, and exit.
    public var once: Bool
    /// Runs and logs are kept this many days when a channel does not say (`logs.retainDays`).
    public var defaultRetainDays: Int
    /// How often finished runs past their retention are removed.
    public var purgeInterval: TimeInterval

    public init(concurrency: Int = 2, lease: TimeInterval = 60, pollInterval: TimeInterval = 1, grace: TimeInterval = 30,
                once: Bool = false, defaultRetainDays: Int = 30, purgeInterval: TimeInterval = 3600) {
        self.concurrency = concurrency
        self.lease = lease
        self.pollInterval = pollInterval
        self.grace = grace
        self.once = once
        self.defaultRetainDays = defaultRetainDays
        self.purgeInterval = purgeInterval
    }
}
