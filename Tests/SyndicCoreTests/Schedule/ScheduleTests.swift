import Foundation
import Testing
@testable import SyndicCore

struct ScheduleTests {
    struct Keys: Sendable, CustomTestStringConvertible {
        var every: String?
        var at: String?
        var days: [String]?
        var cron: String?

        var testDescription: String {
            [("every", every), ("at", at), ("days", days?.joined(separator: ",")), ("cron", cron)]
                .compactMap { key, value in value.map { "\(key): \($0)" } }
                .joined(separator: ", ")
        }
    }

    // MARK: - Valid schedules

    @Test(arguments: [
        (Keys(every: "15m"), Schedule.every(minutes: 15)),
        (Keys(every: "1m"), .every(minutes: 1)),
        (Keys(every: "30m"), .every(minutes: 30)),
        (Keys(every: "60m"), .every(minutes: 60)),
        (Keys(every: "1h"), .every(minutes: 60)),
        (Keys(every: "2h"), .every(minutes: 120)),
        (Keys(every: "24h"), .every(minutes: 1440)),
        (Keys(at: "02:30"), .daily(hour: 2, minute: 30)),
        (Keys(at: "00:00"), .daily(hour: 0, minute: 0)),
        (Keys(at: "23:59"), .daily(hour: 23, minute: 59)),
        (Keys(at: "09:05", days: ["thu", "mon", "thu"]), .weekly(hour: 9, minute: 5, days: [.mon, .thu])),
        (Keys(at: "09:05", days: ["sat", "sun"]), .weekly(hour: 9, minute: 5, days: [.sun, .sat])),
    ])
    func parsesSchedule(keys: Keys, expected: Schedule) throws {
        #expect(try Schedule(every: keys.every, at: keys.at, days: keys.days, cron: keys.cron) == expected)
    }

    @Test func parsesCronSchedule() throws {
        let schedule = try Schedule(every: nil, at: nil, days: nil, cron: "0 */6 * * *")
        #expect(schedule == .cron(try CronExpression.parse("0 */6 * * *")))
    }

    // MARK: - Invalid schedules

    @Test(arguments: [
        (Keys(), "schedule needs one of every, at or cron"),
        (Keys(every: "15m", cron: "* * * * *"), "schedule needs exactly one of every, at or cron, got every and cron"),
        (Keys(every: "15m", at: "02:00"), "schedule needs exactly one of every, at or cron, got every and at"),
        (Keys(every: "15m", at: "02:00", cron: "* * * * *"),
         "schedule needs exactly one of every, at or cron, got every, at and cron"),
        (Keys(every: "15m", days: ["mon"]), "days can only be used with at, as in {at: \"09:00\", days: [mon, thu]}"),
        (Keys(days: ["mon"]), "days can only be used with at, as in {at: \"09:00\", days: [mon, thu]}"),
        (Keys(every: "7m"), "every \"7m\": minutes must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60)"),
        (Keys(every: "0m"), "every \"0m\": minutes must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60)"),
        (Keys(every: "90m"), "every \"90m\": minutes must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60)"),
        (Keys(every: "5h"), "every \"5h\": hours must divide 24 (1, 2, 3, 4, 6, 8, 12 or 24)"),
        (Keys(every: "48h"), "every \"48h\": hours must divide 24 (1, 2, 3, 4, 6, 8, 12 or 24)"),
        (Keys(every: "15"), "every \"15\": expected <N>m or <N>h, such as 15m or 2h"),
        (Keys(every: "m"), "every \"m\": expected <N>m or <N>h, such as 15m or 2h"),
        (Keys(every: "15 m"), "every \"15 m\": expected <N>m or <N>h, such as 15m or 2h"),
        (Keys(every: "1d"), "every \"1d\": expected <N>m or <N>h, such as 15m or 2h"),
        (Keys(at: "25:00"), "at \"25:00\": expected HH:MM from 00:00 to 23:59"),
        (Keys(at: "24:00"), "at \"24:00\": expected HH:MM from 00:00 to 23:59"),
        (Keys(at: "12:60"), "at \"12:60\": expected HH:MM from 00:00 to 23:59"),
        (Keys(at: "2:30"), "at \"2:30\": expected HH:MM from 00:00 to 23:59"),
        (Keys(at: "02:30:00"), "at \"02:30:00\": expected HH:MM from 00:00 to 23:59"),
        (Keys(at: "noon"), "at \"noon\": expected HH:MM from 00:00 to 23:59"),
        (Keys(at: "09:00", days: []), "days is empty: list at least one of mon, tue, wed, thu, fri, sat, sun"),
        (Keys(at: "09:00", days: ["monday"]),
         "days: unknown day \"monday\", expected one of mon, tue, wed, thu, fri, sat, sun"),
        (Keys(at: "09:00", days: ["Mon"]),
         "days: unknown day \"Mon\", expected one of mon, tue, wed, thu, fri, sat, sun"),
        (Keys(cron: "0 * * *"),
         "cron expression needs 5 fields (minute hour day-of-month month day-of-week), got 4"),
        (Keys(cron: "0 25 * * *"), "cron field 2 (hour) \"25\": value out of range 0-23"),
    ])
    func rejectsSchedule(keys: Keys, message: String) {
        #expect(throws: ScheduleError(message)) {
            try Schedule(every: keys.every, at: keys.at, days: keys.days, cron: keys.cron)
        }
    }

    // MARK: - Summary and coding

    @Test(arguments: [
        (Schedule.every(minutes: 15), "every 15m"),
        (.every(minutes: 60), "every 1h"),
        (.every(minutes: 120), "every 2h"),
        (.daily(hour: 2, minute: 30), "daily at 02:30"),
        (.daily(hour: 14, minute: 5), "daily at 14:05"),
        (.weekly(hour: 2, minute: 30, days: [.mon, .thu]), "at 02:30 on mon, thu"),
    ])
    func summarizes(schedule: Schedule, summary: String) {
        #expect(schedule.summary == summary)
    }

    @Test func summarizesCron() throws {
        #expect(Schedule.cron(try CronExpression.parse("0 */6 * * *")).summary == "cron 0 */6 * * *")
    }

    @Test func encodesAsConfigurationKeys() throws {
        let schedules: [Schedule] = [
            .every(minutes: 15), .every(minutes: 120), .daily(hour: 2, minute: 30),
            .weekly(hour: 9, minute: 0, days: [.mon, .thu]), .cron(try CronExpression.parse("0 */6 * * *")),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try schedules.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        #expect(json == [
            #"{"every":"15m"}"#, #"{"every":"2h"}"#, #"{"at":"02:30"}"#,
            #"{"at":"09:00","days":["mon","thu"]}"#, #"{"cron":"0 *\/6 * * *"}"#,
        ])
        let decoded = try json.map { try JSONDecoder().decode(Schedule.self, from: Data($0.utf8)) }
        #expect(decoded == schedules)
    }

    @Test func decodingReportsTheScheduleError() {
        #expect {
            try JSONDecoder().decode(Schedule.self, from: Data(#"{"every":"7m"}"#.utf8))
        } throws: { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return false }
            return context.debugDescription.hasPrefix("every \"7m\": minutes must divide 60")
        }
    }
}
