import Foundation
import GRDB
import SyndicCore
import Testing
@testable import SyndicEngine
@testable import SyndicStore

/// The executor runs in real time (it renews leases on the clock), so these tests use short
/// leases and wait with deadlines rather than fixed sleeps.
@Suite(.serialized)
struct RunExecutorTests {
    static func executor(_ workspace: RuntimeWorkspace, _ jobs: [any Job], lease: TimeInterval = 60,
                         retry: RetryPolicy = .standard,
                         progress: @escaping @Sendable (RunInfo, RunProgress) -> Void = { _, _ in }) -> RunExecutor {
        RunExecutor(store: workspace.store, registry: JobRegistry(jobs), worker: "test-worker", lease: lease, retry: retry,
                    workDirectory: workspace.workDirectory, progress: progress)
    }

    static func shop() throws -> RuntimeWorkspace {
        let workspace = try RuntimeWorkspace()
        try workspace.apply([RuntimeWorkspace.channel("shop")])
        return workspace
    }

    // MARK: - Credentials

    /// A failure that says a remote refused the credentials of `connection.pim`.
    struct CredentialsRefused: JobFailure, CustomStringConvertible {
        var isPermanent: Bool { true }
        var refusedCredentials: String? { "connection.pim" }
        var description: String { "401 Unauthorized from the PIM" }
    }

    /// The runtime, not the job, records what a run learned about credentials: a refusal
    /// marks the resource's credentials invalid (plan and status show it), a later run whose
    /// remotes accepted them marks them valid again.
    @Test func credentialStatusIsRecordedFromTheJobsOutcome() async throws {
        let workspace = try Self.shop()
        let pim = try #require(try workspace.store.resource(.connection, named: "pim"))
        _ = try workspace.store.commit(ApplyBatch(
            expectedSerial: try workspace.store.currentSerial(), upserts: [pim], deletions: [],
            fingerprints: ["connection.pim": ["credentials.secret": "f1"]],
            changes: [HistoryChange(address: "connection.pim", action: "rotate", field: nil, before: nil, after: nil)],
            cache: [], user: "test", gitCommit: nil, configDigest: "digest", at: Date()))

        let refused = TestJob(.productExport) { _ in throw CredentialsRefused() }
        let failed = try #require(await Self.executor(workspace, [refused]).execute(try workspace.claim("shop")))
        #expect(failed.status == .failed)
        #expect(try workspace.store.loadActualState().credentialProblems["connection.pim"]
            == "credentials.secret: 401 Unauthorized from the PIM")

        let accepted = TestJob(.productExport) { _ in JobResult(report: "done", acceptedCredentials: ["connection.pim"]) }
        let succeeded = try #require(await Self.executor(workspace, [accepted]).execute(try workspace.claim("shop")))
        #expect(succeeded.status == .succeeded)
        #expect(try workspace.store.loadActualState().credentialProblems["connection.pim"] == nil)
    }

    // MARK: - Outcomes

    @Test func aSuccessfulRunIsRecordedWithItsCountsReportAndLogs() async throws {
        let workspace = try Self.shop()
        let seen = Locked<JobContext?>(nil)
        let job = TestJob(.productExport) { context in
            seen.update { $0 = context }
            context.log.info("item 1 of 2")
            context.log.warning("item 2 has no price")
            return JobResult(counts: ["exported": 2, "warnings": 1], report: "2 products exported")
        }
        let run = try workspace.claim("shop")
        let finished = try #require(await Self.executor(workspace, [job]).execute(run))
        #expect(finished.status == .succeeded)
        #expect(finished.counts == ["exported": 2, "warnings": 1])
        #expect(finished.report == "2 products exported")
        #expect(finished.error == nil)
        #expect(finished.leaseOwner == nil)
        let stored = try #require(try workspace.run(run.id))
        #expect(stored.status == .succeeded)
        #expect(stored.counts == finished.counts)
        #expect(stored.report == finished.report)
        #expect(abs(try #require(stored.finishedAt).timeIntervalSince(try #require(finished.finishedAt))) < 0.01)
        let lines = try workspace.lines(run.id)
        #expect(lines.map(\.message) == ["queued (manual)", "attempt 1 of 4 started by test-worker", "item 1 of 2",
                                         "item 2 has no price", "2 products exported", "succeeded"])
        #expect(lines.map(\.level) == ["info", "info", "info", "warning", "summary", "info"])

        let context = try #require(seen.value)
        #expect(context.run == run)
        #expect(context.channel.name == "shop")
        #expect(context.spec["type"]?.stringValue == "mirakl")
        #expect(context.connections.keys.sorted() == ["pim"])
        #expect(context.workDirectory == workspace.workDirectory)
        #expect(abs(context.now().timeIntervalSinceNow) < 5)
    }

    @Test func aFailedAttemptIsQueuedForARetryAfterTheBackoff() async throws {
        let workspace = try Self.shop()
        let retry = RetryPolicy(maxAttempts: 3, baseDelay: 5, maxDelay: 60)
        let job = TestJob { _ in throw TestFailure("catalog unreachable") }
        let run = try workspace.claim("shop", retry: retry)
        let before = Date()
        let after = try #require(await Self.executor(workspace, [job], retry: retry).execute(run))
        #expect(after.status == .queued)
        #expect(after.attempt == 2)
        #expect(after.error == "catalog unreachable")
        #expect(after.finishedAt == nil)
        #expect(after.notBefore.timeIntervalSince(before) >= 4.99)
        #expect(after.notBefore.timeIntervalSinceNow <= 5)
        let lines = try workspace.lines(run.id)
        #expect(lines.map(\.level).suffix(2) == ["error", "error"])
        #expect(lines[lines.count - 2].message == "catalog unreachable")
        #expect(lines.last?.message.hasPrefix("attempt 1 failed: catalog unreachable; retrying at ") == true)
        #expect(try workspace.store.events(channel: nil, limit: 10).isEmpty)
    }

    @Test func theLastFailedAttemptFailsTheRunAndRaisesAnEvent() async throws {
        let workspace = try Self.shop()
        let job = TestJob { _ in throw TestFailure("catalog unreachable") }
        let run = try workspace.claim("shop", retry: RetryPolicy(maxAttempts: 1))
        let after = try #require(await Self.executor(workspace, [job]).execute(run))
        #expect(after.status == .failed)
        #expect(after.finishedAt != nil)
        let events = try workspace.store.events(channel: "shop", limit: 10)
        #expect(events.map(\.message) == ["product-export failed after 1 attempt: catalog unreachable"])
        #expect(events.map(\.runID) == [run.id])
    }

    @Test func aJobWithoutImplementationFailsTheRun() async throws {
        let workspace = try Self.shop()
        let run = try workspace.claim("shop", .orderExport, retry: RetryPolicy(maxAttempts: 1))
        let after = try #require(await Self.executor(workspace, [TestJob(.productExport)]).execute(run))
        #expect(after.status == .failed)
        #expect(after.error == "this build has no implementation of order-export")
    }

    @Test func aRunOfAChannelThatNoLongerExistsIsCanceledWithoutRunningItsJob() async throws {
        let workspace = try Self.shop()
        let probe = JobProbe()
        let run = try workspace.claim("shop")
        try workspace.sql("DELETE FROM resource WHERE kind = 'Channel' AND name = 'shop'")
        let after = try #require(await Self.executor(workspace, [probe.job()]).execute(run))
        #expect(after.status == .canceled)
        #expect(after.error == "canceled: channel shop no longer exists")
        #expect(probe.count == 0)
    }

    @Test func aJobThatStopsOnItsOwnIsCanceled() async throws {
        let workspace = try Self.shop()
        let job = TestJob { _ in throw CancellationError() }
        let run = try workspace.claim("shop")
        let after = try #require(await Self.executor(workspace, [job]).execute(run))
        #expect(after.status == .canceled)
        #expect(after.error == "canceled: stopped")
        #expect(after.attempt == 1)
    }

    // MARK: - Leases

    @Test func theLeaseIsRenewedWhileTheJobRuns() async throws {
        let workspace = try Self.shop()
        let probe = JobProbe()
        let run = try workspace.claim("shop", lease: 3)
        let firstExpiry = try #require(run.leaseExpiresAt)
        async let outcome = Self.executor(workspace, [probe.job(sleep: 4.5)], lease: 3).execute(run)
        try await Task.sleep(nanoseconds: 3_500_000_000)
        // Past the first lease, the run is still held: another worker cannot take it back.
        #expect(try workspace.store.claimRun(jobs: [.productExport], runID: nil, worker: "other", lease: 60, now: Date(),
                                             retry: .standard) == nil)
        let held = try #require(try workspace.run(run.id))
        #expect(held.status == .running)
        #expect(held.leaseOwner == "test-worker")
        #expect(held.attempt == 1)
        #expect(try #require(held.leaseExpiresAt) > firstExpiry)
        let finished = await outcome
        #expect(finished?.status == .succeeded)
        #expect(finished?.attempt == 1)
    }

    @Test func aLostLeaseStopsTheJobAndRecordsNothing() async throws {
        let workspace = try Self.shop()
        let probe = JobProbe()
        let store = workspace.store
        let job = TestJob { context in
            probe.begin(context)
            // Another worker takes the run over (its lease expired while this one stalled).
            try await store.pool.write { db in
                try db.execute(sql: "UPDATE run SET lease_owner = 'thief' WHERE id = ?", arguments: [context.run.id])
            }
            do { return try await TestJob.waitForCancellation(context) } catch {
                probe.sawCancellation(context)
                throw error
            }
        }
        let run = try workspace.claim("shop", lease: 0.3)
        let result = await Self.executor(workspace, [job], lease: 0.3).execute(run)
        #expect(result == nil)
        #expect(probe.canceledRuns == [run.id])
        let after = try #require(try workspace.run(run.id))
        #expect(after.status == .running)
        #expect(after.leaseOwner == "thief")
        #expect(after.finishedAt == nil)
        #expect(try workspace.messages(run.id) == ["queued (manual)", "attempt 1 of 4 started by test-worker"])
    }

    /// Every write a job makes is fenced by its attempt: once another worker took the run
    /// back, the store refuses them, so two copies of a job can never both act.
    @Test func aJobsWritesAreRefusedOnceItsRunIsTakenBack() async throws {
        let workspace = try Self.shop()
        let store = workspace.store
        let outcome = Locked<String?>(nil)
        let job = TestJob { context in
            try context.orders.setOrderCursor(channel: "shop", name: "retrieval", value: "held")
            try await store.pool.write { db in
                try db.execute(sql: "UPDATE run SET lease_owner = 'thief', attempt = attempt + 1 WHERE id = ?",
                               arguments: [context.run.id])
            }
            do {
                try context.orders.setOrderCursor(channel: "shop", name: "retrieval", value: "stale")
                outcome.update { $0 = "written" }
            } catch let error as StoreError {
                outcome.update { $0 = "\(error)" }
                throw error
            }
            return JobResult(report: "done")
        }
        let run = try workspace.claim("shop", lease: 60)
        _ = await Self.executor(workspace, [job]).execute(run)
        #expect(outcome.value?.contains("no longer holds its lease") == true, "\(outcome.value ?? "nil")")
        #expect(try store.orderCursor(channel: "shop", name: "retrieval") == "held")
    }

    /// Renewals that fail (the state cannot be written) keep the lease only until it would
    /// expire: from then on another worker may take the run back, so the job is stopped and
    /// nothing is recorded.
    @Test func failedRenewalsLoseTheLeaseOnceItWouldHaveExpired() async throws {
        let workspace = try Self.shop()
        let probe = JobProbe()
        let store = workspace.store
        let job = TestJob { context in
            probe.begin(context)
            // From now on every renewal fails.
            try await store.pool.write { db in try db.execute(sql: "ALTER TABLE run RENAME TO run_unreachable") }
            do { return try await TestJob.waitForCancellation(context, limit: 10) } catch {
                probe.sawCancellation(context)
                throw error
            }
        }
        let run = try workspace.claim("shop", lease: 0.3)
        let started = Date()
        let result = await Self.executor(workspace, [job], lease: 0.3).execute(run)
        #expect(result == nil)
        #expect(probe.canceledRuns == [run.id])
        #expect(Date().timeIntervalSince(started) < 5, "stopped once the lease would have expired")
        try await store.pool.write { db in try db.execute(sql: "ALTER TABLE run_unreachable RENAME TO run") }
        let after = try #require(try workspace.run(run.id))
        #expect(after.status == .running, "nothing recorded: the queue takes the run back after its lease")
    }

    @Test func aCancelRequestStopsTheJobAndCancelsTheRun() async throws {
        let workspace = try Self.shop()
        let probe = JobProbe()
        let run = try workspace.claim("shop", lease: 0.3)
        async let outcome = Self.executor(workspace, [probe.waitingJob()], lease: 0.3).execute(run)
        #expect(await eventually { probe.count == 1 })
        let running = try workspace.store.cancelRuns(ofChannels: ["shop"], now: Date())
        #expect(running.map(\.id) == [run.id])
        let after = try #require(await outcome)
        #expect(after.status == .canceled)
        #expect(after.error == "canceled: its channel is being deleted")
        #expect(probe.canceledRuns == [run.id])
        #expect(try workspace.store.liveRuns(ofChannels: ["shop"], now: Date()).isEmpty)
    }

    @Test func aReleasedRunGoesBackToTheQueue() async throws {
        let workspace = try Self.shop()
        let probe = JobProbe()
        let run = try workspace.claim("shop")
        let release = RunExecutor.Release()
        async let outcome = Self.executor(workspace, [probe.waitingJob()]).execute(run, release: release)
        #expect(await eventually { probe.count == 1 })
        release.request()
        #expect(await outcome == nil)
        #expect(probe.canceledRuns == [run.id])
        let after = try #require(try workspace.run(run.id))
        #expect(after.status == .queued)
        #expect(after.attempt == 1)
        #expect(after.leaseOwner == nil)
        #expect(try workspace.messages(run.id).last == "released by test-worker while shutting down; it will run again")
    }

    // MARK: - Logs and progress

    @Test(arguments: [false, true])
    func theChannelsMinimalLogsSettingIsHonoured(minimal: Bool) async throws {
        let workspace = try RuntimeWorkspace()
        try workspace.apply([RuntimeWorkspace.channel("shop", minimal: minimal)])
        let job = TestJob { context in
            context.log.info("item 1")
            context.log.warning("item 2 has no price")
            context.log.info("item 3")
            context.log.error("item 4 rejected")
            return JobResult(report: "4 items, 1 rejected")
        }
        let run = try workspace.claim("shop")
        _ = await Self.executor(workspace, [job]).execute(run)
        let jobLines = try workspace.lines(run.id).dropFirst(2).dropLast()
        if minimal {
            #expect(jobLines.map(\.message) == ["item 2 has no price", "item 4 rejected", "4 items, 1 rejected"])
            #expect(jobLines.map(\.level) == ["warning", "error", "summary"])
        } else {
            #expect(jobLines.map(\.message) == ["item 1", "item 2 has no price", "item 3", "item 4 rejected",
                                                "4 items, 1 rejected"])
        }
    }

    @Test func progressIsReportedWithTheRun() async throws {
        let workspace = try Self.shop()
        let reported = Locked<[String]>([])
        let job = TestJob { context in
            context.progress(RunProgress(done: 1, total: 3))
            context.progress(RunProgress(done: 3, total: 3))
            context.progress(RunProgress(done: 4, unit: .pages, items: 120, noun: "orders",
                                         waiting: RunProgress.Wait(seconds: 2, reason: "quota (getOrders)")))
            return JobResult(report: "done")
        }
        let run = try workspace.claim("shop")
        let executor = Self.executor(workspace, [job]) { run, update in
            let wait = update.waiting.map { " waiting \($0.reason)" } ?? ""
            reported.update {
                $0.append("\(run.id) \(update.done)/\(update.total.map(String.init) ?? "?") \(update.unit.rawValue) "
                          + "\(update.items) \(update.noun)\(wait)")
            }
        }
        _ = await executor.execute(run)
        #expect(reported.value == ["\(run.id) 1/3 items 1 items", "\(run.id) 3/3 items 3 items",
                                   "\(run.id) 4/? pages 120 orders waiting quota (getOrders)"])
    }
}
