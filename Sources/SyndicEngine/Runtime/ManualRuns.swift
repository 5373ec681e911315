import Foundation
import SyndicCore

/// `syndic run`: queues a run now, and optionally runs it in this process.
public struct ManualRuns: Sendable {
    public let store: any StateStore
    public let registry: JobRegistry

    public init(store: any StateStore, registry: JobRegistry) {
        self.store = store
        self.registry = registry
    }

    /// Why a manual run cannot be queued (or run here).
    public typealias Refused = ManualRunPolicy.Refused

    /// Queues a manual run after the manual-run checks (see `ManualRunPolicy.enqueue`).
    public func enqueue(channel: String, job: JobKind, dryRun: Bool, full: Bool, force: Bool = false,
                        now: Date) throws -> RunInfo {
        try ManualRunPolicy.enqueue(store: store, channel: channel, job: job, dryRun: dryRun, full: full, force: force,
                                    now: now)
    }

    /// Runs a queued run in this process until it is finished, attempts and retries
    /// included; if another worker holds it, waits for that worker. `progress` is told of
    /// what the job reports as it works (nothing while another worker runs it).
    public func runToCompletion(_ run: RunInfo, workDirectory: URL, lease: TimeInterval = 60,
                                progress: @escaping @Sendable (RunInfo, RunProgress) -> Void) async throws -> RunInfo {
        guard registry.job(run.job) != nil else {
            throw Refused(description: "this build has no implementation of \(run.job.rawValue) yet; run \(run.id) stays queued for a worker that has one")
        }
        let executor = RunExecutor(store: store, registry: registry, worker: "\(Worker.defaultName()):run", lease: lease,
                                   workDirectory: workDirectory, progress: progress)
        while true {
            guard let (current, _) = try store.run(id: run.id) else { throw QueueError.unknownRun(run.id) }
            if current.status.isFinished { return current }
            if current.status == .queued, current.notBefore > Date() {
                try await Task.sleep(nanoseconds: UInt64(max(0, min(1, current.notBefore.timeIntervalSinceNow)) * 1e9))
                continue
            }
            if let claimed = try store.claimRun(jobs: [run.job], runID: run.id, worker: executor.worker, lease: lease,
                                                now: Date(), retry: .standard) {
                await executor.execute(claimed)
            } else {
                try await Task.sleep(nanoseconds: 200_000_000)
            }
        }
    }
}
