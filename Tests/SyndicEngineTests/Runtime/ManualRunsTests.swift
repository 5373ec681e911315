import Foundation
import GRDB
import SyndicCore
import Testing
@testable import SyndicEngine
@testable import SyndicStore

@Suite(.serialized)
struct ManualRunsTests {
    static let now = RuntimeWorkspace.t0

    /// `shop` (active, export scheduled every 15 minutes), `idle` (inactive) and `paused`
    /// (active, suspended).
    static func workspace() throws -> RuntimeWorkspace {
        let workspace = try RuntimeWorkspace()
        try workspace.apply([RuntimeWorkspace.channel("shop"), RuntimeWorkspace.channel("idle", status: "inactive"),
                             RuntimeWorkspace.channel("paused")],
                            schedules: ["shop": [.productExport: .every(minutes: 15)],
                                        "idle": [.productExport: .every(minutes: 15)]])
        _ = try workspace.store.suspend(channel: "paused", reason: "outage", by: "ops", at: now)
        return workspace
    }

    static func manual(_ workspace: RuntimeWorkspace, _ jobs: [any Job] = []) -> ManualRuns {
        ManualRuns(store: workspace.store, registry: JobRegistry(jobs))
    }

    // MARK: - Queueing

    @Test func aManualRunWhileTheScheduleIsOnIsQueued() throws {
        let workspace = try Self.workspace()
        #expect(try workspace.store.jobSchedules(ofChannel: "shop").map(\.job) == [.productExport])
        let run = try Self.manual(workspace).enqueue(channel: "shop", job: .productExport, dryRun: false, full: true,
                                                     now: Self.now)
        #expect(run.trigger == .manual)
        #expect(run.full == true)
        #expect(run.dryRun == false)
        #expect(run.status == .queued)
        #expect(run.maxAttempts == RetryPolicy.standard.maxAttempts)
        #expect(run.queuedAt == Self.now)
        #expect(try workspace.run(run.id) == run)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var channel: String
        var job: JobKind
        var dryRun = false
        var full = false
        var message: String
        var testDescription: String { "\(channel) \(job.rawValue)\(dryRun ? " --dry-run" : "")\(full ? " --full" : "")" }
    }

    static let refusals: [Refusal] = [
        Refusal(channel: "idle", job: .productExport,
                message: "channel idle is inactive; activate it (status: active) and apply, or run a dry-run export with --dry-run"),
        Refusal(channel: "idle", job: .productExport, full: true,
                message: "channel idle is inactive; activate it (status: active) and apply, or run a dry-run export with --dry-run"),
        Refusal(channel: "idle", job: .orderRetrieval,
                message: "channel idle is inactive; activate it (status: active) and apply, or run a dry-run export with --dry-run"),
        Refusal(channel: "paused", job: .productExport,
                message: "channel paused is suspended; only a dry-run export is allowed (syndic resume paused lifts the suspension)"),
        Refusal(channel: "shop", job: .shipmentImport,
                message: "channel shop has no shipment-import job (configured: product-export, requirements-sync, order-retrieval, order-export)"),
        Refusal(channel: "shop", job: .orderRetrieval, dryRun: true, message: "--dry-run applies to product-export only"),
        Refusal(channel: "shop", job: .orderExport, full: true, message: "--full applies to product-export only"),
    ]

    @Test(arguments: refusals)
    func aRefusedRunIsNotQueued(_ test: Refusal) throws {
        let workspace = try Self.workspace()
        #expect {
            _ = try Self.manual(workspace).enqueue(channel: test.channel, job: test.job, dryRun: test.dryRun,
                                                   full: test.full, now: Self.now)
        } throws: { error in
            (error as? ManualRuns.Refused)?.description == test.message
        }
        #expect(try workspace.store.runs(RunFilter()).isEmpty)
    }

    @Test(arguments: ["idle", "paused"])
    func aDryRunExportOfAnInactiveOrSuspendedChannelIsQueued(channel: String) throws {
        let workspace = try Self.workspace()
        let run = try Self.manual(workspace).enqueue(channel: channel, job: .productExport, dryRun: true, full: false,
                                                     now: Self.now)
        #expect(run.dryRun == true)
        #expect(run.channel == channel)
        #expect(try workspace.messages(run.id) == ["queued (dry-run)"])
    }

    @Test func anUnknownChannelIsRefused() throws {
        let workspace = try Self.workspace()
        #expect(throws: StoreError.unknownChannel("nope")) {
            try Self.manual(workspace).enqueue(channel: "nope", job: .productExport, dryRun: false, full: false,
                                               now: Self.now)
        }
    }

    @Test func aSecondRunOfTheSameJobIsRefusedByTheQueue() throws {
        let workspace = try Self.workspace()
        let manual = Self.manual(workspace)
        let first = try manual.enqueue(channel: "shop", job: .productExport, dryRun: false, full: false, now: Self.now)
        #expect(throws: QueueError.alreadyQueued(channel: "shop", job: .productExport, runID: first.id, status: .queued)) {
            try manual.enqueue(channel: "shop", job: .productExport, dryRun: false, full: true, now: Self.now)
        }
    }

    // MARK: - Running to completion

    @Test func runToCompletionRunsTheRunAndReportsProgress() async throws {
        let workspace = try Self.workspace()
        let probe = JobProbe()
        let job = TestJob { context in
            probe.begin(context)
            context.progress(RunProgress(done: 1, total: 2))
            context.progress(RunProgress(done: 2, total: 2))
            return JobResult(counts: ["exported": 2], report: "2 exported")
        }
        let progress = Locked<[String]>([])
        let manual = Self.manual(workspace, [job])
        let queued = try manual.enqueue(channel: "shop", job: .productExport, dryRun: false, full: false, now: Date())
        let finished = try await manual.runToCompletion(queued, workDirectory: workspace.workDirectory) { run, update in
            progress.update { $0.append("\(run.id) \(update.done)/\(update.total ?? -1)") }
        }
        #expect(finished.status == .succeeded)
        #expect(finished.counts == ["exported": 2])
        #expect(probe.runIDs == [queued.id])
        #expect(progress.value == ["\(queued.id) 1/2", "\(queued.id) 2/2"])
        #expect(try workspace.messages(queued.id).contains { $0.hasPrefix("attempt 1 of 4 started by ") && $0.hasSuffix(":run") })
    }

    @Test func aDryRunExportOfAnInactiveChannelRunsToCompletion() async throws {
        let workspace = try Self.workspace()
        let seen = Locked<Bool?>(nil)
        let job = TestJob { context in
            seen.update { $0 = context.run.dryRun }
            return JobResult(report: "dry run: 0 sent")
        }
        let manual = Self.manual(workspace, [job])
        let queued = try manual.enqueue(channel: "idle", job: .productExport, dryRun: true, full: false, now: Date())
        let finished = try await manual.runToCompletion(queued, workDirectory: workspace.workDirectory) { _, _ in }
        #expect(finished.status == .succeeded)
        #expect(seen.value == true)
    }

    /// Moves queued runs' retry times to now, as if the backoff had passed.
    static func fastForward(_ workspace: RuntimeWorkspace) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                try? workspace.sql("UPDATE run SET not_before = ? WHERE status = 'queued' AND not_before > ?",
                                   [Date(), Date()])
                try? await Task.sleep(nanoseconds: 50_000_000)
            }
        }
    }

    @Test func runToCompletionRetriesFailedAttemptsWithBackoff() async throws {
        let workspace = try Self.workspace()
        let probe = JobProbe()
        let manual = Self.manual(workspace, [probe.job(failing: [1, 2])])
        let queued = try manual.enqueue(channel: "shop", job: .productExport, dryRun: false, full: false, now: Date())
        let forward = Self.fastForward(workspace)
        defer { forward.cancel() }
        let finished = try await manual.runToCompletion(queued, workDirectory: workspace.workDirectory) { _, _ in }
        #expect(finished.status == .succeeded)
        #expect(finished.attempt == 3)
        #expect(probe.attempts == [1, 2, 3])
        // Each failure said when the next attempt may start: 30 s, then 60 s later.
        let retries = try workspace.lines(queued.id).filter { $0.message.contains("; retrying at ") }
        #expect(retries.count == 2)
        for (line, delay) in zip(retries, [30.0, 60.0]) {
            let text = try #require(line.message.components(separatedBy: "; retrying at ").last)
            let next = try Date(text, strategy: .iso8601)
            #expect(abs(next.timeIntervalSince(line.at) - delay) <= 1, "\(line.message)")
        }
    }

    @Test func runToCompletionStopsAfterTheLastAttempt() async throws {
        let workspace = try Self.workspace()
        let probe = JobProbe()
        let manual = Self.manual(workspace, [probe.job(failing: [1, 2, 3, 4])])
        let queued = try manual.enqueue(channel: "shop", job: .productExport, dryRun: false, full: false, now: Date())
        let forward = Self.fastForward(workspace)
        defer { forward.cancel() }
        let finished = try await manual.runToCompletion(queued, workDirectory: workspace.workDirectory) { _, _ in }
        #expect(finished.status == .failed)
        #expect(finished.attempt == 4)
        #expect(probe.attempts == [1, 2, 3, 4])
        let events = try workspace.store.events(channel: "shop", limit: 10)
        #expect(events.map(\.message) == ["product-export failed after 4 attempts: attempt 4 failed"])
    }

    @Test func runToCompletionWithoutAnImplementationLeavesTheRunQueued() async throws {
        let workspace = try Self.workspace()
        let manual = Self.manual(workspace, [TestJob(.orderExport)])
        let queued = try manual.enqueue(channel: "shop", job: .productExport, dryRun: false, full: false, now: Date())
        await #expect {
            _ = try await manual.runToCompletion(queued, workDirectory: workspace.workDirectory) { _, _ in }
        } throws: { error in
            (error as? ManualRuns.Refused)?.description
                == "this build has no implementation of product-export yet; run \(queued.id) stays queued for a worker that has one"
        }
        #expect(try workspace.run(queued.id)?.status == .queued)
    }

    @Test func runToCompletionWaitsForTheWorkerHoldingTheRun() async throws {
        let workspace = try Self.workspace()
        let probe = JobProbe()
        let manual = Self.manual(workspace, [probe.job()])
        let queued = try manual.enqueue(channel: "shop", job: .productExport, dryRun: false, full: false, now: Date())
        _ = try #require(try workspace.store.claimRun(jobs: [.productExport], runID: queued.id, worker: "other", lease: 60,
                                                      now: Date(), retry: .standard))
        async let waited = manual.runToCompletion(queued, workDirectory: workspace.workDirectory) { _, _ in }
        try await Task.sleep(nanoseconds: 500_000_000)
        _ = try workspace.store.finishRun(runID: queued.id, worker: "other",
                                          outcome: .succeeded(counts: ["exported": 9], report: "by the other worker"),
                                          now: Date(), retry: .standard)
        let finished = try await waited
        #expect(finished.status == .succeeded)
        #expect(finished.report == "by the other worker")
        #expect(probe.count == 0)
    }
}
