import Foundation
import Testing
@testable import SyndicCore

/// An instant from an ISO-8601 string with its offset, such as "2026-03-29T03:00:00+02:00".
private func at(_ text: String) -> Date {
    try! Date(text, strategy: .iso8601)
}

private func calculator(_ zone: String) -> ScheduleCalculator {
    ScheduleCalculator(timeZone: TimeZone(identifier: zone)!)
}

private func cron(_ source: String) -> Schedule {
    .cron(try! CronExpression.parse(source))
}

struct ScheduleCalculatorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var zone: String
        var schedule: Schedule
        var after: String
        var expected: [String]

        init(_ name: String, _ zone: String, _ schedule: Schedule, after: String, _ expected: [String]) {
            self.name = name
            self.zone = zone
            self.schedule = schedule
            self.after = after
            self.expected = expected
        }

        var testDescription: String { name }
    }

    static let intervals = [
        Case("every 15m aligns to the quarter hour", "UTC", .every(minutes: 15), after: "2026-01-01T10:07:00Z",
             ["2026-01-01T10:15:00Z", "2026-01-01T10:30:00Z", "2026-01-01T10:45:00Z", "2026-01-01T11:00:00Z"]),
        Case("every 15m is strictly after", "UTC", .every(minutes: 15), after: "2026-01-01T10:15:00Z",
             ["2026-01-01T10:30:00Z"]),
        Case("every 15m in a zone with a 45-minute offset", "Asia/Kathmandu", .every(minutes: 15),
             after: "2026-01-01T10:07:00+05:45", ["2026-01-01T10:15:00+05:45", "2026-01-01T10:30:00+05:45"]),
        Case("every 1m", "Europe/Paris", .every(minutes: 1), after: "2026-01-01T10:07:30+01:00",
             ["2026-01-01T10:08:00+01:00", "2026-01-01T10:09:00+01:00"]),
        Case("every 2h fires at even hours", "Europe/Paris", .every(minutes: 120), after: "2026-01-10T03:00:00+01:00",
             ["2026-01-10T04:00:00+01:00", "2026-01-10T06:00:00+01:00", "2026-01-10T08:00:00+01:00"]),
        Case("every 2h crosses midnight", "Europe/Paris", .every(minutes: 120), after: "2026-01-10T22:00:00+01:00",
             ["2026-01-11T00:00:00+01:00", "2026-01-11T02:00:00+01:00"]),
        Case("every 24h fires at midnight", "America/New_York", .every(minutes: 1440),
             after: "2026-01-10T00:00:00-05:00", ["2026-01-11T00:00:00-05:00", "2026-01-12T00:00:00-05:00"]),
    ]

    static let fixedTimes = [
        Case("daily", "Europe/Paris", .daily(hour: 9, minute: 0), after: "2026-01-10T09:00:00+01:00",
             ["2026-01-11T09:00:00+01:00", "2026-01-12T09:00:00+01:00"]),
        Case("daily later the same day", "Europe/Paris", .daily(hour: 9, minute: 0), after: "2026-01-10T08:59:59+01:00",
             ["2026-01-10T09:00:00+01:00"]),
        Case("daily across a year end", "UTC", .daily(hour: 23, minute: 59), after: "2026-12-31T23:59:00Z",
             ["2027-01-01T23:59:00Z"]),
        Case("weekly on mon and thu", "Europe/Paris", .weekly(hour: 2, minute: 30, days: [.mon, .thu]),
             after: "2026-01-05T03:00:00+01:00",
             ["2026-01-08T02:30:00+01:00", "2026-01-12T02:30:00+01:00", "2026-01-15T02:30:00+01:00"]),
        Case("weekly on sun", "UTC", .weekly(hour: 0, minute: 0, days: [.sun]), after: "2026-01-01T00:00:00Z",
             ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"]),
    ]

    static let daylightSaving = [
        // Europe/Paris springs forward 2026-03-29 02:00 +01:00 -> 03:00 +02:00.
        Case("Paris spring: daily 02:30 fires at 03:00", "Europe/Paris", .daily(hour: 2, minute: 30),
             after: "2026-03-28T12:00:00+01:00", ["2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"]),
        Case("Paris spring: daily 01:30 unaffected", "Europe/Paris", .daily(hour: 1, minute: 30),
             after: "2026-03-28T12:00:00+01:00", ["2026-03-29T01:30:00+01:00", "2026-03-30T01:30:00+02:00"]),
        Case("Paris spring: every 15m skips the gap", "Europe/Paris", .every(minutes: 15),
             after: "2026-03-29T01:40:00+01:00",
             ["2026-03-29T01:45:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T03:15:00+02:00"]),
        Case("Paris spring: every 2h fires at 03:00", "Europe/Paris", .every(minutes: 120),
             after: "2026-03-28T23:00:00+01:00",
             ["2026-03-29T00:00:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T04:00:00+02:00"]),
        // Europe/Paris falls back 2026-10-25 03:00 +02:00 -> 02:00 +01:00.
        Case("Paris fall: daily 02:30 fires at its first occurrence", "Europe/Paris", .daily(hour: 2, minute: 30),
             after: "2026-10-24T12:00:00+02:00", ["2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"]),
        Case("Paris fall: daily 02:30 after its first occurrence", "Europe/Paris", .daily(hour: 2, minute: 30),
             after: "2026-10-25T02:40:00+02:00", ["2026-10-26T02:30:00+01:00"]),
        Case("Paris fall: daily 02:30 from inside the repeated hour", "Europe/Paris", .daily(hour: 2, minute: 30),
             after: "2026-10-25T02:10:00+01:00", ["2026-10-26T02:30:00+01:00"]),
        Case("Paris fall: daily 01:30 unaffected", "Europe/Paris", .daily(hour: 1, minute: 30),
             after: "2026-10-24T12:00:00+02:00", ["2026-10-25T01:30:00+02:00", "2026-10-26T01:30:00+01:00"]),
        Case("Paris fall: every 15m repeats the hour", "Europe/Paris", .every(minutes: 15),
             after: "2026-10-25T01:50:00+02:00",
             ["2026-10-25T02:00:00+02:00", "2026-10-25T02:15:00+02:00", "2026-10-25T02:30:00+02:00",
              "2026-10-25T02:45:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T02:15:00+01:00",
              "2026-10-25T02:30:00+01:00", "2026-10-25T02:45:00+01:00", "2026-10-25T03:00:00+01:00"]),
        Case("Paris fall: every 2h fires 02:00 once", "Europe/Paris", .every(minutes: 120),
             after: "2026-10-24T23:00:00+02:00",
             ["2026-10-25T00:00:00+02:00", "2026-10-25T02:00:00+02:00", "2026-10-25T04:00:00+01:00"]),
        // America/New_York springs forward 2026-03-08 02:00 -05:00 -> 03:00 -04:00.
        Case("New York spring: daily 02:30 fires at 03:00", "America/New_York", .daily(hour: 2, minute: 30),
             after: "2026-03-07T12:00:00-05:00", ["2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"]),
        Case("New York spring: daily 01:30 unaffected", "America/New_York", .daily(hour: 1, minute: 30),
             after: "2026-03-07T12:00:00-05:00", ["2026-03-08T01:30:00-05:00", "2026-03-09T01:30:00-04:00"]),
        Case("New York spring: every 15m skips the gap", "America/New_York", .every(minutes: 15),
             after: "2026-03-08T01:40:00-05:00", ["2026-03-08T01:45:00-05:00", "2026-03-08T03:00:00-04:00"]),
        // America/New_York falls back 2026-11-01 02:00 -04:00 -> 01:00 -05:00.
        Case("New York fall: daily 01:30 fires at its first occurrence", "America/New_York",
             .daily(hour: 1, minute: 30), after: "2026-10-31T12:00:00-04:00",
             ["2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"]),
        Case("New York fall: daily 02:30 unaffected", "America/New_York", .daily(hour: 2, minute: 30),
             after: "2026-10-31T12:00:00-04:00", ["2026-11-01T02:30:00-05:00", "2026-11-02T02:30:00-05:00"]),
        Case("New York fall: every 15m repeats the hour", "America/New_York", .every(minutes: 15),
             after: "2026-11-01T00:50:00-04:00",
             ["2026-11-01T01:00:00-04:00", "2026-11-01T01:15:00-04:00", "2026-11-01T01:30:00-04:00",
              "2026-11-01T01:45:00-04:00", "2026-11-01T01:00:00-05:00", "2026-11-01T01:15:00-05:00",
              "2026-11-01T01:30:00-05:00", "2026-11-01T01:45:00-05:00", "2026-11-01T02:00:00-05:00"]),
        // Cron: a restricted hour follows the fixed-time rules, an hour of * is real-time.
        Case("cron 30 2 in the Paris spring gap", "Europe/Paris", cron("30 2 * * *"),
             after: "2026-03-28T12:00:00+01:00", ["2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"]),
        Case("cron */15 2 collapses the gap into one fire", "Europe/Paris", cron("*/15 2 * * *"),
             after: "2026-03-29T00:00:00+01:00", ["2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00"]),
        Case("cron 30 2 in the Paris fall repeat", "Europe/Paris", cron("30 2 * * *"),
             after: "2026-10-24T12:00:00+02:00", ["2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"]),
        Case("cron 30 * in the Paris spring gap", "Europe/Paris", cron("30 * * * *"),
             after: "2026-03-29T01:45:00+01:00", ["2026-03-29T03:30:00+02:00"]),
        Case("cron 30 * in the Paris fall repeat", "Europe/Paris", cron("30 * * * *"),
             after: "2026-10-25T01:45:00+02:00",
             ["2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00", "2026-10-25T03:30:00+01:00"]),
        Case("cron 30 */1 is real-time too", "Europe/Paris", cron("30 */1 * * *"),
             after: "2026-10-25T01:45:00+02:00", ["2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00"]),
    ]

    static let cronForms = [
        Case("cron list", "UTC", cron("0,30 9 * * *"), after: "2026-01-01T09:10:00Z",
             ["2026-01-01T09:30:00Z", "2026-01-02T09:00:00Z"]),
        Case("cron range", "UTC", cron("0 9-11 * * *"), after: "2026-01-01T10:00:00Z",
             ["2026-01-01T11:00:00Z", "2026-01-02T09:00:00Z"]),
        Case("cron step", "UTC", cron("*/20 * * * *"), after: "2026-01-01T10:45:00Z",
             ["2026-01-01T11:00:00Z", "2026-01-01T11:20:00Z"]),
        Case("cron range with step", "UTC", cron("0 8-18/5 * * *"), after: "2026-01-01T00:00:00Z",
             ["2026-01-01T08:00:00Z", "2026-01-01T13:00:00Z", "2026-01-01T18:00:00Z", "2026-01-02T08:00:00Z"]),
        Case("cron start with step", "UTC", cron("50/5 10 * * *"), after: "2026-01-01T00:00:00Z",
             ["2026-01-01T10:50:00Z", "2026-01-01T10:55:00Z", "2026-01-02T10:50:00Z"]),
        Case("cron month and weekday names", "UTC", cron("0 9 * FEB,apr Mon-Tue"), after: "2026-01-01T00:00:00Z",
             ["2026-02-02T09:00:00Z", "2026-02-03T09:00:00Z", "2026-02-09T09:00:00Z"]),
        Case("cron 7 is Sunday", "UTC", cron("0 9 * * 7"), after: "2026-01-01T00:00:00Z",
             ["2026-01-04T09:00:00Z", "2026-01-11T09:00:00Z"]),
        Case("cron day-of-month or day-of-week", "UTC", cron("0 9 10 * fri"), after: "2026-03-01T00:00:00Z",
             ["2026-03-06T09:00:00Z", "2026-03-10T09:00:00Z", "2026-03-13T09:00:00Z", "2026-03-20T09:00:00Z"]),
        Case("cron */n day-of-month and day-of-week", "UTC", cron("0 9 */10 * fri"), after: "2026-01-01T00:00:00Z",
             ["2026-05-01T09:00:00Z"]),
        Case("cron every third month", "UTC", cron("0 0 1 */3 *"), after: "2026-01-01T00:00:00Z",
             ["2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z", "2026-10-01T00:00:00Z", "2027-01-01T00:00:00Z"]),
        Case("cron leap day", "UTC", cron("0 12 29 2 *"), after: "2026-01-01T00:00:00Z",
             ["2028-02-29T12:00:00Z", "2032-02-29T12:00:00Z"]),
        Case("cron 31st skips short months", "Europe/Paris", cron("0 0 31 * *"), after: "2026-01-31T00:00:00+01:00",
             ["2026-03-31T00:00:00+02:00", "2026-05-31T00:00:00+02:00"]),
        Case("cron impossible date never fires", "UTC", cron("0 0 30 2 *"), after: "2026-01-01T00:00:00Z", []),
        Case("out-of-grammar schedule never fires", "UTC", .every(minutes: 7), after: "2026-01-01T00:00:00Z", []),
    ]

    @Test(arguments: intervals + fixedTimes + daylightSaving + cronForms)
    func nextFireTimes(_ test: Case) {
        let calculator = calculator(test.zone)
        let times = calculator.nextFireTimes(test.schedule, after: at(test.after), count: test.expected.count + 1)
        #expect(Array(times.prefix(test.expected.count)) == test.expected.map(at))
        if test.expected.isEmpty {
            #expect(calculator.next(test.schedule, after: at(test.after)) == nil)
        }
    }

    @Test(arguments: intervals + fixedTimes + daylightSaving + cronForms)
    func previousInvertsNext(_ test: Case) {
        let calculator = calculator(test.zone)
        let times = calculator.nextFireTimes(test.schedule, after: at(test.after), count: 12)
        for (index, time) in times.enumerated() {
            #expect(calculator.previous(test.schedule, atOrBefore: time) == time)
            #expect(calculator.previous(test.schedule, atOrBefore: time.addingTimeInterval(59)) == time)
            if index > 0 {
                #expect(calculator.previous(test.schedule, atOrBefore: time.addingTimeInterval(-1)) == times[index - 1])
            }
        }
    }

    // MARK: - previous

    static let previousCases: [(String, Schedule, String, String?)] = [
        ("Europe/Paris", .daily(hour: 2, minute: 30), "2026-01-10T10:00:00+01:00", "2026-01-10T02:30:00+01:00"),
        ("Europe/Paris", .daily(hour: 2, minute: 30), "2026-01-10T02:30:00+01:00", "2026-01-10T02:30:00+01:00"),
        ("Europe/Paris", .daily(hour: 2, minute: 30), "2026-01-10T02:29:59+01:00", "2026-01-09T02:30:00+01:00"),
        ("UTC", .every(minutes: 15), "2026-01-10T10:07:00Z", "2026-01-10T10:00:00Z"),
        ("UTC", .weekly(hour: 9, minute: 0, days: [.mon, .thu]), "2026-01-11T12:00:00Z", "2026-01-08T09:00:00Z"),
        ("UTC", cron("0 12 29 2 *"), "2027-06-01T00:00:00Z", "2024-02-29T12:00:00Z"),
        ("UTC", cron("0 12 29 2 *"), "2024-02-29T11:59:00Z", "2020-02-29T12:00:00Z"),
        ("UTC", cron("0 0 30 2 *"), "2027-06-01T00:00:00Z", nil),
        ("Europe/Paris", .daily(hour: 2, minute: 30), "2026-03-29T04:00:00+02:00", "2026-03-29T03:00:00+02:00"),
        ("Europe/Paris", .daily(hour: 2, minute: 30), "2026-10-25T02:40:00+01:00", "2026-10-25T02:30:00+02:00"),
        ("Europe/Paris", .every(minutes: 15), "2026-10-25T02:05:00+01:00", "2026-10-25T02:00:00+01:00"),
        ("America/New_York", .daily(hour: 1, minute: 30), "2026-11-01T01:45:00-05:00", "2026-11-01T01:30:00-04:00"),
    ]

    @Test(arguments: previousCases)
    func previous(zone: String, schedule: Schedule, atOrBefore: String, expected: String?) {
        #expect(calculator(zone).previous(schedule, atOrBefore: at(atOrBefore)) == expected.map(at))
    }

    /// A worker down from 01:00 on the 10th to 10:00 on the 12th missed three 02:30 slots;
    /// the latest slot is after its last run, so the job is due, once.
    @Test func missedSlotIsDueOnce() {
        let calculator = calculator("Europe/Paris")
        let schedule = Schedule.daily(hour: 2, minute: 30)
        let lastRun = at("2026-01-09T02:30:00+01:00")
        let now = at("2026-01-12T10:00:00+01:00")
        let slot = calculator.previous(schedule, atOrBefore: now)
        #expect(slot == at("2026-01-12T02:30:00+01:00"))
        #expect(slot.map { $0 > lastRun } == true)
        let afterCatchUp = at("2026-01-12T10:01:00+01:00")
        #expect(calculator.previous(schedule, atOrBefore: afterCatchUp) == slot)
        #expect(calculator.next(schedule, after: afterCatchUp) == at("2026-01-13T02:30:00+01:00"))
    }

    // MARK: - Reference

    static let transitionWindows: [(String, String)] = [
        ("Europe/Paris", "2026-03-28T00:00:00Z"), ("Europe/Paris", "2026-10-24T00:00:00Z"),
        ("America/New_York", "2026-03-07T00:00:00Z"), ("America/New_York", "2026-10-31T00:00:00Z"),
        ("Australia/Lord_Howe", "2026-04-04T00:00:00Z"), ("Australia/Lord_Howe", "2026-10-03T00:00:00Z"),
        ("America/Santiago", "2026-04-04T00:00:00Z"), ("America/Santiago", "2026-09-05T00:00:00Z"),
    ]

    static let referenceSchedules: [Schedule] = [
        .every(minutes: 15), .every(minutes: 60), .every(minutes: 120), .every(minutes: 1440),
        .daily(hour: 2, minute: 30), .daily(hour: 0, minute: 0), .daily(hour: 23, minute: 30),
        .weekly(hour: 0, minute: 15, days: [.sun, .mon]),
        cron("30 * * * *"), cron("*/15 2 * * *"), cron("0,30 0-2 * * *"), cron("*/10 * * * sun"),
    ]

    /// Compares three days of fire times around each transition with a minute-by-minute scan
    /// that reads the wall clock through `Calendar`: a real-time schedule fires at every
    /// instant whose wall-clock minute matches; a fixed-time one fires, for each matching
    /// wall-clock minute W, at the first instant whose wall clock reads W or later.
    @Test(arguments: transitionWindows, referenceSchedules)
    func matchesMinuteByMinuteReference(window: (zone: String, start: String), schedule: Schedule) throws {
        let zone = TimeZone(identifier: window.zone)!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let pattern = try #require(WallClockPattern(schedule))
        let start = at(window.start)
        let end = start.addingTimeInterval(3 * 86_400)
        let scanStart = start.addingTimeInterval(-86_400)
        let instants = stride(from: 0, through: 5 * 1440, by: 1).map { scanStart.addingTimeInterval(Double($0 * 60)) }
        let wallClock = instants.map { instant in
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
            return CivilCalendar.days(year: parts.year!, month: parts.month!, day: parts.day!) * 1440
                + parts.hour! * 60 + parts.minute!
        }
        let matches = { (minute: Int) in pattern.firstMinute(from: minute, before: minute + 1) != nil }
        var expected: [Date]
        if pattern.isRealTime {
            expected = zip(instants, wallClock).filter { matches($0.1) }.map(\.0)
        } else {
            let wallMinutes = (wallClock.min()!...wallClock.max()!).filter(matches)
            expected = wallMinutes.compactMap { minute in wallClock.firstIndex { $0 >= minute }.map { instants[$0] } }
            expected = Array(Set(expected)).sorted()
        }
        expected = expected.filter { $0 > start && $0 <= end }
        let calculator = ScheduleCalculator(timeZone: zone)
        let actual = calculator.nextFireTimes(schedule, after: start, count: 500).filter { $0 <= end }
        #expect(actual == expected)
    }

    @Test func nextFireTimesOfZeroIsEmpty() {
        #expect(calculator("UTC").nextFireTimes(.every(minutes: 15), after: at("2026-01-01T00:00:00Z"), count: 0) == [])
    }
}
