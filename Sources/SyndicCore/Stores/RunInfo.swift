import Foundation

/// One run as commands and workers see it.
public struct RunInfo: Hashable, Sendable {
    public var id: Int64
    public var channel: String
    public var job: JobKind
    public var trigger: RunTrigger
    public var dryRun: Bool
    public var full: Bool
    /// A product export sent even if the channel's export guard would hold it (`--force`):
    /// for this run only.
    public var force: Bool
    /// The schedule slot a scheduled run is for.
    public var slot: Date?
    public var status: RunStatus
    public var attempt: Int
    public var maxAttempts: Int
    public var notBefore: Date
    public var queuedAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?
    public var cancelRequested: Bool
    public var counts: [String: Int]
    public var report: String?
    public var error: String?

    public init(id: Int64, channel: String, job: JobKind, trigger: RunTrigger, dryRun: Bool, full: Bool, force: Bool = false, slot: Date? = nil, status: RunStatus, attempt: Int, maxAttempts: Int, notBefore: Date, queuedAt: Date, startedAt: Date? = nil, finishedAt: Date? = nil, leaseOwner: String? = nil, leaseExpiresAt: Date? = nil, cancelRequested: Bool, counts: [String: Int], report: String? = nil, error: String? = nil) {
        self.id = id
        self.channel = channel
        self.job = job
        self.trigger = trigger
        self.dryRun = dryRun
        self.full = full
        self.force = force
        self.slot = slot
        self.status = status
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.notBefore = notBefore
        self.queuedAt = queuedAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.leaseOwner = leaseOwner
        self.leaseExpiresAt = leaseExpiresAt
        self.cancelRequested = cancelRequested
        self.counts = counts
        self.report = report
        self.error = error
    }
}

/// One log line of a run.
public struct RunLogLine: Hashable, Sendable {
    public var seq: Int
    public var at: Date
    public var level: String
    public var message: String

    public init(seq: Int, at: Date, level: String, message: String) {
        self.seq = seq
        self.at = at
        self.level = level
        self.message = message
    }
}

/// A request to queue a run.
public struct RunRequest: Hashable, Sendable {
    public var channel: String
    public var job: JobKind
    public var trigger: RunTrigger
    public var dryRun: Bool
    public var full: Bool
    /// Product export only: skip the channel's export guard for this run.
    public var force: Bool

    public init(channel: String, job: JobKind, trigger: RunTrigger, dryRun: Bool = false, full: Bool = false,
                force: Bool = false) {
        self.channel = channel
        self.job = job
        self.trigger = trigger
        self.dryRun = dryRun
        self.full = full
        self.force = force
    }
}

/// How a run ended, as its job reports it.
public enum RunOutcome: Hashable, Sendable {
    case succeeded(counts: [String: Int], report: String)
    /// A failed attempt; retried with backoff while attempts remain, unless not `retryable`
    /// (the same attempt would fail the same way: a configuration or credentials problem).
    /// `category` says what failed (`authentication`, `connectivity`, …) for the alert it raises.
    case failed(error: String, counts: [String: Int], report: String?, retryable: Bool = true, category: String? = nil)
    case canceled(reason: String)
    /// The job sent nothing on purpose (a product export's guard held it): the run is finished
    /// `held`, not retried, and raises an `export-held` alert saying `reason`.
    case held(counts: [String: Int], report: String, reason: String)
}

/// Whether a worker still holds a run's lease.
public enum LeaseState: Hashable, Sendable {
    case held
    /// Held, but the run must stop (its channel is being deleted).
    case cancelRequested
    /// Another worker took the run over, or it was finished or deleted.
    case lost
}

/// Which runs to list.
public struct RunFilter: Hashable, Sendable {
    public var channel: String?
    public var job: JobKind?
    public var status: RunStatus?
    public var limit: Int
    /// How many of the newest matching runs to skip (pages).
    public var offset: Int

    public init(channel: String? = nil, job: JobKind? = nil, status: RunStatus? = nil, limit: Int = 50, offset: Int = 0) {
        self.channel = channel
        self.job = job
        self.status = status
        self.limit = limit
        self.offset = offset
    }
}
