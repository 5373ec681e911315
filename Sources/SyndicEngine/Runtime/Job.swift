import Foundation
import SyndicCore

/// One data flow that a worker runs for one channel: product export, requirements sync,
/// order retrieval, order export, shipment import, confirmation push.
///
/// A job must be idempotent: a run whose worker died is retried by another worker. It
/// checks `context.checkCancellation()` between units of work so that a channel delete or a
/// shutdown stops it promptly.
public protocol Job: Sendable {
    /// The job kind this implementation runs.
    var kind: JobKind { get }
    /// Runs once; throws to fail the attempt (the runtime retries with backoff).
    func run(_ context: JobContext) async throws -> JobResult
}

/// An error a job throws that knows whether trying again can help: a permanent failure (bad
/// configuration, refused credentials) fails the run at once instead of being retried.
public protocol JobFailure: Error {
    var isPermanent: Bool { get }
    /// What failed (`authentication`, `connectivity`, `storage`, …): the alert it raises.
    var category: String? { get }
    /// The resource (an address, `connection.pim`) whose credentials a remote refused: the
    /// runtime marks them invalid in the state.
    var refusedCredentials: String? { get }
}

extension JobFailure {
    public var category: String? { nil }
    public var refusedCredentials: String? { nil }
}

/// What a finished job reports: counts ("exported": 120) and a human-readable report.
public struct JobResult: Hashable, Sendable {
    public var counts: [String: Int]
    public var report: String
    /// The resources (addresses) whose credentials the remotes accepted: the runtime marks
    /// them valid, clearing an earlier refusal.
    public var acceptedCredentials: [String]
    /// Why the job sent nothing on purpose, when it did (a product export's guard held it):
    /// the runtime then finishes the run `held` instead of `succeeded`, does not retry it, and
    /// raises an `export-held` alert with this reason.
    public var heldBecause: String?

    public init(counts: [String: Int] = [:], report: String, acceptedCredentials: [String] = [],
                heldBecause: String? = nil) {
        self.counts = counts
        self.report = report
        self.acceptedCredentials = acceptedCredentials
        self.heldBecause = heldBecause
    }
}

/// Everything a job gets from the runtime: the channel, the run, a logger, progress.
public struct JobContext: Sendable {
    public let run: RunInfo
    /// The channel as applied.
    public let channel: AppliedResource
    /// The channel's spec value.
    public let spec: Value
    /// The connections the state holds, by name.
    public let connections: [String: AppliedResource]
    public let log: RunLogger
    /// Reports how far the job got (done of total when known, items so far, a wait); shown
    /// on a terminal by `syndic run --wait`. Cheap to call: a job calls it between units of
    /// work, the terminal redraws at most a few times a second.
    public let progress: @Sendable (RunProgress) -> Void
    /// The directory for files a job keeps (dry-run exports), under the state directory.
    public let workDirectory: URL
    /// The run's own scratch folder (private keys, files being built): made private before
    /// the run, removed after it.
    public let scratchDirectory: URL
    /// The time source.
    public let now: @Sendable () -> Date
    /// What the product flows keep in the state: delta snapshots, export records, run files,
    /// requirements. Every write is fenced by the run's attempt.
    public let exports: any ExportStore
    /// What the order flows keep in the state: orders, shipments, cursors, order errors and
    /// alerts. Every write is fenced by the run's attempt.
    public let orders: any OrderStore
    /// Where relative file names of resources start (the directory apply ran in).
    public let baseDirectory: String

    public init(run: RunInfo, channel: AppliedResource, spec: Value, connections: [String: AppliedResource],
                log: RunLogger, progress: @escaping @Sendable (RunProgress) -> Void, workDirectory: URL,
                now: @escaping @Sendable () -> Date, exports: any ExportStore, orders: any OrderStore,
                baseDirectory: String = FileManager.default.currentDirectoryPath, scratchDirectory: URL? = nil) {
        self.scratchDirectory = scratchDirectory ?? WorkFolder(root: workDirectory).scratch(for: run.id)
        self.exports = exports
        self.orders = orders
        self.baseDirectory = baseDirectory
        self.run = run
        self.channel = channel
        self.spec = spec
        self.connections = connections
        self.log = log
        self.progress = progress
        self.workDirectory = workDirectory
        self.now = now
    }

    /// Throws `CancellationError` when the run must stop.
    public func checkCancellation() throws { try Task.checkCancellation() }
}

/// The job implementations a worker can run, by kind.
public struct JobRegistry: Sendable {
    private var jobs: [JobKind: any Job] = [:]

    public init(_ jobs: [any Job] = []) {
        for job in jobs { self.jobs[job.kind] = job }
    }

    /// The implementation of `kind`, if this build has one.
    public func job(_ kind: JobKind) -> (any Job)? { jobs[kind] }

    /// The kinds this registry can run (a worker claims only these).
    public var kinds: Set<JobKind> { Set(jobs.keys) }

}
