import Foundation
import SyndicCore
import Testing
@testable import SyndicStore

private typealias Fixtures = RuntimeFixtures
private typealias Workspace = StateWorkspace

private func at(_ text: String) -> Date { RuntimeFixtures.at(text) }

/// `ApplyBatch.jobSchedules` as applied by `commit`, on either backend.
struct JobScheduleSyncTests {
    static func schedules(_ store: any StateStore, _ channel: String = "shop") throws -> [JobKind: ScheduledJob] {
        Dictionary(uniqueKeysWithValues: try Fixtures.jobSchedules(store, ofChannel: channel).map { ($0.job, $0) })
    }

    static func lastSlot(_ store: any StateStore, _ channel: String, _ job: JobKind) throws -> Date? {
        try RawState.date(store, "SELECT last_slot FROM job_schedule WHERE channel = ? AND job = ?",
                          [channel, job.rawValue])
    }

    @Test(arguments: StateBackend.allCases)
    func applyStoresEachJobFirstDueAfterTheApply(_ backend: StateBackend) throws {
        let workspace = try Workspace(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("shop")], schedules: ["shop": [
            .productExport: Fixtures.daily(2, 30, "Europe/Paris"),
            .orderRetrieval: Fixtures.every(5, "Europe/Paris"),
            .confirmationPush: Fixtures.every(15, "Europe/Paris"),
        ]], at: at("2026-03-28T12:07:00Z"))
        let stored = try Fixtures.jobSchedules(store, ofChannel: "shop")
        // Listed by job name.
        #expect(stored.map(\.job) == [.confirmationPush, .orderRetrieval, .productExport])
        #expect(stored.allSatisfy { $0.channel == "shop" && $0.timeZone == "Europe/Paris" })
        #expect(stored.map(\.schedule) == [.every(minutes: 15), .every(minutes: 5), .daily(hour: 2, minute: 30)])
        // 02:30 does not exist in Paris on 2026-03-29: the first export is at 03:00 local.
        #expect(stored.map(\.nextDue) == [at("2026-03-28T12:15:00Z"), at("2026-03-28T12:10:00Z"),
                                          at("2026-03-29T03:00:00+02:00")])
        #expect(try Fixtures.jobSchedules(store, ofChannel: "other").isEmpty)
    }

    @Test(arguments: StateBackend.allCases)
    func anApplyOnASlotDoesNotFireThatSlot(_ backend: StateBackend) throws {
        let workspace = try Workspace(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("shop")], schedules: ["shop": [.orderExport: Fixtures.every(15)]],
                           at: at("2026-03-28T12:15:00Z"))
        #expect(try Self.schedules(store)[.orderExport]?.nextDue == at("2026-03-28T12:30:00Z"))
        #expect(try store.enqueueDueRuns(now: at("2026-03-28T12:15:00Z"), planner: Fixtures.planner, retry: .standard).isEmpty)
    }

    @Test(arguments: StateBackend.allCases)
    func anUnchangedScheduleKeepsItsNextDue(_ backend: StateBackend) throws {
        let workspace = try Workspace(backend)
        let store = workspace.store
        let wanted: [String: [JobKind: JobScheduleEntry]] = ["shop": [.orderExport: Fixtures.every(15)]]
        try Fixtures.apply(store, [Fixtures.channel("shop")], schedules: wanted, at: Fixtures.t0)
        _ = try store.enqueueDueRuns(now: at("2026-03-28T12:15:00Z"), planner: Fixtures.planner, retry: .standard)
        #expect(try Self.lastSlot(store, "shop", .orderExport) == at("2026-03-28T12:15:00Z"))

        // Another field of the channel changes an hour later; the schedule does not.
        try Fixtures.apply(store, [Fixtures.channel("shop", timezone: "UTC")], schedules: wanted,
                           at: at("2026-03-28T13:10:00Z"))
        #expect(try Self.schedules(store)[.orderExport]?.nextDue == at("2026-03-28T12:30:00Z"))
        #expect(try Self.lastSlot(store, "shop", .orderExport) == at("2026-03-28T12:15:00Z"))
    }

    @Test(arguments: StateBackend.allCases)
    func aChangedScheduleIsFirstDueAfterTheApply(_ backend: StateBackend) throws {
        let workspace = try Workspace(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("shop")], schedules: ["shop": [.orderExport: Fixtures.every(15)]],
                           at: Fixtures.t0)
        _ = try store.enqueueDueRuns(now: at("2026-03-28T12:15:00Z"), planner: Fixtures.planner, retry: .standard)
        try Fixtures.apply(store, [Fixtures.channel("shop")], schedules: ["shop": [.orderExport: Fixtures.daily(18, 0)]],
                           at: at("2026-03-28T13:10:00Z"))
        let stored = try #require(try Self.schedules(store)[.orderExport])
        #expect(stored.schedule == .daily(hour: 18, minute: 0))
        #expect(stored.nextDue == at("2026-03-28T18:00:00Z"))
        #expect(try Self.lastSlot(store, "shop", .orderExport) == nil)
    }

    @Test(arguments: StateBackend.allCases)
    func slotsBeforeARescheduleNeverFire(_ backend: StateBackend) throws {
        let workspace = try Workspace(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("shop")], schedules: ["shop": [.orderExport: Fixtures.every(15)]],
                           at: Fixtures.t0)
        // No tick for hours, then the schedule changes: the old slots are gone with it.
        try Fixtures.apply(store, [Fixtures.channel("shop")], schedules: ["shop": [.orderExport: Fixtures.every(30)]],
                           at: at("2026-03-28T17:05:00Z"))
        #expect(try store.enqueueDueRuns(now: at("2026-03-28T17:06:00Z"), planner: Fixtures.planner, retry: .standard).isEmpty)
        let ids = try store.enqueueDueRuns(now: at("2026-03-28T17:30:00Z"), planner: Fixtures.planner, retry: .standard)
        #expect(try ids.map { try store.run(id: $0)?.0.slot } == [at("2026-03-28T17:30:00Z")])
    }

    @Test(arguments: StateBackend.allCases)
    func aChangedTimeZoneReschedules(_ backend: StateBackend) throws {
        let workspace = try Workspace(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("shop")], schedules: ["shop": [.productExport: Fixtures.daily(2, 30)]],
                           at: Fixtures.t0)
        #expect(try Self.schedules(store)[.productExport]?.nextDue == at("2026-03-29T02:30:00Z"))
        try Fixtures.apply(store, [Fixtures.channel("shop", timezone: "America/New_York")],
                           schedules: ["shop": [.productExport: Fixtures.daily(2, 30, "America/New_York")]],
                           at: Fixtures.t0 + 60)
        let stored = try #require(try Self.schedules(store)[.productExport])
        #expect(stored.timeZone == "America/New_York")
        #expect(stored.nextDue == at("2026-03-29T02:30:00-04:00"))
    }

    @Test(arguments: StateBackend.allCases)
    func removedJobsAreUnscheduled(_ backend: StateBackend) throws {
        let workspace = try Workspace(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("shop")], schedules: ["shop": [
            .orderExport: Fixtures.every(15), .orderRetrieval: Fixtures.every(5), .productExport: Fixtures.daily(2, 30),
        ]], at: Fixtures.t0)
        try Fixtures.apply(store, [Fixtures.channel("shop")], schedules: ["shop": [.orderRetrieval: Fixtures.every(5)]],
                           at: Fixtures.t0 + 60)
        #expect(try Fixtures.jobSchedules(store, ofChannel: "shop").map(\.job) == [.orderRetrieval])
        // Nothing removed fires any more.
        let ids = try store.enqueueDueRuns(now: at("2026-03-29T12:00:00Z"), planner: Fixtures.planner, retry: .standard)
        #expect(try ids.map { try store.run(id: $0)?.0.job } == [.orderRetrieval])

        try Fixtures.apply(store, [Fixtures.channel("shop")], schedules: ["shop": [:]], at: Fixtures.t0 + 120)
        #expect(try Fixtures.jobSchedules(store, ofChannel: "shop").isEmpty)
    }

    @Test(arguments: StateBackend.allCases)
    func channelsNotInTheApplyKeepTheirSchedules(_ backend: StateBackend) throws {
        let workspace = try Workspace(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("shop"), Fixtures.channel("other")],
                           schedules: ["shop": [.orderExport: Fixtures.every(15)], "other": [.orderExport: Fixtures.every(15)]],
                           at: Fixtures.t0)
        try Fixtures.apply(store, [Fixtures.channel("other")], schedules: ["other": [:]], at: Fixtures.t0 + 60)
        #expect(try Self.schedules(store, "shop")[.orderExport]?.nextDue == at("2026-03-28T12:15:00Z"))
        #expect(try Fixtures.jobSchedules(store, ofChannel: "other").isEmpty)
    }

    @Test(arguments: StateBackend.allCases)
    func aStaleApplyWritesNoSchedule(_ backend: StateBackend) throws {
        let workspace = try Workspace(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("shop")], schedules: ["shop": [.orderExport: Fixtures.every(15)]],
                           at: Fixtures.t0)
        let stale = ApplyBatch(expectedSerial: 0, upserts: [Fixtures.channel("shop")], deletions: [], fingerprints: [:],
                               jobSchedules: ["shop": [.productExport: Fixtures.daily(2, 30)]],
                               changes: [HistoryChange(address: "channel.shop", action: "update", field: nil, before: nil,
                                                       after: nil)],
                               cache: [], user: "t", gitCommit: nil, configDigest: "d", at: Fixtures.t0 + 60)
        #expect(throws: StoreError.staleSerial(expected: 0, actual: 1)) { try store.commit(stale) }
        #expect(try Fixtures.jobSchedules(store, ofChannel: "shop").map(\.job) == [.orderExport])
    }

    static let forms: [Schedule] = [
        .every(minutes: 15), .every(minutes: 120), .daily(hour: 2, minute: 30),
        .weekly(hour: 9, minute: 5, days: [.mon, .thu]), .cron(try! CronExpression.parse("5 */6 * * 1-5")),
    ]

    @Test(arguments: StateBackend.allCases, forms)
    func everyScheduleFormIsStoredAsWritten(_ backend: StateBackend, _ schedule: Schedule) throws {
        let workspace = try Workspace(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("shop")],
                           schedules: ["shop": [.orderExport: JobScheduleEntry(schedule: schedule, timeZone: "Europe/Paris")]],
                           at: Fixtures.t0)
        let stored = try #require(try Fixtures.jobSchedules(store, ofChannel: "shop").first)
        #expect(stored.schedule == schedule)
        #expect(stored.nextDue == DueJobPlanner().firstDue(schedule, timeZone: "Europe/Paris", now: Fixtures.t0))
        // Applied again unchanged, it is recognised as the same schedule.
        _ = try store.enqueueDueRuns(now: stored.nextDue, planner: Fixtures.planner, retry: .standard)
        let advanced = try #require(try Fixtures.jobSchedules(store, ofChannel: "shop").first).nextDue
        #expect(advanced > stored.nextDue)
        try Fixtures.apply(store, [Fixtures.channel("shop")],
                           schedules: ["shop": [.orderExport: JobScheduleEntry(schedule: schedule, timeZone: "Europe/Paris")]],
                           at: stored.nextDue + 1)
        #expect(try Fixtures.jobSchedules(store, ofChannel: "shop").first?.nextDue == advanced)
    }

    @Test(arguments: StateBackend.allCases)
    func theSchedulesOfADeletedChannelGoWithIt(_ backend: StateBackend) throws {
        let workspace = try Workspace(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("shop")], schedules: ["shop": [.orderExport: Fixtures.every(15)]],
                           at: Fixtures.t0)
        try Fixtures.apply(store, [], deleting: ["shop"], at: Fixtures.t0 + 60)
        #expect(try Fixtures.jobSchedules(store, ofChannel: "shop").isEmpty)
        #expect(try store.enqueueDueRuns(now: at("2026-03-29T12:00:00Z"), planner: Fixtures.planner, retry: .standard).isEmpty)
    }
}
