import Foundation
import Logging
import SyndicCore

/// The worker: ticks the scheduler, claims due runs under leases and executes them, up to
/// `concurrency` at once. Several workers (processes) can share one state.
///
/// `stop()` (SIGTERM, SIGINT) stops claiming, lets running jobs finish within the grace
/// period, then gives the remaining runs back to the queue.
public actor Worker {
    public let name: String
    private let store: any StateStore
    private let registry: JobRegistry
    private let options: WorkerOptions
    private let executor: RunExecutor
    private let logger: Logger
    private let metrics: WorkerMetrics
    /// When the loop last ticked, for `/healthz`.
    private let heartbeat = Heartbeat()
    private var running: [Int64: (task: Task<Void, Never>, release: RunExecutor.Release)] = [:]
    private var stopping = false
    private var lastPurge = Date.distantPast
    private var wake: CheckedContinuation<Void, Never>?
    /// Counts pauses, so that a timer only ends the pause that started it.
    private var pauseGeneration = 0
    /// Work done beside the runs on every tick (alert delivery), off the actor.
    private let housekeeping: (@Sendable () -> Void)?
    private var housekeepingTask: Task<Void, Never>?

    /// `logger` gets the worker's lines (a run's lines carry `run`, `channel` and `job`);
    /// `metrics` counts runs (nothing is counted unless the process set up a metrics backend).
    public init(store: any StateStore, registry: JobRegistry, options: WorkerOptions, workDirectory: URL,
                name: String = Worker.defaultName(), logger: Logger = Worker.silentLogger,
                metrics: WorkerMetrics = WorkerMetrics(), housekeeping: (@Sendable () -> Void)? = nil) {
        self.name = name
        self.housekeeping = housekeeping
        self.store = store
        self.registry = registry
        self.options = options
        self.logger = logger
        self.metrics = metrics
        executor = RunExecutor(store: store, registry: registry, worker: name, lease: options.lease,
                               workDirectory: workDirectory, logger: logger, metrics: metrics)
        self.workDirectory = workDirectory
    }

    private let workDirectory: URL

    /// Removes what runs killed mid-way left in the work folder: the scratch folders of runs
    /// that no live lease holds (another worker's running runs keep theirs).
    func sweepWorkFolder(now: Date) {
        let folder = WorkFolder(root: workDirectory)
        try? folder.prepare()
        let live = ((try? store.runs(RunFilter(status: .running, limit: 100_000))) ?? [])
            .filter { ($0.leaseExpiresAt ?? .distantPast) > now }.map(\.id)
        let removed = folder.sweep(keeping: Set(live))
        if removed > 0 { logger.info("removed \(removed) temporary folder\(removed == 1 ? "" : "s") left by stopped runs") }
    }

    /// A logger that writes nothing (the default of tests and embedders).
    public static let silentLogger = Logger(label: "syndic.worker", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Sets the queue-depth gauge from the state: the runs queued and due now, by job.
    /// Called before each scrape of the metrics.
    public nonisolated func measureQueue(now: Date = Date()) {
        guard let queued = try? store.runs(RunFilter(status: .queued, limit: 100_000)) else { return }
        var depth: [JobKind: Int] = [:]
        for run in queued where run.notBefore <= now { depth[run.job, default: 0] += 1 }
        metrics.queueDepth(depth, kinds: registry.kinds)
    }

    /// Whether the worker is healthy: the state answers and the loop ticked lately (within
    /// ten poll intervals, at least a minute).
    public nonisolated func isHealthy(now: Date = Date()) -> Bool {
        guard (try? store.ping()) != nil else { return false }
        guard let last = heartbeat.last else { return false }
        return now.timeIntervalSince(last) <= max(60, options.pollInterval * 10)
    }

    /// `host:pid`, unique per process.
    public static func defaultName() -> String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// Runs until `stop()` (or, with `once`, until what was due has run). Returns the number
    /// of runs executed.
    @discardableResult
    public func run() async -> Int {
        var executed = 0
        sweepWorkFolder(now: Date())
        logger.info("worker \(name) started: concurrency \(options.concurrency), jobs \(registry.kinds.map(\.rawValue).sorted().joined(separator: ", ").nonEmpty ?? "none in this build")")
        while !stopping {
            let now = Date()
            heartbeat.beat(now)
            do {
                let queued = try store.enqueueDueRuns(now: now, planner: DueJobPlanner(), retry: .standard)
                if !queued.isEmpty { logger.info("scheduled runs \(queued.map(String.init).joined(separator: ", "))") }
                if now.timeIntervalSince(lastPurge) >= options.purgeInterval {
                    lastPurge = now
                    let removed = try store.purgeExpiredRuns(now: now, defaultRetainDays: options.defaultRetainDays)
                    if removed > 0 { logger.info("removed \(removed) runs past their retention") }
                }
                var claimed = 0
                while running.count < options.concurrency, !stopping,
                      let run = try store.claimRun(jobs: registry.kinds, runID: nil, worker: name, lease: options.lease,
                                                   now: Date(), retry: .standard) {
                    start(run)
                    claimed += 1
                    executed += 1
                }
                if options.once && claimed == 0 && running.isEmpty { break }
            } catch {
                logger.error("worker error: \(error)")
            }
            startHousekeeping()
            await pause()
        }
        await drain()
        await housekeepingTask?.value
        if let housekeeping { await Task.detached { housekeeping() }.value }
        logger.info("worker \(name) stopped")
        return executed
    }

    /// Starts the housekeeping unless the last round still runs.
    private func startHousekeeping() {
        guard let housekeeping, housekeepingTask == nil else { return }
        housekeepingTask = Task.detached { [weak self] in
            housekeeping()
            await self?.housekeepingDone()
        }
    }

    private func housekeepingDone() { housekeepingTask = nil }

    /// Asks the worker to stop: no new claims; running jobs get the grace period.
    public func stop() {
        stopping = true
        wake?.resume()
        wake = nil
    }

    // MARK: - Internals

    private func start(_ run: RunInfo) {
        RunExecutor.logger(logger, for: run).info("run \(run.id): \(run.channel) \(run.job.rawValue) attempt \(run.attempt) started")
        metrics.started(run)
        let release = RunExecutor.Release()
        let executor = self.executor
        let started = ContinuousClock.now
        let task = Task {
            let finished = await executor.execute(run, release: release)
            let elapsed = ContinuousClock.now - started
            self.finished(run, finished, seconds: Double(elapsed.components.seconds)
                                    + Double(elapsed.components.attoseconds) * 1e-18)
        }
        running[run.id] = (task, release)
    }

    private func finished(_ run: RunInfo, _ result: RunInfo?, seconds: Double) {
        running[run.id] = nil
        metrics.finished(run, result: result, seconds: seconds)
        let status = result.map { "\($0.status.rawValue)\($0.status == .queued ? " (retry \($0.attempt) of \($0.maxAttempts))" : "")" }
            ?? "given back"
        let log = RunExecutor.logger(logger, for: run)
        let line = "run \(run.id): \(run.channel) \(run.job.rawValue) \(status)"
        if result?.status == .failed || result?.status == .queued { log.warning("\(line)") } else { log.info("\(line)") }
        wake?.resume()
        wake = nil
    }

    /// Sleeps for the poll interval, or until a run finishes or `stop()` is called.
    private func pause() async {
        let interval = options.pollInterval
        pauseGeneration += 1
        let generation = pauseGeneration
        let sleeper = Task { [weak self] in
            try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
            if Task.isCancelled { return }
            await self?.wakeUp(generation)
        }
        await withCheckedContinuation { continuation in
            if stopping { continuation.resume() } else { wake = continuation }
        }
        sleeper.cancel()
    }

    private func wakeUp(_ generation: Int) {
        guard generation == pauseGeneration else { return }
        wake?.resume()
        wake = nil
    }

    /// Waits up to the grace period for running jobs, then gives the rest back.
    private func drain() async {
        guard !running.isEmpty else { return }
        logger.info("waiting up to \(Int(options.grace)) s for \(running.count) running job\(running.count == 1 ? "" : "s")")
        let deadline = Date().addingTimeInterval(options.grace)
        while !running.isEmpty && Date() < deadline {
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        for (id, entry) in running {
            logger.info("run \(id): giving it back to the queue", metadata: ["run": "\(id)"])
            entry.release.request()
        }
        for entry in running.values { await entry.task.value }
    }
}

/// When the worker's loop last ran, readable from any thread.
final class Heartbeat: @unchecked Sendable {
    private let lock = NSLock()
    private var at: Date?

    func beat(_ date: Date) { lock.withLock { at = date } }
    var last: Date? { lock.withLock { at } }
}

extension String {
    /// nil for an empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
