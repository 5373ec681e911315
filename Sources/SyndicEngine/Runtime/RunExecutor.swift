import Foundation
import SyndicCore
import SyndicStore

/// Runs one claimed run: loads its channel, runs its job while renewing the lease, and
/// records the outcome (a failure is retried by the queue with backoff).
public struct RunExecutor: Sendable {
    public let store: any StateStore
    public let registry: JobRegistry
    public let worker: String
    public let lease: TimeInterval
    public let retry: RetryPolicy
    public let workDirectory: URL
    public let progress: @Sendable (RunInfo, Int, Int?) -> Void

    public init(store: any StateStore, registry: JobRegistry, worker: String, lease: TimeInterval,
                retry: RetryPolicy = .standard, workDirectory: URL,
                progress: @escaping @Sendable (RunInfo, Int, Int?) -> Void = { _, _, _ in }) {
        self.store = store
        self.registry = registry
        self.worker = worker
        self.lease = lease
        self.retry = retry
        self.workDirectory = workDirectory
        self.progress = progress
    }

    /// Tells a running execution to give its run back instead of finishing it.
    public final class Release: @unchecked Sendable {
        private let lock = NSLock()
        private var released = false
        public init() {}
        public func request() { lock.withLock { released = true } }
        var isRequested: Bool { lock.withLock { released } }
    }

    /// Executes `run`; returns the run as recorded, or nil when the lease was lost or the run
    /// was released.
    @discardableResult
    public func execute(_ run: RunInfo, release: Release = Release()) async -> RunInfo? {
        guard let job = registry.job(run.job) else {
            return finish(run, .failed(error: "this build has no implementation of \(run.job.rawValue)", counts: [:], report: nil))
        }
        let channel: AppliedResource
        let spec: Value
        let connections: [String: AppliedResource]
        do {
            guard let found = try store.resource(.channel, named: run.channel) else {
                return finish(run, .canceled(reason: "channel \(run.channel) no longer exists"))
            }
            channel = found
            spec = try CanonicalJSON.parse(found.specJSON)
            connections = Dictionary(uniqueKeysWithValues: try store.resources(.connection).map { ($0.name, $0) })
        } catch {
            return finish(run, .failed(error: "cannot read the state: \(error)", counts: [:], report: nil))
        }
        let logger = RunLogger(queue: store, runID: run.id, minimal: spec.value(at: "logs.minimal")?.boolValue == true)
        let context = JobContext(run: run, channel: channel, spec: spec, connections: connections, log: logger,
                                 progress: { [progress] done, total in progress(run, done, total) },
                                 workDirectory: workDirectory, now: { Date() })
        let task = Task { try await job.run(context) }
        let watch = LeaseWatch()
        let renewal = Task { await renewLease(run, task: task, watch: watch, release: release) }
        let result = await task.result
        renewal.cancel()
        _ = await renewal.result
        logger.flush()
        if watch.lost { return nil }
        if release.isRequested {
            try? store.releaseRun(runID: run.id, worker: worker, now: Date())
            return nil
        }
        switch result {
        case .success(let outcome):
            logger.summary(outcome.report)
            logger.flush()
            return finish(run, .succeeded(counts: outcome.counts, report: outcome.report))
        case .failure(let error) where error is CancellationError:
            return finish(run, .canceled(reason: watch.cancelReason ?? "stopped"))
        case .failure(let error):
            logger.error("\(error)")
            logger.flush()
            return finish(run, .failed(error: "\(error)", counts: [:], report: nil))
        }
    }

    private func finish(_ run: RunInfo, _ outcome: RunOutcome) -> RunInfo? {
        try? store.finishRun(runID: run.id, worker: worker, outcome: outcome, now: Date(), retry: retry)
    }

    /// Renews the lease every third of its length; stops the job when the run must stop or
    /// is being given back.
    private func renewLease(_ run: RunInfo, task: Task<JobResult, Error>, watch: LeaseWatch, release: Release) async {
        let interval = max(0.05, lease / 3)
        var lastRenewal = Date()
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: 50_000_000)
            if Task.isCancelled { return }
            if release.isRequested { task.cancel(); return }
            guard Date().timeIntervalSince(lastRenewal) >= interval else { continue }
            lastRenewal = Date()
            switch (try? store.renewLease(runID: run.id, worker: worker, until: Date().addingTimeInterval(lease))) ?? .held {
            case .held: continue
            case .cancelRequested:
                watch.cancel("its channel is being deleted")
                task.cancel()
                return
            case .lost:
                watch.loseLease()
                task.cancel()
                return
            }
        }
    }

    /// What the lease renewal learned while the job ran.
    final class LeaseWatch: @unchecked Sendable {
        private let lock = NSLock()
        private var isLost = false
        private var reason: String?

        var lost: Bool { lock.withLock { isLost } }
        var cancelReason: String? { lock.withLock { reason } }
        func loseLease() { lock.withLock { isLost = true } }
        func cancel(_ why: String) { lock.withLock { reason = why } }
    }
}
