import Foundation
import Testing
@testable import SyndicCore

/// An instant from an ISO-8601 string with its offset, such as "2026-03-29T03:00:00+02:00".
private func at(_ text: String) -> Date {
    try! Date(text, strategy: .iso8601)
}

private func cron(_ source: String) -> Schedule {
    .cron(try! CronExpression.parse(source))
}

struct DueJobPlannerTests {
    let planner = DueJobPlanner()

    static func job(_ schedule: Schedule, zone: String = "UTC", nextDue: String) -> ScheduledJob {
        ScheduledJob(channel: "mirakl_fr", job: .productExport, schedule: schedule, timeZone: zone, nextDue: at(nextDue))
    }

    // MARK: - One tick

    /// What one tick decides, written as strings: "enqueue SLOT NEXT", "skip SLOT NEXT", "wait" or "none".
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var schedule: Schedule
        var zone: String
        var nextDue: String
        var now: String
        var gateOpen: Bool
        var busy: Bool
        var expected: TickDecision?

        init(_ name: String, _ schedule: Schedule, zone: String = "UTC", nextDue: String, now: String,
             gateOpen: Bool = true, busy: Bool = false, _ expected: TickDecision?) {
            self.name = name
            self.schedule = schedule
            self.zone = zone
            self.nextDue = nextDue
            self.now = now
            self.gateOpen = gateOpen
            self.busy = busy
            self.expected = expected
        }

        var testDescription: String { name }
    }

    static func enqueue(_ slot: String, _ next: String) -> TickDecision { .enqueue(slot: at(slot), nextDue: at(next)) }
    static func skip(_ slot: String, _ next: String) -> TickDecision { .skip(slot: at(slot), nextDue: at(next)) }

    static let tickCases: [Case] = [
        Case("not due one second before its time", .every(minutes: 15), nextDue: "2026-03-28T12:15:00Z",
             now: "2026-03-28T12:14:59Z", nil),
        Case("not due is nil even when the gate is closed", .every(minutes: 15), nextDue: "2026-03-28T12:15:00Z",
             now: "2026-03-28T12:14:59Z", gateOpen: false, nil),
        Case("not due is nil even when busy", .every(minutes: 15), nextDue: "2026-03-28T12:15:00Z",
             now: "2026-03-28T12:00:00Z", busy: true, nil),
        Case("due exactly at its time", .every(minutes: 15), nextDue: "2026-03-28T12:15:00Z",
             now: "2026-03-28T12:15:00Z", enqueue("2026-03-28T12:15:00Z", "2026-03-28T12:30:00Z")),
        Case("a late tick keeps the slot it is for", .every(minutes: 15), nextDue: "2026-03-28T12:15:00Z",
             now: "2026-03-28T12:29:59Z", enqueue("2026-03-28T12:15:00Z", "2026-03-28T12:30:00Z")),
        Case("missed slots collapse into the latest", .every(minutes: 15), nextDue: "2026-03-28T12:15:00Z",
             now: "2026-03-28T15:07:00Z", enqueue("2026-03-28T15:00:00Z", "2026-03-28T15:15:00Z")),
        Case("a daily job down for two days runs once, for today", .daily(hour: 2, minute: 30),
             nextDue: "2026-03-26T02:30:00Z", now: "2026-03-28T12:00:00Z",
             enqueue("2026-03-28T02:30:00Z", "2026-03-29T02:30:00Z")),
        Case("a closed gate skips the slot", .every(minutes: 15), nextDue: "2026-03-28T12:15:00Z",
             now: "2026-03-28T12:15:00Z", gateOpen: false, skip("2026-03-28T12:15:00Z", "2026-03-28T12:30:00Z")),
        Case("a closed gate skips every missed slot at once", .every(minutes: 15), nextDue: "2026-03-28T12:15:00Z",
             now: "2026-03-28T15:07:00Z", gateOpen: false, skip("2026-03-28T15:00:00Z", "2026-03-28T15:15:00Z")),
        Case("a closed gate wins over busy", .every(minutes: 15), nextDue: "2026-03-28T12:15:00Z",
             now: "2026-03-28T12:15:00Z", gateOpen: false, busy: true,
             skip("2026-03-28T12:15:00Z", "2026-03-28T12:30:00Z")),
        Case("busy waits and keeps the slot", .every(minutes: 15), nextDue: "2026-03-28T12:15:00Z",
             now: "2026-03-28T13:00:00Z", busy: true, .wait),
        Case("weekly after a long weekend", .weekly(hour: 9, minute: 0, days: [.mon, .thu]), zone: "Europe/Paris",
             nextDue: "2026-03-26T09:00:00+01:00", now: "2026-03-30T10:00:00+02:00",
             enqueue("2026-03-30T09:00:00+02:00", "2026-04-02T09:00:00+02:00")),
        Case("cron every six hours", cron("0 */6 * * *"), nextDue: "2026-03-28T06:00:00Z",
             now: "2026-03-28T20:00:00Z", enqueue("2026-03-28T18:00:00Z", "2026-03-29T00:00:00Z")),
        // Daylight saving: Paris springs forward on 2026-03-29, 02:00 -> 03:00.
        Case("02:30 on the spring-forward night fires at 03:00", .daily(hour: 2, minute: 30), zone: "Europe/Paris",
             nextDue: "2026-03-29T03:00:00+02:00", now: "2026-03-29T03:00:00+02:00",
             enqueue("2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00")),
        Case("a missed 02:30 across the DST night runs once, at the shifted slot", .daily(hour: 2, minute: 30),
             zone: "Europe/Paris", nextDue: "2026-03-28T02:30:00+01:00", now: "2026-03-29T12:00:00+02:00",
             enqueue("2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00")),
        Case("every 15m jumps over the skipped hour", .every(minutes: 15), zone: "Europe/Paris",
             nextDue: "2026-03-29T01:45:00+01:00", now: "2026-03-29T01:50:00+01:00",
             enqueue("2026-03-29T01:45:00+01:00", "2026-03-29T03:00:00+02:00")),
        Case("every 15m missed across the skipped hour runs once", .every(minutes: 15), zone: "Europe/Paris",
             nextDue: "2026-03-29T01:15:00+01:00", now: "2026-03-29T03:20:00+02:00",
             enqueue("2026-03-29T03:15:00+02:00", "2026-03-29T03:30:00+02:00")),
        Case("a slot before nextDue never fires", .every(minutes: 15), nextDue: "2026-03-28T12:07:00Z",
             now: "2026-03-28T12:10:00Z", enqueue("2026-03-28T12:07:00Z", "2026-03-28T12:15:00Z")),
        Case("an unknown time zone reads as UTC", .daily(hour: 2, minute: 30), zone: "Mars/Olympus",
             nextDue: "2026-03-28T02:30:00Z", now: "2026-03-29T12:00:00Z",
             enqueue("2026-03-29T02:30:00Z", "2026-03-30T02:30:00Z")),
    ]

    @Test(arguments: tickCases)
    func tick(_ test: Case) {
        let decision = planner.decide(Self.job(test.schedule, zone: test.zone, nextDue: test.nextDue),
                                      gateOpen: test.gateOpen, busy: test.busy, now: at(test.now))
        #expect(decision == test.expected)
    }

    @Test func aScheduleThatNeverFiresAgainIsParkedInTheDistantFuture() {
        // Outside the grammar: never fires (see ScheduleCalculator), so its one due slot is its nextDue.
        let job = Self.job(.every(minutes: 7), nextDue: "2026-03-28T12:00:00Z")
        #expect(planner.decide(job, gateOpen: true, busy: false, now: at("2026-03-28T13:00:00Z"))
                == .enqueue(slot: at("2026-03-28T12:00:00Z"), nextDue: .distantFuture))
    }

    @Test func theJobItselfDoesNotMatterOnlyItsSchedule() {
        var export = Self.job(.every(minutes: 15), nextDue: "2026-03-28T12:15:00Z")
        var retrieval = export
        retrieval.job = .orderRetrieval
        retrieval.channel = "other"
        export.job = .productExport
        let now = at("2026-03-28T12:20:00Z")
        #expect(planner.decide(export, gateOpen: true, busy: false, now: now)
                == planner.decide(retrieval, gateOpen: true, busy: false, now: now))
    }

    // MARK: - Ticks over time

    /// Applies the planner's decisions tick after tick, the way the store does, and returns
    /// the slots it queued. `gate` and `busy` say, per tick time, whether the channel is
    /// open and whether a run of the job is queued or running.
    func simulate(_ schedule: Schedule, zone: String = "UTC", nextDue: String, ticks: [Date],
                  gate: (Date) -> Bool = { _ in true }, busy: (Date) -> Bool = { _ in false }) -> [Date] {
        var job = Self.job(schedule, zone: zone, nextDue: nextDue)
        var queued: [Date] = []
        for now in ticks {
            switch planner.decide(job, gateOpen: gate(now), busy: busy(now), now: now) {
            case .enqueue(let slot, let next)?:
                queued.append(slot)
                job.nextDue = next
            case .skip(_, let next)?:
                job.nextDue = next
            case .wait?, nil:
                continue
            }
        }
        return queued
    }

    /// Tick times every `step` seconds from `start` through `end`.
    func ticks(from start: String, through end: String, every step: TimeInterval) -> [Date] {
        Array(stride(from: at(start).timeIntervalSince1970, through: at(end).timeIntervalSince1970, by: step))
            .map { Date(timeIntervalSince1970: $0) }
    }

    @Test func aWorkerTickingEveryFewSecondsQueuesEachSlotOnce() {
        let queued = simulate(.every(minutes: 15), nextDue: "2026-03-28T12:15:00Z",
                              ticks: ticks(from: "2026-03-28T12:00:00Z", through: "2026-03-28T13:00:00Z", every: 5))
        #expect(queued == ["12:15", "12:30", "12:45", "13:00"].map { at("2026-03-28T\($0):00Z") })
    }

    @Test func aWorkerThatWasDownRunsTheMissedJobOnceThenKeepsTheSchedule() {
        // Down from 12:00 to 18:03, then ticking every 10 s.
        let queued = simulate(.every(minutes: 15), nextDue: "2026-03-28T12:15:00Z",
                              ticks: ticks(from: "2026-03-28T18:03:00Z", through: "2026-03-28T18:45:00Z", every: 10))
        #expect(queued == ["18:00", "18:15", "18:30", "18:45"].map { at("2026-03-28T\($0):00Z") })
    }

    @Test func slotsMissedWhileTheGateIsClosedAreNotReplayed() {
        // Inactive (or suspended) from 12:10 to 13:10.
        let closed = at("2026-03-28T12:10:00Z")..<at("2026-03-28T13:10:00Z")
        let queued = simulate(.every(minutes: 15), nextDue: "2026-03-28T12:00:00Z",
                              ticks: ticks(from: "2026-03-28T12:00:00Z", through: "2026-03-28T13:30:00Z", every: 60),
                              gate: { !closed.contains($0) })
        #expect(queued == ["12:00", "13:15", "13:30"].map { at("2026-03-28T\($0):00Z") })
    }

    @Test func anInactiveChannelFiresNothingAtAll() {
        let queued = simulate(.every(minutes: 5), nextDue: "2026-03-28T12:00:00Z",
                              ticks: ticks(from: "2026-03-28T12:00:00Z", through: "2026-03-29T12:00:00Z", every: 60),
                              gate: { _ in false })
        #expect(queued.isEmpty)
    }

    @Test func aLongRunQueuesTheNextRunOnceForTheLatestSlot() {
        // A run of the job is queued or running from 12:15 to 13:05.
        let running = at("2026-03-28T12:15:00Z")..<at("2026-03-28T13:05:00Z")
        let queued = simulate(.every(minutes: 15), nextDue: "2026-03-28T12:15:00Z",
                              ticks: ticks(from: "2026-03-28T12:00:00Z", through: "2026-03-28T13:20:00Z", every: 60),
                              busy: { running.contains($0) && $0 > at("2026-03-28T12:15:00Z") })
        #expect(queued == ["12:15", "13:00", "13:15"].map { at("2026-03-28T\($0):00Z") })
    }

    @Test func aDailyJobAcrossTheSpringForwardNightFiresOncePerDay() {
        let queued = simulate(.daily(hour: 2, minute: 30), zone: "Europe/Paris", nextDue: "2026-03-28T02:30:00+01:00",
                              ticks: ticks(from: "2026-03-28T00:00:00Z", through: "2026-03-31T00:00:00Z", every: 300))
        #expect(queued == [at("2026-03-28T02:30:00+01:00"), at("2026-03-29T03:00:00+02:00"),
                           at("2026-03-30T02:30:00+02:00")])
    }

    // MARK: - First due

    struct FirstDue: Sendable, CustomTestStringConvertible {
        var name: String
        var schedule: Schedule
        var zone: String
        var now: String
        var expected: String

        var testDescription: String { name }
    }

    static let firstDues: [FirstDue] = [
        FirstDue(name: "the next slot after the apply", schedule: .every(minutes: 15), zone: "UTC",
                 now: "2026-03-28T12:07:00Z", expected: "2026-03-28T12:15:00Z"),
        FirstDue(name: "an apply on a slot does not fire that slot", schedule: .every(minutes: 15), zone: "UTC",
                 now: "2026-03-28T12:15:00Z", expected: "2026-03-28T12:30:00Z"),
        FirstDue(name: "daily later today", schedule: .daily(hour: 18, minute: 0), zone: "Europe/Paris",
                 now: "2026-03-28T12:00:00Z", expected: "2026-03-28T18:00:00+01:00"),
        FirstDue(name: "daily 02:30 on the spring-forward night", schedule: .daily(hour: 2, minute: 30),
                 zone: "Europe/Paris", now: "2026-03-28T12:00:00Z", expected: "2026-03-29T03:00:00+02:00"),
        FirstDue(name: "weekly on the next listed day", schedule: .weekly(hour: 9, minute: 0, days: [.mon, .thu]),
                 zone: "Europe/Paris", now: "2026-03-28T12:00:00Z", expected: "2026-03-30T09:00:00+02:00"),
        FirstDue(name: "the zone decides the day", schedule: .daily(hour: 0, minute: 30), zone: "Asia/Tokyo",
                 now: "2026-03-28T15:00:00Z", expected: "2026-03-29T00:30:00+09:00"),
        FirstDue(name: "an unknown zone reads as UTC", schedule: .daily(hour: 2, minute: 30), zone: "Nowhere/City",
                 now: "2026-03-28T12:00:00Z", expected: "2026-03-29T02:30:00Z"),
    ]

    @Test(arguments: firstDues)
    func firstDue(_ test: FirstDue) {
        #expect(planner.firstDue(test.schedule, timeZone: test.zone, now: at(test.now)) == at(test.expected))
    }

    @Test func aScheduleThatNeverFiresIsFirstDueInTheDistantFuture() {
        #expect(planner.firstDue(.daily(hour: 25, minute: 0), timeZone: "UTC", now: at("2026-03-28T12:00:00Z"))
                == .distantFuture)
    }
}
