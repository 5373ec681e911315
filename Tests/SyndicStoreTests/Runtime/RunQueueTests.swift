import Foundation
import SyndicCore
import Testing
@testable import SyndicStore

private typealias Fixtures = RuntimeFixtures
private typealias Workspace = StateWorkspace

private func at(_ text: String) -> Date { RuntimeFixtures.at(text) }
/// 2026-03-28 at `time` ("12:15" or "12:15:30") UTC.
private func today(_ time: String) -> Date { at("2026-03-28T\(time.count == 5 ? time + ":00" : time)Z") }

struct RunQueueTests {
    let planner = DueJobPlanner()

    /// A state with the active channel `shop` whose order export runs every 15 minutes from t0.
    fileprivate static func shop(_ backend: StateBackend,
                                 _ schedules: [JobKind: JobScheduleEntry] = [.orderExport: Fixtures.every(15)],
                                 status: String? = "active") throws -> Workspace {
        let workspace = try Workspace(backend)
        try Fixtures.apply(workspace.store, [Fixtures.channel("shop", status: status)], schedules: ["shop": schedules],
                           at: Fixtures.t0)
        return workspace
    }

    func tick(_ store: any StateStore, _ now: Date, retry: RetryPolicy = .standard) throws -> [RunInfo] {
        try store.enqueueDueRuns(now: now, planner: planner, retry: retry).map { try #require(try store.run(id: $0)).0 }
    }

    func nextDue(_ store: any StateStore, _ channel: String = "shop", _ job: JobKind = .orderExport) throws -> Date? {
        try Fixtures.jobSchedules(store, ofChannel: channel).first { $0.job == job }?.nextDue
    }

    // MARK: - Scheduler ticks

    @Test(arguments: StateBackend.allCases)
    func aDueScheduleQueuesOneScheduledRunAndMovesToTheNextSlot(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        #expect(try nextDue(store) == today("12:15"))
        #expect(try tick(store, today("12:14:59")).isEmpty)

        let queued = try tick(store, today("12:15"), retry: RetryPolicy(maxAttempts: 3))
        #expect(queued.count == 1)
        let run = try #require(queued.first)
        #expect(run.channel == "shop")
        #expect(run.job == .orderExport)
        #expect(run.trigger == .schedule)
        #expect(run.dryRun == false)
        #expect(run.full == false)
        #expect(run.slot == today("12:15"))
        #expect(run.status == .queued)
        #expect(run.attempt == 1)
        #expect(run.maxAttempts == 3)
        #expect(run.notBefore == today("12:15"))
        #expect(run.queuedAt == today("12:15"))
        #expect(run.startedAt == nil && run.finishedAt == nil && run.leaseOwner == nil)
        let lines = try #require(try store.run(id: run.id)).1
        #expect(lines.map(\.message) == ["queued by the schedule for 2026-03-28T12:15:00Z"])
        #expect(lines.map(\.level) == ["info"])
        #expect(lines.map(\.seq) == [1])
        #expect(try nextDue(store) == today("12:30"))

        // The same tick again queues nothing.
        #expect(try tick(store, today("12:15")).isEmpty)
        #expect(try store.runs(RunFilter()).count == 1)
    }

    @Test(arguments: StateBackend.allCases)
    func aWorkerThatWasDownRunsAMissedJobOnceForTheLatestSlot(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let queued = try tick(store, today("15:07"))
        #expect(queued.map(\.slot) == [today("15:00")])
        #expect(try nextDue(store) == today("15:15"))
        #expect(try tick(store, today("15:08")).isEmpty)
        #expect(try tick(store, today("15:14:59")).isEmpty)
        #expect(try store.runs(RunFilter()).count == 1)
    }

    @Test(arguments: StateBackend.allCases)
    func aDailyJobMissedForDaysRunsOnce(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend, [.productExport: Fixtures.daily(2, 30)])
        let store = workspace.store
        #expect(try nextDue(store, "shop", .productExport) == at("2026-03-29T02:30:00Z"))
        let queued = try tick(store, at("2026-04-02T09:00:00Z"))
        #expect(queued.map(\.slot) == [at("2026-04-02T02:30:00Z")])
        #expect(try nextDue(store, "shop", .productExport) == at("2026-04-03T02:30:00Z"))
    }

    @Test(arguments: StateBackend.allCases, ["inactive", nil] as [String?])
    func anInactiveChannelFiresNothing(_ backend: StateBackend, status: String?) throws {
        let workspace = try Self.shop(backend, [.orderExport: Fixtures.every(15), .orderRetrieval: Fixtures.every(5)],
                                      status: status)
        let store = workspace.store
        var now = Fixtures.t0
        while now <= today("18:00") {
            #expect(try tick(store, now).isEmpty)
            now += 60
        }
        #expect(try store.runs(RunFilter()).isEmpty)
        // The slots passed: the schedule is not left behind to be replayed.
        #expect(try nextDue(store) == today("18:15"))
        #expect(try nextDue(store, "shop", .orderRetrieval) == today("18:05"))
    }

    @Test(arguments: StateBackend.allCases)
    func aSuspendedChannelFiresNothingAndResumingDoesNotReplayItsSlots(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        _ = try store.suspend(channel: "shop", reason: "ERP outage", by: "ops", at: today("12:01"))
        #expect(try tick(store, today("12:15")).isEmpty)
        #expect(try tick(store, today("12:30")).isEmpty)
        #expect(try nextDue(store) == today("12:45"))
        _ = try store.resume(channel: "shop", by: "ops", at: today("12:40"))
        #expect(try tick(store, today("12:40")).isEmpty)
        #expect(try tick(store, today("12:45")).map(\.slot) == [today("12:45")])
    }

    @Test(arguments: StateBackend.allCases)
    func activatingAChannelDoesNotReplaySlotsSkippedWhileInactive(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend, status: "inactive")
        let store = workspace.store
        #expect(try tick(store, today("12:15")).isEmpty)
        #expect(try tick(store, today("12:30")).isEmpty)
        try Fixtures.apply(store, [Fixtures.channel("shop")], schedules: ["shop": [.orderExport: Fixtures.every(15)]],
                           at: today("12:35"))
        #expect(try tick(store, today("12:35")).isEmpty)
        #expect(try tick(store, today("12:45")).map(\.slot) == [today("12:45")])
    }

    /// The channel was inactive and no worker ticked until after it was activated: the slots
    /// of the inactive days must not run either (an inactive channel fires nothing, and
    /// DueJobPlanner does not replay them when the channel is activated).
    @Test(arguments: StateBackend.allCases)
    func activatingAChannelWithNoTickWhileInactiveDoesNotRunAnInactiveSlot(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend, [.productExport: Fixtures.daily(2, 30)], status: "inactive")
        let store = workspace.store
        // Two days later the channel is activated; the schedule itself is unchanged.
        try Fixtures.apply(store, [Fixtures.channel("shop")], schedules: ["shop": [.productExport: Fixtures.daily(2, 30)]],
                           at: at("2026-03-30T10:00:00Z"))
        let queued = try tick(store, at("2026-03-30T10:01:00Z"))
        #expect(queued.map(\.slot) == [], "the 02:30 slot of 2026-03-30 passed while the channel was inactive")
        #expect(try nextDue(store, "shop", .productExport) == at("2026-03-31T02:30:00Z"))
    }

    /// Same with a suspension that no worker saw: resuming must not run a suspended slot.
    @Test(arguments: StateBackend.allCases)
    func resumingWithNoTickWhileSuspendedDoesNotRunASuspendedSlot(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend, [.productExport: Fixtures.daily(2, 30)])
        let store = workspace.store
        _ = try store.suspend(channel: "shop", reason: "ERP outage", by: "ops", at: today("13:00"))
        _ = try store.resume(channel: "shop", by: "ops", at: at("2026-03-30T10:00:00Z"))
        let queued = try tick(store, at("2026-03-30T10:01:00Z"))
        #expect(queued.map(\.slot) == [], "the 02:30 slots of 03-29 and 03-30 passed while the channel was suspended")
    }

    @Test(arguments: StateBackend.allCases)
    func scheduledRunsAreNeverDryRuns(_ backend: StateBackend) throws {
        let schedules = Dictionary(uniqueKeysWithValues: JobKind.allCases.map { ($0, Fixtures.every(15)) })
        let workspace = try Self.shop(backend, schedules)
        let queued = try tick(workspace.store, today("12:15"))
        #expect(queued.map(\.job).sorted() == JobKind.allCases)
        #expect(queued.allSatisfy { !$0.dryRun && !$0.full && $0.trigger == .schedule })
    }

    @Test(arguments: StateBackend.allCases)
    func aQueuedOrRunningRunMakesTheScheduleWaitThenRunOnce(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let manual = try Fixtures.enqueue(store, "shop", .orderExport, at: today("12:10"))
        #expect(try tick(store, today("12:15")).isEmpty)
        #expect(try nextDue(store) == today("12:15"))

        _ = try #require(try store.claimRun(jobs: [.orderExport], runID: nil, worker: "w1", lease: 3600,
                                            now: today("12:16"), retry: .standard))
        #expect(try tick(store, today("12:50")).isEmpty)
        #expect(try nextDue(store) == today("12:15"))
        _ = try store.finishRun(runID: manual.id, worker: "w1", outcome: .succeeded(counts: [:], report: "ok"),
                                now: today("12:55"), retry: .standard)

        let queued = try tick(store, today("12:56"))
        #expect(queued.map(\.slot) == [today("12:45")])
        #expect(try nextDue(store) == today("13:00"))
    }

    @Test(arguments: StateBackend.allCases)
    func aQueuedDryRunExportAlsoMakesTheScheduledExportWait(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend, [.productExport: Fixtures.every(15)])
        let store = workspace.store
        try Fixtures.enqueue(store, "shop", .productExport, dryRun: true, at: today("12:10"))
        #expect(try tick(store, today("12:15")).isEmpty)
        #expect(try store.runs(RunFilter(channel: "shop", job: .productExport)).count == 1)
    }

    @Test(arguments: StateBackend.allCases)
    func aRunOfAnotherJobOrChannelDoesNotMakeTheScheduleWait(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("other")], at: Fixtures.t0)
        try Fixtures.enqueue(store, "shop", .orderRetrieval, at: today("12:10"))
        try Fixtures.enqueue(store, "other", .orderExport, at: today("12:10"))
        #expect(try tick(store, today("12:15")).map(\.job) == [.orderExport])
    }

    @Test(arguments: StateBackend.allCases)
    func aTickQueuesEveryDueJobOfEveryChannelInOrder(_ backend: StateBackend) throws {
        let workspace = try Workspace(backend)
        let store = workspace.store
        let schedules: [JobKind: JobScheduleEntry] = [.orderExport: Fixtures.every(15), .productExport: Fixtures.every(15),
                                                      .orderRetrieval: Fixtures.every(5)]
        try Fixtures.apply(store, [Fixtures.channel("b"), Fixtures.channel("a")], schedules: ["a": schedules, "b": schedules],
                           at: Fixtures.t0)
        let first = try tick(store, today("12:05"))
        #expect(first.map { "\($0.channel) \($0.job.rawValue)" } == ["a order-retrieval", "b order-retrieval"])
        for run in first {
            _ = try store.claimRun(jobs: [run.job], runID: run.id, worker: "w", lease: 60, now: today("12:05"), retry: .standard)
            _ = try store.finishRun(runID: run.id, worker: "w", outcome: .succeeded(counts: [:], report: ""),
                                    now: today("12:06"), retry: .standard)
        }
        let second = try tick(store, today("12:16"))
        #expect(second.map { "\($0.channel) \($0.job.rawValue)" } == [
            "a order-retrieval", "b order-retrieval", "a order-export", "a product-export", "b order-export", "b product-export",
        ])
        // The order retrievals were due at 12:10; at 12:16 their latest slot is 12:15.
        #expect(second.map(\.slot) == Array(repeating: today("12:15"), count: 6))
        #expect(second.map(\.id) == second.map(\.id).sorted())
    }

    @Test(arguments: StateBackend.allCases)
    func schedulesAreReadInTheirZoneAcrossTheSpringForwardNight(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend, [.productExport: Fixtures.daily(2, 30, "Europe/Paris")])
        let store = workspace.store
        // 02:30 does not exist in Paris on 2026-03-29: it fires at 03:00 local.
        #expect(try nextDue(store, "shop", .productExport) == at("2026-03-29T03:00:00+02:00"))
        #expect(try tick(store, at("2026-03-29T02:59:59+02:00")).isEmpty)
        let queued = try tick(store, at("2026-03-29T03:00:00+02:00"))
        #expect(queued.map(\.slot) == [at("2026-03-29T01:00:00Z")])
        #expect(try Fixtures.messages(store, try #require(queued.first).id)
                == ["queued by the schedule for 2026-03-29T03:00:00+02:00"])
        #expect(try nextDue(store, "shop", .productExport) == at("2026-03-30T02:30:00+02:00"))
    }

    // MARK: - Manual runs

    @Test(arguments: StateBackend.allCases, [(false, false, "queued (manual)"), (true, false, "queued (dry-run)"),
                                             (false, true, "queued (full)"), (true, true, "queued (dry-run)")])
    func enqueueQueuesAManualRun(_ backend: StateBackend, _ variant: (Bool, Bool, String)) throws {
        let (dryRun, full, log) = variant
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let run = try Fixtures.enqueue(store, "shop", .productExport, dryRun: dryRun, full: full, at: today("12:03"),
                                       retry: RetryPolicy(maxAttempts: 2))
        #expect(run.trigger == .manual)
        #expect(run.dryRun == dryRun)
        #expect(run.full == full)
        #expect(run.slot == nil)
        #expect(run.status == .queued)
        #expect(run.attempt == 1)
        #expect(run.maxAttempts == 2)
        #expect(run.notBefore == today("12:03"))
        #expect(run.queuedAt == today("12:03"))
        let stored = try #require(try store.run(id: run.id))
        #expect(stored.0 == run)
        #expect(stored.1.map(\.message) == [log])
    }

    @Test(arguments: StateBackend.allCases)
    func theSameJobOfAChannelIsNeverQueuedTwice(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let first = try Fixtures.enqueue(store, "shop", .orderExport, at: Fixtures.t0)
        #expect(throws: QueueError.alreadyQueued(channel: "shop", job: .orderExport, runID: first.id, status: .queued)) {
            try Fixtures.enqueue(store, "shop", .orderExport, at: today("12:01"))
        }
        _ = try store.claimRun(jobs: [.orderExport], runID: nil, worker: "w1", lease: 60, now: today("12:02"), retry: .standard)
        #expect(throws: QueueError.alreadyQueued(channel: "shop", job: .orderExport, runID: first.id, status: .running)) {
            try Fixtures.enqueue(store, "shop", .orderExport, at: today("12:03"))
        }
        _ = try store.finishRun(runID: first.id, worker: "w1", outcome: .succeeded(counts: [:], report: ""),
                                now: today("12:04"), retry: .standard)
        let next = try Fixtures.enqueue(store, "shop", .orderExport, at: today("12:05"))
        #expect(next.id != first.id)
        #expect(try store.runs(RunFilter(channel: "shop")).count == 2)
        #expect(QueueError.alreadyQueued(channel: "shop", job: .orderExport, runID: 7, status: .running).description
                == "order-export of channel shop is already running (run 7); the same job never runs twice at once")
        #expect(QueueError.unknownRun(9).description == "no run 9; `syndic runs` lists the runs")
    }

    @Test(arguments: StateBackend.allCases, [(false, true), (true, false), (false, false), (true, true)])
    func fullAndDeltaExportsNeverOverlap(_ backend: StateBackend, _ fullness: (Bool, Bool)) throws {
        let (firstFull, secondFull) = fullness
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let first = try Fixtures.enqueue(store, "shop", .productExport, full: firstFull, at: Fixtures.t0)
        #expect(throws: QueueError.alreadyQueued(channel: "shop", job: .productExport, runID: first.id, status: .queued)) {
            try Fixtures.enqueue(store, "shop", .productExport, full: secondFull, at: today("12:01"))
        }
        #expect(throws: QueueError.self) {
            try Fixtures.enqueue(store, "shop", .productExport, dryRun: true, at: today("12:01"))
        }
    }

    @Test(arguments: StateBackend.allCases)
    func aScheduledRunBlocksAManualRunOfTheSameJob(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let scheduled = try #require(try tick(store, today("12:15")).first)
        #expect(throws: QueueError.alreadyQueued(channel: "shop", job: .orderExport, runID: scheduled.id, status: .queued)) {
            try Fixtures.enqueue(store, "shop", .orderExport, at: today("12:16"))
        }
    }

    @Test(arguments: StateBackend.allCases)
    func otherJobsAndOtherChannelsQueueIndependently(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("other")], at: Fixtures.t0)
        let runs = try [("shop", JobKind.orderExport), ("shop", .productExport), ("other", .orderExport)].map {
            try Fixtures.enqueue(store, $0.0, $0.1, at: Fixtures.t0)
        }
        #expect(Set(runs.map(\.id)).count == 3)
    }

    // MARK: - Claims

    @Test(arguments: StateBackend.allCases)
    func claimTakesTheOldestRunnableRunUnderALease(_ backend: StateBackend) throws {
        let workspace = try Workspace(backend)
        let store = workspace.store
        try Fixtures.apply(store, ["a", "b", "c"].map { Fixtures.channel($0) }, at: Fixtures.t0)
        let a = try Fixtures.enqueue(store, "a", .orderExport, at: today("12:00"))
        let b = try Fixtures.enqueue(store, "b", .orderExport, at: today("11:50"))
        let c = try Fixtures.enqueue(store, "c", .orderExport, at: today("12:05"))

        let now = today("12:10")
        let first = try #require(try store.claimRun(jobs: [.orderExport], runID: nil, worker: "w1", lease: 90, now: now,
                                                    retry: .standard))
        #expect(first.id == b.id)
        #expect(first.status == .running)
        #expect(first.leaseOwner == "w1")
        #expect(first.leaseExpiresAt == now + 90)
        #expect(first.startedAt == now)
        #expect(first.attempt == 1)
        #expect(try Fixtures.messages(store, b.id) == ["queued (manual)", "attempt 1 of 4 started by w1"])
        #expect(try store.run(id: b.id)?.0 == first)

        let order = try (0..<3).map { _ in
            try store.claimRun(jobs: [.orderExport], runID: nil, worker: "w2", lease: 90, now: now, retry: .standard)?.id
        }
        #expect(order == [a.id, c.id, nil])
    }

    @Test(arguments: StateBackend.allCases)
    func claimTakesOnlyTheJobsTheWorkerCanRun(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let export = try Fixtures.enqueue(store, "shop", .productExport, at: Fixtures.t0)
        let now = today("12:01")
        #expect(try store.claimRun(jobs: [], runID: nil, worker: "w1", lease: 60, now: now, retry: .standard) == nil)
        #expect(try store.claimRun(jobs: [.orderRetrieval, .orderExport], runID: nil, worker: "w1", lease: 60, now: now,
                                   retry: .standard) == nil)
        #expect(try store.claimRun(jobs: Set(JobKind.allCases), runID: nil, worker: "w1", lease: 60, now: now,
                                   retry: .standard)?.id == export.id)
    }

    @Test(arguments: StateBackend.allCases)
    func claimByIDTakesExactlyThatRun(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        try Fixtures.enqueue(store, "shop", .orderExport, at: Fixtures.t0)
        let later = try Fixtures.enqueue(store, "shop", .orderRetrieval, at: today("12:01"))
        let claimed = try store.claimRun(jobs: [.orderExport, .orderRetrieval], runID: later.id, worker: "w1", lease: 60,
                                         now: today("12:02"), retry: .standard)
        #expect(claimed?.id == later.id)
        #expect(try store.claimRun(jobs: [.orderExport], runID: later.id, worker: "w1", lease: 60, now: today("12:02"),
                                   retry: .standard) == nil)
        #expect(try store.claimRun(jobs: [.orderExport], runID: 999, worker: "w1", lease: 60, now: today("12:02"),
                                   retry: .standard) == nil)
    }

    @Test(arguments: StateBackend.allCases)
    func aRunIsNotClaimedBeforeItsTime(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let run = try Fixtures.enqueue(store, "shop", .orderExport, at: today("12:10"))
        #expect(try store.claimRun(jobs: [.orderExport], runID: nil, worker: "w1", lease: 60, now: today("12:09:59"),
                                   retry: .standard) == nil)
        #expect(try store.claimRun(jobs: [.orderExport], runID: nil, worker: "w1", lease: 60, now: today("12:10"),
                                   retry: .standard)?.id == run.id)
    }

    /// Two processes could each queue a run of the same job; only one of them runs at a time.
    @Test(arguments: StateBackend.allCases)
    func theSameJobOfAChannelNeverRunsTwiceAtOnce(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("other")], at: Fixtures.t0)
        let delta = try Fixtures.insertQueued(store, "shop", .productExport, at: Fixtures.t0)
        let full = try Fixtures.insertQueued(store, "shop", .productExport, full: true, at: Fixtures.t0)
        let other = try Fixtures.insertQueued(store, "other", .productExport, at: Fixtures.t0)
        let now = today("12:01")
        func claim(_ worker: String) throws -> Int64? {
            try store.claimRun(jobs: [.productExport], runID: nil, worker: worker, lease: 60, now: now, retry: .standard)?.id
        }
        #expect(try claim("w1") == delta)
        // The full export of the same channel waits; another channel's export does not.
        #expect(try claim("w2") == other)
        #expect(try claim("w2") == nil)
        #expect(try store.claimRun(jobs: [.productExport], runID: full, worker: "w2", lease: 60, now: now,
                                   retry: .standard) == nil)
        _ = try store.finishRun(runID: delta, worker: "w1", outcome: .succeeded(counts: [:], report: ""), now: now,
                                retry: .standard)
        #expect(try claim("w2") == full)
    }

    @Test(arguments: StateBackend.allCases)
    func anExpiredLeaseIsTakenBackAndRunAgainAtOnce(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let run = try Fixtures.claimed(store, "shop", .orderExport, worker: "w1", lease: 60, at: Fixtures.t0)
        func claim(_ now: Date) throws -> RunInfo? {
            try store.claimRun(jobs: [.orderExport], runID: nil, worker: "w2", lease: 60, now: now, retry: .standard)
        }
        // At the expiry instant the lease still holds.
        #expect(try claim(today("12:01")) == nil)
        #expect(try store.run(id: run.id)?.0.status == .running)
        #expect(try store.run(id: run.id)?.0.leaseOwner == "w1")

        // A second later the worker is taken for stopped: the run counts the lost attempt and
        // is claimable at once, without a backoff (its job did not fail).
        let retried = try #require(try claim(today("12:01:01")))
        #expect(retried.id == run.id)
        #expect(retried.attempt == 2)
        #expect(retried.leaseOwner == "w2")
        #expect(retried.leaseExpiresAt == today("12:02:01"))
        #expect(retried.notBefore == today("12:01:01"))
        #expect(retried.startedAt == Fixtures.t0)
        #expect(retried.error == "worker w1 stopped during attempt 1 (lease expired at 2026-03-28T12:01:00Z)")
        #expect(try Fixtures.messages(store, run.id) == [
            "queued (manual)",
            "attempt 1 of 4 started by w1",
            "attempt 1 failed: worker w1 stopped during attempt 1 (lease expired at 2026-03-28T12:01:00Z); retrying at 2026-03-28T12:01:01Z",
            "attempt 2 of 4 started by w2",
        ])
        #expect(try store.run(id: run.id)?.1.first { $0.message.contains("stopped") }?.level == "error")
        // The first worker comes back: its lease is gone and its outcome is ignored.
        #expect(try store.renewLease(runID: run.id, worker: "w1", until: today("12:10")) == .lost)
        #expect(try store.finishRun(runID: run.id, worker: "w1", outcome: .succeeded(counts: [:], report: "late"),
                                    now: today("12:02"), retry: .standard) == nil)
        #expect(try store.run(id: run.id)?.0 == retried)
        #expect(try store.events(channel: nil, limit: 10).isEmpty)
    }

    @Test(arguments: StateBackend.allCases)
    func anExpiredLeaseIsTakenBackByAClaimForAnotherJob(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let run = try Fixtures.claimed(store, "shop", .orderExport, lease: 60, at: Fixtures.t0)
        // A worker that cannot run order exports still takes the dead lease back.
        #expect(try store.claimRun(jobs: [.productExport], runID: nil, worker: "w2", lease: 60, now: today("12:05"),
                                   retry: .standard) == nil)
        let reaped = try #require(try store.run(id: run.id)).0
        #expect(reaped.status == .queued)
        #expect(reaped.attempt == 2)
        #expect(reaped.leaseOwner == nil && reaped.leaseExpiresAt == nil)
        #expect(reaped.notBefore == today("12:05"))
    }

    @Test(arguments: StateBackend.allCases)
    func anExpiredLeaseOnTheLastAttemptFailsTheRunAndRaisesAnEvent(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let run = try Fixtures.claimed(store, "shop", .orderExport, lease: 60, at: Fixtures.t0, retry: RetryPolicy(maxAttempts: 1))
        #expect(try store.claimRun(jobs: [.orderExport], runID: nil, worker: "w2", lease: 60, now: today("12:02"),
                                   retry: .standard) == nil)
        let failed = try #require(try store.run(id: run.id)).0
        #expect(failed.status == .failed)
        #expect(failed.finishedAt == today("12:02"))
        let events = try store.events(channel: "shop", limit: 10)
        #expect(events.count == 1)
        #expect(events.first?.kind == "ftp-failed")
        #expect(events.first?.runID == run.id)
        #expect(events.first?.at == today("12:02"))
        #expect(events.first?.message
                == "order-export failed after 1 attempt: worker w1 stopped during attempt 1 (lease expired at 2026-03-28T12:01:00Z)")
    }

    @Test(arguments: StateBackend.allCases)
    func anExpiredLeaseOfARunBeingCanceledCancelsIt(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let run = try Fixtures.claimed(store, "shop", .orderExport, lease: 60, at: Fixtures.t0)
        _ = try store.cancelRuns(ofChannels: ["shop"], now: today("12:00:30"))
        _ = try store.claimRun(jobs: [.orderExport], runID: nil, worker: "w2", lease: 60, now: today("12:05"), retry: .standard)
        let canceled = try #require(try store.run(id: run.id)).0
        #expect(canceled.status == .canceled)
        #expect(canceled.error == "canceled: its worker w1 stopped")
        #expect(canceled.finishedAt == today("12:05"))
        #expect(try Fixtures.messages(store, run.id).last == "canceled: its worker w1 stopped")
        #expect(try store.events(channel: nil, limit: 10).isEmpty)
    }

    enum Gate: String, CaseIterable, Sendable { case inactive, suspended }

    @Test(arguments: StateBackend.allCases, Gate.allCases)
    func claimCancelsRunsOfAClosedChannelButNotDryRuns(_ backend: StateBackend, gate: Gate) throws {
        let workspace = try Self.shop(backend, [.orderRetrieval: Fixtures.every(5)])
        let store = workspace.store
        let scheduled = try #require(try tick(store, today("12:05")).first)
        let manual = try Fixtures.enqueue(store, "shop", .orderExport, at: today("12:06"))
        let dryRun = try Fixtures.enqueue(store, "shop", .productExport, dryRun: true, at: today("12:07"))
        switch gate {
        case .inactive:
            try Fixtures.apply(store, [Fixtures.channel("shop", status: "inactive")],
                               schedules: ["shop": [.orderRetrieval: Fixtures.every(5)]], at: today("12:08"))
        case .suspended:
            _ = try store.suspend(channel: "shop", reason: "outage", by: "ops", at: today("12:08"))
        }
        let claimed = try store.claimRun(jobs: Set(JobKind.allCases), runID: nil, worker: "w1", lease: 60,
                                         now: today("12:09"), retry: .standard)
        #expect(claimed?.id == dryRun.id)
        for id in [scheduled.id, manual.id] {
            let (run, lines) = try #require(try store.run(id: id))
            #expect(run.status == .canceled)
            #expect(run.finishedAt == today("12:09"))
            #expect(run.error == "canceled: channel shop is inactive or suspended")
            #expect(lines.last?.level == "warning")
            #expect(lines.last?.message == "canceled: channel shop is inactive or suspended")
        }
        #expect(try store.claimRun(jobs: Set(JobKind.allCases), runID: nil, worker: "w1", lease: 60, now: today("12:10"),
                                   retry: .standard) == nil)
    }

    // MARK: - Leases

    @Test(arguments: StateBackend.allCases)
    func renewLeaseExtendsAHeldLease(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let run = try Fixtures.claimed(store, "shop", .orderExport, lease: 60, at: Fixtures.t0)
        #expect(try store.renewLease(runID: run.id, worker: "w1", until: today("12:02")) == .held)
        #expect(try store.run(id: run.id)?.0.leaseExpiresAt == today("12:02"))
        // Renewed, the lease is not taken back at the first expiry.
        #expect(try store.claimRun(jobs: [.orderExport], runID: nil, worker: "w2", lease: 60, now: today("12:01:30"),
                                   retry: .standard) == nil)
        #expect(try store.run(id: run.id)?.0.leaseOwner == "w1")
        #expect(try store.run(id: run.id)?.0.attempt == 1)
    }

    @Test(arguments: StateBackend.allCases)
    func renewLeaseOfAnotherWorkerOrAFinishedRunIsLost(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let run = try Fixtures.claimed(store, "shop", .orderExport, lease: 60, at: Fixtures.t0)
        #expect(try store.renewLease(runID: run.id, worker: "w2", until: today("12:05")) == .lost)
        #expect(try store.run(id: run.id)?.0.leaseExpiresAt == today("12:01"))
        #expect(try store.renewLease(runID: 999, worker: "w1", until: today("12:05")) == .lost)
        _ = try store.finishRun(runID: run.id, worker: "w1", outcome: .succeeded(counts: [:], report: ""),
                                now: today("12:00:30"), retry: .standard)
        #expect(try store.renewLease(runID: run.id, worker: "w1", until: today("12:05")) == .lost)
        #expect(try store.run(id: run.id)?.0.leaseExpiresAt == nil)
    }

    @Test(arguments: StateBackend.allCases)
    func renewLeaseReportsACancelRequestAndStillExtends(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let run = try Fixtures.claimed(store, "shop", .orderExport, lease: 60, at: Fixtures.t0)
        _ = try store.cancelRuns(ofChannels: ["shop"], now: today("12:00:10"))
        #expect(try store.renewLease(runID: run.id, worker: "w1", until: today("12:03")) == .cancelRequested)
        #expect(try store.run(id: run.id)?.0.leaseExpiresAt == today("12:03"))
    }

    // MARK: - Outcomes

    @Test(arguments: StateBackend.allCases)
    func successRecordsCountsAndReportAndFreesTheLease(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let run = try Fixtures.claimed(store, "shop", .productExport, lease: 60, at: Fixtures.t0)
        let finished = try #require(try store.finishRun(
            runID: run.id, worker: "w1", outcome: .succeeded(counts: ["exported": 120, "skipped": 3], report: "120 sent"),
            now: today("12:00:45"), retry: .standard))
        #expect(finished.status == .succeeded)
        #expect(finished.finishedAt == today("12:00:45"))
        #expect(finished.startedAt == Fixtures.t0)
        #expect(finished.counts == ["exported": 120, "skipped": 3])
        #expect(finished.report == "120 sent")
        #expect(finished.error == nil)
        #expect(finished.leaseOwner == nil && finished.leaseExpiresAt == nil)
        #expect(finished.attempt == 1)
        #expect(try store.run(id: run.id)?.0 == finished)
        #expect(try Fixtures.messages(store, run.id).last == "succeeded")
        #expect(try store.events(channel: nil, limit: 10).isEmpty)
    }

    @Test(arguments: StateBackend.allCases)
    func failuresRetryWithExponentialBackoffThenFailForGoodWithAnEvent(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let queued = try Fixtures.enqueue(store, "shop", .productExport, at: Fixtures.t0)
        var now = Fixtures.t0
        let delays: [TimeInterval] = [30, 60, 120]
        for attempt in 1...4 {
            let claimed = try #require(try store.claimRun(jobs: [.productExport], runID: nil, worker: "w1", lease: 60,
                                                          now: now, retry: .standard))
            #expect(claimed.attempt == attempt)
            now += 10
            let after = try #require(try store.finishRun(
                runID: queued.id, worker: "w1",
                outcome: .failed(error: "boom \(attempt)", counts: ["sent": attempt], report: "partial \(attempt)"),
                now: now, retry: .standard))
            #expect(after.error == "boom \(attempt)")
            #expect(after.counts == ["sent": attempt])
            #expect(after.report == "partial \(attempt)")
            #expect(after.leaseOwner == nil)
            if attempt < 4 {
                #expect(after.status == .queued)
                #expect(after.attempt == attempt + 1)
                #expect(after.notBefore == now + delays[attempt - 1])
                #expect(after.finishedAt == nil)
                #expect(try store.events(channel: nil, limit: 10).isEmpty)
                #expect(try store.claimRun(jobs: [.productExport], runID: nil, worker: "w1", lease: 60,
                                           now: after.notBefore - 1, retry: .standard) == nil)
                now = after.notBefore
            } else {
                #expect(after.status == .failed)
                #expect(after.attempt == 4)
                #expect(after.finishedAt == now)
            }
        }
        #expect(try Fixtures.messages(store, queued.id) == [
            "queued (manual)",
            "attempt 1 of 4 started by w1", "attempt 1 failed: boom 1; retrying at 2026-03-28T12:00:40Z",
            "attempt 2 of 4 started by w1", "attempt 2 failed: boom 2; retrying at 2026-03-28T12:01:50Z",
            "attempt 3 of 4 started by w1", "attempt 3 failed: boom 3; retrying at 2026-03-28T12:04:00Z",
            "attempt 4 of 4 started by w1", "attempt 4 failed: boom 4; no attempt left",
        ])
        let events = try store.events(channel: "shop", limit: 10)
        #expect(events.map(\.kind) == ["export-failed"])
        #expect(events.first?.message == "product-export failed after 4 attempts: boom 4")
        #expect(events.first?.runID == queued.id)
        #expect(events.first?.channel == "shop")
        #expect(events.first?.at == now)
        // A failed run no longer holds the job.
        #expect(try Fixtures.enqueue(store, "shop", .productExport, at: now).status == .queued)
    }

    @Test(arguments: StateBackend.allCases)
    func theAttemptLimitIsTheOneTheRunWasQueuedWith(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let run = try Fixtures.claimed(store, "shop", .orderExport, at: Fixtures.t0, retry: RetryPolicy(maxAttempts: 2))
        let generous = RetryPolicy(maxAttempts: 10)
        let first = try store.finishRun(runID: run.id, worker: "w1", outcome: .failed(error: "x", counts: [:], report: nil),
                                        now: Fixtures.t0, retry: generous)
        #expect(first?.status == .queued)
        _ = try store.claimRun(jobs: [.orderExport], runID: nil, worker: "w1", lease: 60, now: today("12:01"), retry: generous)
        let second = try store.finishRun(runID: run.id, worker: "w1", outcome: .failed(error: "y", counts: [:], report: nil),
                                         now: today("12:01"), retry: generous)
        #expect(second?.status == .failed)
        #expect(second?.maxAttempts == 2)
        #expect(try store.events(channel: "shop", limit: 1).first?.message == "order-export failed after 2 attempts: y")
    }

    @Test(arguments: StateBackend.allCases)
    func theBackoffFollowsTheGivenDelaysUpToTheLongest(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let retry = RetryPolicy(maxAttempts: 4, baseDelay: 600, maxDelay: 900)
        let run = try Fixtures.enqueue(store, "shop", .orderExport, at: Fixtures.t0, retry: retry)
        var now = Fixtures.t0
        var delays: [TimeInterval] = []
        for _ in 1...3 {
            _ = try #require(try store.claimRun(jobs: [.orderExport], runID: nil, worker: "w1", lease: 60, now: now, retry: retry))
            let after = try #require(try store.finishRun(runID: run.id, worker: "w1",
                                                         outcome: .failed(error: "x", counts: [:], report: nil),
                                                         now: now, retry: retry))
            delays.append(after.notBefore.timeIntervalSince(now))
            now = after.notBefore
        }
        #expect(delays == [600, 900, 900])
    }

    @Test(arguments: StateBackend.allCases)
    func anOutcomeFromAnotherWorkerOrForARunNotRunningIsIgnored(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let queued = try Fixtures.enqueue(store, "shop", .orderExport, at: Fixtures.t0)
        #expect(try store.finishRun(runID: queued.id, worker: "w1", outcome: .succeeded(counts: [:], report: ""),
                                    now: Fixtures.t0, retry: .standard) == nil)
        #expect(try store.finishRun(runID: 999, worker: "w1", outcome: .succeeded(counts: [:], report: ""),
                                    now: Fixtures.t0, retry: .standard) == nil)
        let claimed = try #require(try store.claimRun(jobs: [.orderExport], runID: nil, worker: "w1", lease: 60,
                                                      now: Fixtures.t0, retry: .standard))
        #expect(try store.finishRun(runID: queued.id, worker: "w2", outcome: .failed(error: "x", counts: [:], report: nil),
                                    now: Fixtures.t0, retry: .standard) == nil)
        #expect(try store.run(id: queued.id)?.0 == claimed)
    }

    @Test(arguments: StateBackend.allCases)
    func aCanceledOutcomeFinishesTheRunWithoutRetry(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let run = try Fixtures.claimed(store, "shop", .orderExport, at: Fixtures.t0)
        let canceled = try #require(try store.finishRun(runID: run.id, worker: "w1", outcome: .canceled(reason: "stopped"),
                                                        now: today("12:00:05"), retry: .standard))
        #expect(canceled.status == .canceled)
        #expect(canceled.error == "canceled: stopped")
        #expect(canceled.finishedAt == today("12:00:05"))
        #expect(canceled.attempt == 1)
        #expect(try store.run(id: run.id)?.1.last.map { "\($0.level) \($0.message)" } == "warning canceled: stopped")
        #expect(try store.events(channel: nil, limit: 10).isEmpty)
    }

    @Test(arguments: StateBackend.allCases)
    func aFailureWhileACancelIsRequestedCancelsInsteadOfRetrying(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let run = try Fixtures.claimed(store, "shop", .orderExport, at: Fixtures.t0)
        _ = try store.cancelRuns(ofChannels: ["shop"], now: today("12:00:01"))
        let after = try #require(try store.finishRun(runID: run.id, worker: "w1",
                                                     outcome: .failed(error: "connection reset", counts: [:], report: nil),
                                                     now: today("12:00:02"), retry: .standard))
        #expect(after.status == .canceled)
        #expect(after.attempt == 1)
        #expect(after.finishedAt == today("12:00:02"))
        #expect(try Fixtures.messages(store, run.id).last == "attempt 1 stopped: connection reset; canceled")
        #expect(try store.events(channel: nil, limit: 10).isEmpty)
    }

    @Test(arguments: StateBackend.allCases)
    func releaseGivesARunBackToTheQueueWithoutUsingAnAttempt(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let run = try Fixtures.claimed(store, "shop", .orderExport, at: Fixtures.t0)
        try store.releaseRun(runID: run.id, worker: "w2", now: today("12:00:10"))
        #expect(try store.run(id: run.id)?.0 == run)

        try store.releaseRun(runID: run.id, worker: "w1", now: today("12:00:20"))
        let released = try #require(try store.run(id: run.id)).0
        #expect(released.status == .queued)
        #expect(released.attempt == 1)
        #expect(released.notBefore == today("12:00:20"))
        #expect(released.leaseOwner == nil && released.leaseExpiresAt == nil)
        #expect(try Fixtures.messages(store, run.id).last == "released by w1 while shutting down; it will run again")
        let again = try store.claimRun(jobs: [.orderExport], runID: nil, worker: "w2", lease: 60, now: today("12:00:20"),
                                       retry: .standard)
        #expect(again?.id == run.id)
        #expect(again?.attempt == 1)
        #expect(again?.startedAt == Fixtures.t0)
    }

    // MARK: - Logs

    @Test(arguments: StateBackend.allCases)
    func appendedLogLinesFollowTheRunsOwnLines(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let run = try Fixtures.claimed(store, "shop", .orderExport, at: Fixtures.t0)
        try store.appendLogs(runID: run.id, lines: [
            RunLogLine(seq: 1, at: today("12:00:01"), level: "info", message: "item 1"),
            RunLogLine(seq: 2, at: today("12:00:02"), level: "error", message: "item 2 rejected"),
        ])
        try store.appendLogs(runID: run.id, lines: [])
        try store.appendLogs(runID: 999, lines: [RunLogLine(seq: 1, at: Fixtures.t0, level: "info", message: "lost")])
        let lines = try #require(try store.run(id: run.id)).1
        #expect(lines.map(\.seq) == [1, 2, 3, 4])
        #expect(lines.map(\.level) == ["info", "info", "info", "error"])
        #expect(lines.suffix(2).map(\.message) == ["item 1", "item 2 rejected"])
        #expect(lines.last?.at == today("12:00:02"))
        #expect(try store.run(id: 999) == nil)
    }

    // MARK: - Cancellation

    @Test(arguments: StateBackend.allCases)
    func cancelRunsCancelsQueuedRunsAndFlagsRunningOnes(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("kept")], at: Fixtures.t0)
        let running = try Fixtures.claimed(store, "shop", .orderExport, at: Fixtures.t0)
        let queued = try Fixtures.enqueue(store, "shop", .productExport, at: Fixtures.t0)
        let done = try Fixtures.finished(store, "shop", .orderRetrieval, at: Fixtures.t0)
        let kept = try Fixtures.enqueue(store, "kept", .productExport, at: Fixtures.t0)
        #expect(try store.cancelRuns(ofChannels: [], now: today("12:01")).isEmpty)

        let stillRunning = try store.cancelRuns(ofChannels: ["shop"], now: today("12:01"))
        #expect(stillRunning.map(\.id) == [running.id])
        #expect(stillRunning.first?.cancelRequested == true)
        #expect(stillRunning.first?.status == .running)

        let canceled = try #require(try store.run(id: queued.id)).0
        #expect(canceled.status == .canceled)
        #expect(canceled.finishedAt == today("12:01"))
        #expect(canceled.error == "canceled: channel shop is being deleted")
        #expect(try store.run(id: done.id)?.0 == done)
        #expect(try store.run(id: kept.id)?.0 == kept)
    }

    @Test(arguments: StateBackend.allCases)
    func liveRunsAreRunningRunsWithAnUnexpiredLease(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("other")], at: Fixtures.t0)
        let live = try Fixtures.claimed(store, "shop", .orderExport, lease: 600, at: Fixtures.t0)
        let expiring = try Fixtures.claimed(store, "shop", .orderRetrieval, lease: 60, at: Fixtures.t0)
        try Fixtures.enqueue(store, "shop", .productExport, at: Fixtures.t0)
        _ = try Fixtures.claimed(store, "other", .orderExport, lease: 600, at: Fixtures.t0)

        #expect(try store.liveRuns(ofChannels: ["shop"], now: today("12:01")).map(\.id).sorted() == [live.id, expiring.id])
        #expect(try store.liveRuns(ofChannels: ["shop"], now: today("12:01:01")).map(\.id) == [live.id])
        #expect(try store.liveRuns(ofChannels: ["shop", "other"], now: today("12:01:01")).count == 2)
        #expect(try store.liveRuns(ofChannels: [], now: today("12:01")).isEmpty)
        #expect(try store.liveRuns(ofChannels: ["nope"], now: today("12:01")).isEmpty)
    }

    // MARK: - Reading

    @Test(arguments: StateBackend.allCases)
    func runsAreListedNewestFirstAndFiltered(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("other")], at: Fixtures.t0)
        let r1 = try Fixtures.finished(store, "shop", .orderExport, at: Fixtures.t0)
        let r2 = try Fixtures.finished(store, "shop", .productExport, at: Fixtures.t0,
                                       outcome: .failed(error: "x", counts: [:], report: nil))
        let r3 = try Fixtures.enqueue(store, "other", .orderExport, at: Fixtures.t0)
        let r4 = try Fixtures.enqueue(store, "shop", .orderExport, at: Fixtures.t0)

        #expect(try store.runs(RunFilter()).map(\.id) == [r4.id, r3.id, r2.id, r1.id])
        #expect(try store.runs(RunFilter(channel: "shop")).map(\.id) == [r4.id, r2.id, r1.id])
        #expect(try store.runs(RunFilter(job: .orderExport)).map(\.id) == [r4.id, r3.id, r1.id])
        #expect(try store.runs(RunFilter(status: .queued)).map(\.id) == [r4.id, r3.id])
        #expect(try store.runs(RunFilter(status: .failed)).map(\.id) == [r2.id])
        #expect(try store.runs(RunFilter(channel: "shop", job: .orderExport, status: .succeeded)).map(\.id) == [r1.id])
        #expect(try store.runs(RunFilter(limit: 2)).map(\.id) == [r4.id, r3.id])
        #expect(try store.runs(RunFilter(limit: 2, offset: 2)).map(\.id) == [r2.id, r1.id])
        #expect(try store.runs(RunFilter(channel: "shop", limit: 1, offset: 1)).map(\.id) == [r2.id])
        #expect(try store.runs(RunFilter(channel: "nope")).isEmpty)
    }

    // MARK: - Retention

    @Test(arguments: StateBackend.allCases)
    func purgeRemovesFinishedRunsOlderThanEachChannelsRetentionWithTheirLogs(_ backend: StateBackend) throws {
        let workspace = try Workspace(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("short", retainDays: 7), Fixtures.channel("plain"),
                                   Fixtures.channel("long", retainDays: 90)], at: Fixtures.t0)
        let now = at("2026-05-27T12:00:00Z") // t0 + 60 days
        func day(_ days: Double) -> Date { now - days * 86_400 }
        let shortOld = try Fixtures.finished(store, "short", .orderExport, at: day(10))
        let shortNew = try Fixtures.finished(store, "short", .orderExport, at: day(5))
        let plainOld = try Fixtures.finished(store, "plain", .orderExport, at: day(40),
                                             outcome: .failed(error: "x", counts: [:], report: nil))
        let plainCanceled = try Fixtures.finished(store, "plain", .orderRetrieval, at: day(31),
                                                  outcome: .canceled(reason: "stopped"))
        let plainEdge = try Fixtures.finished(store, "plain", .orderExport, at: day(30))
        let plainNew = try Fixtures.finished(store, "plain", .orderExport, at: day(20))
        let longOld = try Fixtures.finished(store, "long", .orderExport, at: day(60))
        // Unfinished runs stay whatever their age.
        let oldQueued = try Fixtures.enqueue(store, "short", .productExport, at: day(60))
        let oldRunning = try Fixtures.claimed(store, "short", .orderRetrieval, lease: 1e9, at: day(60))

        let removed = [shortOld, plainOld, plainCanceled].map(\.id)
        #expect(removed.allSatisfy { (try? Fixtures.logRows(store, run: $0)) ?? 0 > 0 })
        #expect(try store.purgeExpiredRuns(now: now, defaultRetainDays: 30) == 3)
        let left = try store.runs(RunFilter(limit: 100)).map(\.id)
        #expect(Set(left) == Set([shortNew, plainEdge, plainNew, longOld].map(\.id) + [oldQueued.id, oldRunning.id]))
        for id in removed {
            #expect(try store.run(id: id) == nil)
            #expect(try Fixtures.logRows(store, run: id) == 0)
        }
        #expect(try Fixtures.logRows(store, run: shortNew.id) > 0)
        #expect(try store.purgeExpiredRuns(now: now, defaultRetainDays: 30) == 0)
        // A shorter default applies to channels that do not say.
        #expect(try store.purgeExpiredRuns(now: now, defaultRetainDays: 10) == 2)
        #expect(try store.run(id: plainNew.id) == nil)
        #expect(try store.run(id: longOld.id) != nil)
    }

    // MARK: - Events

    @Test(arguments: StateBackend.allCases)
    func eventsAreNewestFirstPerChannelAndLimited(_ backend: StateBackend) throws {
        let workspace = try Workspace(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("a"), Fixtures.channel("b")], at: Fixtures.t0)
        let failure = RunOutcome.failed(error: "down", counts: [:], report: nil)
        let a1 = try Fixtures.finished(store, "a", .orderExport, at: Fixtures.t0, outcome: failure)
        let b1 = try Fixtures.finished(store, "b", .orderExport, at: today("12:01"), outcome: failure)
        let a2 = try Fixtures.finished(store, "a", .orderRetrieval, at: today("12:02"), outcome: failure)
        _ = try Fixtures.finished(store, "a", .productExport, at: today("12:03"))

        #expect(try store.events(channel: nil, limit: 10).map(\.runID) == [a2.id, b1.id, a1.id])
        #expect(try store.events(channel: "a", limit: 10).map(\.runID) == [a2.id, a1.id])
        #expect(try store.events(channel: nil, limit: 1).map(\.runID) == [a2.id])
        #expect(try store.events(channel: "nope", limit: 10).isEmpty)
        let event = try #require(try store.events(channel: "b", limit: 10).first)
        #expect(event.kind == "ftp-failed")
        #expect(event.message == "order-export failed after 1 attempt: down")
        #expect(event.at == today("12:01"))
    }

    // MARK: - Channel deletes

    @Test(arguments: StateBackend.allCases)
    func deletingAChannelRemovesItsRunsLogsSchedulesAndEvents(_ backend: StateBackend) throws {
        let workspace = try Workspace(backend)
        let store = workspace.store
        let schedules: [JobKind: JobScheduleEntry] = [.orderExport: Fixtures.every(15), .orderRetrieval: Fixtures.every(5)]
        try Fixtures.apply(store, [Fixtures.channel("shop"), Fixtures.channel("kept")],
                           schedules: ["shop": schedules, "kept": schedules], at: Fixtures.t0)
        for channel in ["shop", "kept"] {
            try Fixtures.finished(store, channel, .productExport, at: Fixtures.t0,
                                  outcome: .failed(error: "x", counts: [:], report: nil))
            try Fixtures.enqueue(store, channel, .orderExport, at: Fixtures.t0)
        }
        let tables = ChannelOwnedTable.all.filter { ["job_schedule", "run", "run_log", "event"].contains($0.table) }
        #expect(tables.count == 4)
        let before = try tables.map { try Fixtures.count(store, $0, "shop") }
        #expect(before[0] == 2 && before[1] == 2 && before[2] >= 4 && before[3] == 1)
        let owned = try #require(try store.ownedData(ofChannels: ["shop"])["shop"])
        let counted = Dictionary(uniqueKeysWithValues: owned.map { ($0.label, $0.count) })
        #expect(tables.map { counted[$0.label] } == before)
        let keptBefore = try ChannelOwnedTable.all.map { try Fixtures.count(store, $0, "kept") }

        try Fixtures.apply(store, [], deleting: ["shop"], at: today("12:30"))
        for table in ChannelOwnedTable.all {
            #expect(try Fixtures.count(store, table, "shop") == 0, "\(table.table)")
        }
        #expect(try ChannelOwnedTable.all.map { try Fixtures.count(store, $0, "kept") } == keptBefore)
        #expect(try store.runs(RunFilter(channel: "shop")).isEmpty)
        #expect(try Fixtures.jobSchedules(store, ofChannel: "shop").isEmpty)
        #expect(try store.events(channel: "shop", limit: 10).isEmpty)
        #expect(try store.events(channel: "kept", limit: 10).count == 1)
    }
}
