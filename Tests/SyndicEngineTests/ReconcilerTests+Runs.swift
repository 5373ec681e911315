import Foundation
import SyndicCore
import SyndicStore
import Testing
@testable import SyndicEngine

/// Apply and the runtime: job schedules written by apply, runs of deleted channels.
extension ReconcilerTests {
    /// Applies on a plain thread: `apply` blocks while it waits for runs to stop.
    static func applyInBackground(_ reconciler: Reconciler, _ planned: Reconciler.Planned, confirming: Set<String>,
                                  stopTimeout: TimeInterval) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    try reconciler.apply(planned, confirmedDeletes: confirming, user: "test", stopTimeout: stopTimeout)
                })
            }
        }
    }

    static func at(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test func applyWritesTheChannelsJobSchedules() throws {
        let workspace = try EngineWorkspace()
        try workspace.apply()
        #expect(try workspace.store.jobSchedules(ofChannel: "mirakl_fr") == [
            ScheduledJob(channel: "mirakl_fr", job: .productExport, schedule: .daily(hour: 2, minute: 30),
                         timeZone: "Europe/Paris", nextDue: Self.at("2026-03-28T02:30:00+01:00")),
        ])
        #expect(try workspace.store.jobSchedules(ofChannel: "feed").isEmpty)

        // 02:30 -> 02:00 an hour later: rescheduled from the apply, DST night included.
        try workspace.write("mirakl_fr.yaml", EngineWorkspace.mirakl(schedule: "02:00"))
        let later = Reconciler(directory: ConfigDirectory(path: workspace.channels), store: workspace.store,
                               secrets: SecretResolver(environment: EngineWorkspace.environment),
                               now: Self.at("2026-03-28T12:00:00Z"))
        _ = try later.apply(try later.plan(), confirmedDeletes: [], user: "test")
        #expect(try workspace.store.jobSchedules(ofChannel: "mirakl_fr").map(\.nextDue)
                == [Self.at("2026-03-29T03:00:00+02:00")])
    }

    @Test func deletingAChannelCancelsItsQueuedRunsAndDeletesThemWithIt() throws {
        let workspace = try EngineWorkspace()
        try workspace.apply()
        let store = workspace.store
        let now = EngineWorkspace.now
        _ = try store.enqueue(RunRequest(channel: "mirakl_fr", job: .productExport, trigger: .manual), now: now, retry: .standard)
        let other = try store.enqueue(RunRequest(channel: "feed", job: .productExport, trigger: .manual, dryRun: true),
                                      now: now, retry: .standard)
        try workspace.remove("mirakl_fr.yaml")
        let planned = try workspace.reconciler().plan()
        let data = try #require(planned.plan.changes.first { $0.name == "mirakl_fr" }).data
        #expect(data.filter { ["job schedules", "runs", "run log lines"].contains($0.label) }.map(\.count) == [1, 1, 1])

        #expect(try workspace.reconciler().apply(planned, confirmedDeletes: ["mirakl_fr"], user: "test") == 2)
        #expect(try store.runs(RunFilter(channel: "mirakl_fr")).isEmpty)
        #expect(try store.jobSchedules(ofChannel: "mirakl_fr").isEmpty)
        #expect(try store.ownedData(ofChannels: ["mirakl_fr"])["mirakl_fr"]?.allSatisfy { $0.count == 0 } == true)
        // Other channels' runs are not touched.
        #expect(try store.run(id: other.id)?.0 == other)
    }

    @Test func deletingAChannelWaitsForItsRunningRunToStop() async throws {
        let workspace = try EngineWorkspace()
        try workspace.apply()
        let store = workspace.store
        let probe = JobProbe()
        // A lease long enough to survive a busy test machine; the cancel request is seen at the
        // next renewal, a third of the lease later.
        let executor = RunExecutor(store: store, registry: JobRegistry([probe.waitingJob()]), worker: "w1", lease: 15,
                                   workDirectory: URL(fileURLWithPath: workspace.root))
        let queued = try store.enqueue(RunRequest(channel: "mirakl_fr", job: .productExport, trigger: .manual), now: Date(),
                                       retry: .standard)
        let run = try #require(try store.claimRun(jobs: [.productExport], runID: queued.id, worker: "w1", lease: 15,
                                                  now: Date(), retry: .standard))
        async let outcome = executor.execute(run)
        #expect(await eventually { probe.count == 1 })

        try workspace.remove("mirakl_fr.yaml")
        let reconciler = workspace.reconciler()
        let serial = try await Self.applyInBackground(reconciler, try reconciler.plan(), confirming: ["mirakl_fr"],
                                                      stopTimeout: 60)
        #expect(serial == 2)
        let stopped = await outcome
        #expect(stopped?.status == .canceled)
        #expect(stopped?.error == "canceled: its channel is being deleted")
        #expect(probe.canceledRuns == [run.id])
        #expect(try store.run(id: run.id) == nil)
        #expect(try store.resource(.channel, named: "mirakl_fr") == nil)
    }

    /// A run of the channel that a worker claims while the delete waits is asked to stop too:
    /// the delete repeats its cancel on every pass, and a repeated cancel flags it.
    @Test func aRunClaimedDuringTheWaitIsFlaggedByTheNextPass() throws {
        let workspace = try EngineWorkspace()
        try workspace.apply()
        let store = workspace.store
        func claim(_ job: JobKind) throws -> RunInfo {
            let queued = try store.enqueue(RunRequest(channel: "mirakl_fr", job: job, trigger: .manual), now: Date(),
                                           retry: .standard)
            return try #require(try store.claimRun(jobs: [job], runID: queued.id, worker: "w1", lease: 30, now: Date(),
                                                   retry: .standard))
        }
        let export = try claim(.productExport)
        #expect(try store.cancelRuns(ofChannels: ["mirakl_fr"], now: Date()).map(\.id) == [export.id])
        let sync = try claim(.requirementsSync)
        #expect(try store.run(id: sync.id)?.0.cancelRequested == false)
        let stillRunning = try store.cancelRuns(ofChannels: ["mirakl_fr"], now: Date())
        #expect(Set(stillRunning.map(\.id)) == [export.id, sync.id])
        #expect(try store.run(id: sync.id)?.0.cancelRequested == true)
        #expect(try store.renewLease(runID: sync.id, worker: "w1", until: Date().addingTimeInterval(30)) == .cancelRequested)
    }

    @Test func aRunThatDoesNotStopInTimeLeavesTheChannelInPlace() async throws {
        let workspace = try EngineWorkspace()
        try workspace.apply()
        let store = workspace.store
        // Claimed by a worker that renews its lease but never looks at the cancel request.
        let running = try store.enqueue(RunRequest(channel: "mirakl_fr", job: .productExport, trigger: .manual), now: Date(),
                                        retry: .standard)
        _ = try #require(try store.claimRun(jobs: [.productExport], runID: running.id, worker: "w1", lease: 600,
                                            now: Date(), retry: .standard))
        let queued = try store.enqueue(RunRequest(channel: "mirakl_fr", job: .requirementsSync, trigger: .manual),
                                       now: Date(), retry: .standard)
        try workspace.remove("mirakl_fr.yaml")
        let planned = try workspace.reconciler().plan()
        let started = Date()
        do {
            _ = try await Self.applyInBackground(workspace.reconciler(), planned, confirming: ["mirakl_fr"], stopTimeout: 1)
            Issue.record("the channel was deleted while its run was running")
        } catch let error as RunsStillRunning {
            #expect(error.runs.map(\.id) == [running.id])
            #expect(error.timeout == 1)
            #expect(error.description == "runs of the channels being deleted did not stop within 1 s: run \(running.id) (mirakl_fr product-export, worker w1); nothing was applied. Retry once they have stopped")
        }
        #expect(Date().timeIntervalSince(started) >= 1)
        #expect(try store.currentSerial() == 1)
        #expect(try store.resource(.channel, named: "mirakl_fr") != nil)
        #expect(try store.jobSchedules(ofChannel: "mirakl_fr").count == 1)
        let stillRunning = try #require(try store.run(id: running.id)).0
        #expect(stillRunning.status == .running)
        #expect(stillRunning.cancelRequested)
        // The queued run was canceled before the wait (it would have been deleted anyway).
        #expect(try store.run(id: queued.id)?.0.status == .canceled)
    }

    @Test func aRunWhoseWorkerDiedDoesNotHoldUpTheDelete() async throws {
        let workspace = try EngineWorkspace()
        try workspace.apply()
        let store = workspace.store
        let crashed = try store.enqueue(RunRequest(channel: "mirakl_fr", job: .productExport, trigger: .manual),
                                        now: Date(timeIntervalSinceNow: -120), retry: .standard)
        _ = try store.claimRun(jobs: [.productExport], runID: crashed.id, worker: "gone", lease: 60,
                               now: Date(timeIntervalSinceNow: -120), retry: .standard)
        try workspace.remove("mirakl_fr.yaml")
        let planned = try workspace.reconciler().plan()
        let started = Date()
        #expect(try await Self.applyInBackground(workspace.reconciler(), planned, confirming: ["mirakl_fr"],
                                                 stopTimeout: 30) == 2)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(try store.run(id: crashed.id) == nil)
    }
}
