import Foundation

/// The job queue in the state: scheduler ticks, leases, outcomes, retries, retention.
/// Every method is one transaction, so several worker processes can share one state.
public protocol RunQueue: Sendable {
    /// Queues runs for the scheduled jobs that are due at `now`; returns the new runs' ids.
    func enqueueDueRuns(now: Date, planner: DueJobPlanner, retry: RetryPolicy) throws -> [Int64]
    /// Queues a manual run (the caller checked `ManualRunPolicy`). Throws when the same job
    /// of the channel is already queued or running.
    func enqueue(_ request: RunRequest, now: Date, retry: RetryPolicy) throws -> RunInfo
    /// Claims the next runnable run of one of `jobs` (or exactly `runID`) under a lease.
    /// Runs whose lease expired are first taken back (retried or failed).
    func claimRun(jobs: Set<JobKind>, runID: Int64?, worker: String, lease: TimeInterval, now: Date,
                  retry: RetryPolicy) throws -> RunInfo?
    /// Extends the lease of a running run.
    func renewLease(runID: Int64, worker: String, until: Date) throws -> LeaseState
    /// Records the outcome; a failure with attempts left is queued again after a backoff.
    /// Returns the run as it is afterwards.
    func finishRun(runID: Int64, worker: String, outcome: RunOutcome, now: Date, retry: RetryPolicy) throws -> RunInfo?
    /// Gives a running run back to the queue (a worker shutting down).
    func releaseRun(runID: Int64, worker: String, now: Date) throws
    /// Appends log lines to a run.
    func appendLogs(runID: Int64, lines: [RunLogLine]) throws
    /// Cancels the queued runs of these channels and asks their running runs to stop;
    /// returns the runs still running.
    func cancelRuns(ofChannels channels: [String], now: Date) throws -> [RunInfo]
    /// Runs that are running and hold a live lease, for these channels.
    func liveRuns(ofChannels channels: [String], now: Date) throws -> [RunInfo]
    /// Lists runs, newest first.
    func runs(_ filter: RunFilter) throws -> [RunInfo]
    /// One run and its log lines.
    func run(id: Int64) throws -> (RunInfo, [RunLogLine])?
    /// Deletes finished runs (and their logs) older than each channel's `logs.retainDays`.
    func purgeExpiredRuns(now: Date, defaultRetainDays: Int) throws -> Int
    /// Alert events, newest first.
    func events(channel: String?, limit: Int) throws -> [AlertEvent]
}

/// An alert raised by the runtime (a run that failed for good), delivered by notifications.
public struct AlertEvent: Hashable, Sendable {
    public var id: Int64
    public var channel: String
    public var kind: String
    public var message: String
    public var runID: Int64?
    public var at: Date

    public init(id: Int64, channel: String, kind: String, message: String, runID: Int64? = nil, at: Date) {
        self.id = id
        self.channel = channel
        self.kind = kind
        self.message = message
        self.runID = runID
        self.at = at
    }
}

/// Errors of the queue.
public enum QueueError: Error, CustomStringConvertible, Equatable {
    case alreadyQueued(channel: String, job: JobKind, runID: Int64, status: RunStatus)
    case unknownRun(Int64)

    public var description: String {
        switch self {
        case .alreadyQueued(let channel, let job, let runID, let status):
            return "\(job.rawValue) of channel \(channel) is already \(status.rawValue) (run \(runID)); the same job never runs twice at once"
        case .unknownRun(let id):
            return "no run \(id); `syndic runs` lists the runs"
        }
    }
}
