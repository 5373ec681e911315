import Foundation
import GRDB
import SyndicCore
import Testing
@testable import SyndicEngine
@testable import SyndicStore

/// The worker reads the clock itself; schedules applied at `RuntimeWorkspace.t0` (months ago)
/// are overdue when it ticks, which is the "worker that was down" case.
@Suite(.serialized)
struct WorkerTests {
    static func worker(_ workspace: RuntimeWorkspace, _ jobs: [any Job], name: String = "test", concurrency: Int = 2,
                       once: Bool = true, grace: TimeInterval = 30, defaultRetainDays: Int = 30,
                       reports: Reports = Reports()) -> Worker {
        Worker(store: workspace.store, registry: JobRegistry(jobs),
               options: WorkerOptions(concurrency: concurrency, lease: 60, pollInterval: 0.05, grace: grace, once: once,
                                      defaultRetainDays: defaultRetainDays),
               workDirectory: workspace.workDirectory, name: name, logger: reports.logger)
    }

    // MARK: - Scheduled runs

    @Test func aWorkerThatWasDownRunsTheMissedJobOnce() async throws {
        let workspace = try RuntimeWorkspace()
        try workspace.apply([RuntimeWorkspace.channel("shop")], schedules: ["shop": [.productExport: .every(minutes: 15)]])
        let probe = JobProbe()
        let reports = Reports()
        let executed = await Self.worker(workspace, [probe.job()], reports: reports).run()
        #expect(executed == 1)
        #expect(probe.count == 1)

        let runs = try workspace.store.runs(RunFilter(channel: "shop"))
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        #expect(run.trigger == .schedule)
        #expect(run.dryRun == false)
        #expect(run.status == .succeeded)
        // For the latest slot, not the first missed one.
        let slot = try #require(run.slot)
        #expect(slot <= run.queuedAt)
        #expect(run.queuedAt.timeIntervalSince(slot) < 15 * 60)
        #expect(try #require(try workspace.store.jobSchedules(ofChannel: "shop").first).nextDue > run.queuedAt)

        #expect(reports.lines.first == "worker test started: concurrency 2, jobs product-export")
        #expect(reports.lines.contains("scheduled runs \(run.id)"))
        #expect(reports.lines.contains("run \(run.id): shop product-export attempt 1 started"))
        #expect(reports.lines.contains("run \(run.id): shop product-export succeeded"))
        // A run's lines say which run, channel and job they are about.
        let fields = try #require(reports.metadata(of: "run \(run.id): shop product-export succeeded"))
        #expect(fields["run"] == "\(run.id)" && fields["channel"] == "shop" && fields["job"] == "product-export")
        #expect(reports.lines.last == "worker test stopped")

        // Ticking again right away runs nothing more.
        #expect(await Self.worker(workspace, [probe.job()]).run() == 0)
        #expect(probe.count == 1)
    }

    @Test func inactiveAndSuspendedChannelsFireNothing() async throws {
        let workspace = try RuntimeWorkspace()
        let every5: [JobKind: Schedule] = [.productExport: .every(minutes: 15), .orderRetrieval: .every(minutes: 5)]
        try workspace.apply([RuntimeWorkspace.channel("idle", status: "inactive"), RuntimeWorkspace.channel("paused"),
                             RuntimeWorkspace.channel("unset", status: nil)],
                            schedules: ["idle": every5, "paused": every5, "unset": every5])
        _ = try workspace.store.suspend(channel: "paused", reason: "outage", by: "ops", at: RuntimeWorkspace.t0)
        let probe = JobProbe()
        let executed = await Self.worker(workspace, [probe.job(.productExport), probe.job(.orderRetrieval)]).run()
        #expect(executed == 0)
        #expect(probe.count == 0)
        #expect(try workspace.store.runs(RunFilter()).isEmpty)
        // The missed slots passed; they are not kept for later.
        for channel in ["idle", "paused", "unset"] {
            #expect(try workspace.store.jobSchedules(ofChannel: channel).allSatisfy { $0.nextDue > Date().addingTimeInterval(-1) })
        }
    }

    @Test func aWorkerClaimsOnlyTheJobsItCanRun() async throws {
        let workspace = try RuntimeWorkspace()
        try workspace.apply([RuntimeWorkspace.channel("shop")])
        let queued = try workspace.enqueue("shop", .orderExport)
        let probe = JobProbe()
        #expect(await Self.worker(workspace, [probe.job(.productExport)]).run() == 0)
        #expect(try workspace.run(queued.id)?.status == .queued)
        #expect(probe.count == 0)
    }

    @Test func aWorkerWithNoJobsSaysSo() async throws {
        let workspace = try RuntimeWorkspace()
        let reports = Reports()
        #expect(await Self.worker(workspace, [], reports: reports).run() == 0)
        #expect(reports.lines.first == "worker test started: concurrency 2, jobs none in this build")
    }

    // MARK: - Concurrency

    @Test(arguments: [1, 2, 3])
    func concurrencyLimitsTheRunsAtOnce(concurrency: Int) async throws {
        let workspace = try RuntimeWorkspace()
        try workspace.apply(["a", "b", "c"].map { RuntimeWorkspace.channel($0) })
        for channel in ["a", "b", "c"] { try workspace.enqueue(channel) }
        let probe = JobProbe()
        let executed = await Self.worker(workspace, [probe.job(sleep: 1)], concurrency: concurrency).run()
        #expect(executed == 3)
        #expect(probe.maxConcurrent == concurrency)
        #expect(try workspace.store.runs(RunFilter()).allSatisfy { $0.status == .succeeded })
    }

    @Test func theSameJobOfAChannelNeverRunsTwiceAtOnceAcrossWorkers() async throws {
        let workspace = try RuntimeWorkspace()
        try workspace.apply([RuntimeWorkspace.channel("shop")])
        // Three runs of the same job, as racing processes could have queued them.
        let ids = try (0..<3).map { _ in try workspace.insertQueued("shop") }
        let probe = JobProbe()
        let one = Self.worker(workspace, [probe.job(sleep: 0.2)], name: "w1")
        let two = Self.worker(workspace, [probe.job(sleep: 0.2)], name: "w2")
        async let first = one.run()
        async let second = two.run()
        let executed = await first + second
        #expect(executed == 3)
        #expect(probe.maxConcurrentPerJob == 1)
        #expect(Set(probe.runIDs) == Set(ids))
        #expect(try ids.allSatisfy { try workspace.run($0)?.status == .succeeded })
    }

    @Test func differentJobsOfAChannelRunSideBySide() async throws {
        let workspace = try RuntimeWorkspace()
        try workspace.apply([RuntimeWorkspace.channel("shop")])
        try workspace.enqueue("shop", .productExport)
        try workspace.enqueue("shop", .orderRetrieval)
        let probe = JobProbe()
        let executed = await Self.worker(workspace, [probe.job(.productExport, sleep: 1),
                                                     probe.job(.orderRetrieval, sleep: 1)]).run()
        #expect(executed == 2)
        #expect(probe.maxConcurrent == 2)
    }

    // MARK: - Failures

    @Test func aFailedRunIsQueuedForItsRetryAndTheOnceWorkerDoesNotWait() async throws {
        let workspace = try RuntimeWorkspace()
        try workspace.apply([RuntimeWorkspace.channel("shop")])
        let queued = try workspace.enqueue("shop")
        let probe = JobProbe()
        let reports = Reports()
        let started = Date()
        #expect(await Self.worker(workspace, [probe.job(failing: [1])], reports: reports).run() == 1)
        #expect(Date().timeIntervalSince(started) < 20)
        let run = try #require(try workspace.run(queued.id))
        #expect(run.status == .queued)
        #expect(run.attempt == 2)
        #expect(run.notBefore.timeIntervalSince(started) >= 29)
        #expect(reports.lines.contains("run \(queued.id): shop product-export queued (retry 2 of 4)"))
    }

    // MARK: - Stopping

    @Test func stopLetsARunningJobFinishWithinTheGrace() async throws {
        let workspace = try RuntimeWorkspace()
        try workspace.apply([RuntimeWorkspace.channel("shop")])
        let queued = try workspace.enqueue("shop")
        let probe = JobProbe()
        let worker = Self.worker(workspace, [probe.job(sleep: 0.5)], once: false, grace: 10)
        let running = Task { await worker.run() }
        #expect(await eventually { probe.count == 1 })
        await worker.stop()
        #expect(await running.value == 1)
        #expect(try workspace.run(queued.id)?.status == .succeeded)
        #expect(probe.canceledRuns.isEmpty)
    }

    @Test func stopGivesBackARunThatOutlivesTheGrace() async throws {
        let workspace = try RuntimeWorkspace()
        try workspace.apply([RuntimeWorkspace.channel("shop")])
        let queued = try workspace.enqueue("shop")
        let probe = JobProbe()
        let reports = Reports()
        let worker = Self.worker(workspace, [probe.waitingJob()], once: false, grace: 0.3, reports: reports)
        let running = Task { await worker.run() }
        #expect(await eventually { probe.count == 1 })
        let stopping = Date()
        await worker.stop()
        #expect(await running.value == 1)
        #expect(Date().timeIntervalSince(stopping) >= 0.25)
        #expect(probe.canceledRuns == [queued.id])
        let run = try #require(try workspace.run(queued.id))
        #expect(run.status == .queued)
        #expect(run.attempt == 1)
        #expect(run.leaseOwner == nil)
        #expect(try workspace.messages(queued.id).last == "released by test while shutting down; it will run again")
        #expect(reports.lines.contains("waiting up to 0 s for 1 running job"))
        #expect(reports.lines.contains("run \(queued.id): giving it back to the queue"))
        #expect(reports.lines.contains("run \(queued.id): shop product-export given back"))
        #expect(reports.lines.last == "worker test stopped")
    }

    @Test func aStoppedWorkerClaimsNothing() async throws {
        let workspace = try RuntimeWorkspace()
        try workspace.apply([RuntimeWorkspace.channel("shop")])
        let queued = try workspace.enqueue("shop")
        let probe = JobProbe()
        let worker = Self.worker(workspace, [probe.job()], once: false)
        await worker.stop()
        #expect(await worker.run() == 0)
        #expect(try workspace.run(queued.id)?.status == .queued)
    }

    // MARK: - Retention

    @Test func theWorkerRemovesRunsPastTheirRetention() async throws {
        let workspace = try RuntimeWorkspace()
        try workspace.apply([RuntimeWorkspace.channel("plain"), RuntimeWorkspace.channel("kept", retainDays: 3650)])
        var old: [String: Int64] = [:]
        for channel in ["plain", "kept"] {
            let run = try workspace.enqueue(channel, at: RuntimeWorkspace.t0)
            _ = try workspace.store.claimRun(jobs: [.productExport], runID: run.id, worker: "w", lease: 60,
                                             now: RuntimeWorkspace.t0, retry: .standard)
            _ = try workspace.store.finishRun(runID: run.id, worker: "w", outcome: .succeeded(counts: [:], report: ""),
                                              now: RuntimeWorkspace.t0, retry: .standard)
            old[channel] = run.id
        }
        let reports = Reports()
        #expect(await Self.worker(workspace, [], reports: reports).run() == 0)
        #expect(try workspace.run(old["plain"]!) == nil)
        #expect(try workspace.lines(old["plain"]!).isEmpty)
        #expect(try workspace.run(old["kept"]!)?.status == .succeeded)
        #expect(reports.lines.contains("removed 1 runs past their retention"))
    }
}
