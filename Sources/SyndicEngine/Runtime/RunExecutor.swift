import Foundation
import Logging
import SyndicCore

/// Runs one claimed run: loads its channel, runs its job while renewing the lease, and
/// records the outcome (a failure is retried by the queue with backoff; a job that held its
/// output, such as a guarded product export, finishes the run `held`).
public struct RunExecutor: Sendable {
    public let store: any StateStore
    public let registry: JobRegistry
    public let worker: String
    public let lease: TimeInterval
    public let retry: RetryPolicy
    public let workDirectory: URL
    /// The process's log: a run's warnings, errors and summary go there too, with its
    /// `run`, `channel` and `job` (its item lines at debug level).
    public let logger: Logger
    public let metrics: WorkerMetrics
    /// Told of the progress a job reports, with its run.
    public let progress: @Sendable (RunInfo, RunProgress) -> Void

    public init(store: any StateStore, registry: JobRegistry, worker: String, lease: TimeInterval,
                retry: RetryPolicy = .standard, workDirectory: URL, logger: Logger = Worker.silentLogger,
                metrics: WorkerMetrics = WorkerMetrics(),
                progress: @escaping @Sendable (RunInfo, RunProgress) -> Void = { _, _ in }) {
        self.store = store
        self.registry = registry
        self.worker = worker
        self.lease = lease
        self.retry = retry
        self.workDirectory = workDirectory
        self.logger = logger
        self.metrics = metrics
        self.progress = progress
    }

    /// Tells a running execution to give its run back instead of finishing it.
    public final class Release: @unchecked Sendable {
        private let lock = NSLock()
        private var released = false
        private var onRequest: (@Sendable () -> Void)?
        public init() {}

        /// Gives the run back: its job is cancelled at once.
        public func request() {
            let action: (@Sendable () -> Void)? = lock.withLock {
                released = true
                return onRequest
            }
            action?()
        }

        var isRequested: Bool { lock.withLock { released } }

        /// Sets what a request does (runs at once if a request came first).
        func whenRequested(_ action: @escaping @Sendable () -> Void) {
            let already: Bool = lock.withLock {
                onRequest = action
                return released
            }
            if already { action() }
        }
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
        let baseDirectory: String
        do {
            baseDirectory = try store.applyDirectory() ?? FileManager.default.currentDirectoryPath
            guard let found = try store.resource(.channel, named: run.channel) else {
                return finish(run, .canceled(reason: "channel \(run.channel) no longer exists"))
            }
            channel = found
            spec = try CanonicalJSON.parse(found.specJSON)
            connections = Dictionary(uniqueKeysWithValues: try store.resources(.connection).map { ($0.name, $0) })
        } catch {
            return finish(run, .failed(error: "cannot read the state: \(error)", counts: [:], report: nil))
        }
        let logger = RunLogger(queue: store, runID: run.id, minimal: spec.value(at: "logs.minimal")?.boolValue == true,
                               process: Self.logger(self.logger, for: run))
        let folder = WorkFolder(root: workDirectory)
        let scratch: URL
        do {
            scratch = try folder.makeScratch(for: run.id)
        } catch {
            return finish(run, .failed(error: "cannot make the run's scratch folder under \(workDirectory.path): \(error)",
                                       counts: [:], report: nil))
        }
        // Whatever the outcome, nothing the run wrote there (private keys among them) stays.
        defer { folder.removeScratch(for: run.id) }
        // Every write of the job is fenced by this attempt's lease.
        let fenced = store.fenced(by: RunFence(runID: run.id, attempt: run.attempt, worker: worker))
        let context = JobContext(run: run, channel: channel, spec: spec, connections: connections, log: logger,
                                 progress: { [progress] update in progress(run, update) },
                                 workDirectory: workDirectory, now: { Date() }, exports: fenced, orders: fenced,
                                 baseDirectory: baseDirectory, scratchDirectory: scratch)
        let task = Task { try await job.run(context) }
        release.whenRequested { task.cancel() }
        let watch = LeaseWatch(heldUntil: run.leaseExpiresAt ?? Date().addingTimeInterval(lease))
        // Renewal runs on its own queue, not on the cooperative pool, so jobs that block a
        // pool thread (file or network I/O) can never starve it into losing the lease.
        let renewal = LeaseRenewal(every: max(0.05, lease / 3)) { [self] in
            renew(run, task: task, watch: watch, release: release)
        }
        let result = await task.result
        renewal.stop()
        logger.flush()
        if watch.lost {
            metrics.leaseLost(run)
            Self.logger(self.logger, for: run).warning("run \(run.id): lease lost; this worker stopped acting on it")
            return nil
        }
        if release.isRequested {
            try? store.releaseRun(runID: run.id, worker: worker, now: Date())
            return nil
        }
        switch result {
        case .success(let outcome):
            logger.summary(outcome.report)
            logger.flush()
            CredentialRecorder.accepted(outcome, store: store, at: Date())
            if let reason = outcome.heldBecause {
                return finish(run, .held(counts: outcome.counts, report: outcome.report, reason: reason))
            }
            return finish(run, .succeeded(counts: outcome.counts, report: outcome.report))
        case .failure(let error) where error is CancellationError:
            return finish(run, .canceled(reason: watch.cancelReason ?? "stopped"))
        case .failure(let error):
            logger.error("\(error)")
            logger.flush()
            CredentialRecorder.failed(error, store: store, at: Date())
            let permanent = (error as? JobFailure)?.isPermanent ?? false
            return finish(run, .failed(error: "\(error)", counts: [:], report: nil, retryable: !permanent,
                                       category: (error as? JobFailure)?.category))
        }
    }

    /// `logger` with the run's `run`, `channel` and `job`.
    public static func logger(_ logger: Logger, for run: RunInfo) -> Logger {
        var logger = logger
        logger[metadataKey: "run"] = "\(run.id)"
        logger[metadataKey: "channel"] = "\(run.channel)"
        logger[metadataKey: "job"] = "\(run.job.rawValue)"
        return logger
    }

    private func finish(_ run: RunInfo, _ outcome: RunOutcome) -> RunInfo? {
        try? store.finishRun(runID: run.id, worker: worker, outcome: outcome, now: Date(), retry: retry)
    }

    /// One renewal step; returns false when renewing should stop.
    private func renew(_ run: RunInfo, task: Task<JobResult, Error>, watch: LeaseWatch, release: Release) -> Bool {
        if release.isRequested {
            task.cancel()
            return false
        }
        let now = Date()
        let state: LeaseState
        do {
            state = try store.renewLease(runID: run.id, worker: worker, until: now.addingTimeInterval(lease))
        } catch {
            // The renewal did not get through (the state is busy or unreachable): the lease
            // is still held until it would expire, and lost from then on — another worker
            // may take the run back, so this copy must stop acting.
            guard now >= watch.heldUntil else { return true }
            watch.loseLease()
            task.cancel()
            return false
        }
        switch state {
        case .held:
            watch.renewed(until: now.addingTimeInterval(lease))
            return true
        case .cancelRequested:
            watch.cancel("its channel is being deleted")
            task.cancel()
            return false
        case .lost:
            watch.loseLease()
            task.cancel()
            return false
        }
    }

    /// What the lease renewal learned while the job ran.
    final class LeaseWatch: @unchecked Sendable {
        private let lock = NSLock()
        private var isLost = false
        private var reason: String?
        private var expiry: Date

        /// `expiry`: until when the claim holds the lease.
        init(heldUntil expiry: Date) {
            self.expiry = expiry
        }

        var lost: Bool { lock.withLock { isLost } }
        /// Until when the last successful claim or renewal holds the lease.
        var heldUntil: Date { lock.withLock { expiry } }
        func renewed(until date: Date) { lock.withLock { expiry = max(expiry, date) } }
        var cancelReason: String? { lock.withLock { reason } }
        func loseLease() { lock.withLock { isLost = true } }
        func cancel(_ why: String) { lock.withLock { reason = why } }
    }

    /// Calls a step on a private dispatch queue: every 50 ms while a release is pending, and
    /// the lease renewal every `interval`.
    final class LeaseRenewal: @unchecked Sendable {
        private let timer: DispatchSourceTimer
        private let queue = DispatchQueue(label: "syndic.lease-renewal")
        private var stopped = false

        init(every interval: TimeInterval, step: @escaping @Sendable () -> Bool) {
            timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(10))
            timer.setEventHandler { [weak self] in
                guard let self, !self.stopped else { return }
                if !step() {
                    self.stopped = true
                    self.timer.cancel()
                }
            }
            timer.resume()
        }

        /// Stops renewing and waits until no step is running.
        func stop() {
            queue.sync {
                if !stopped {
                    stopped = true
                    timer.cancel()
                }
            }
        }
    }
}
