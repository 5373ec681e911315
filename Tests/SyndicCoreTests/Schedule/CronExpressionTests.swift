import Foundation
import Testing
@testable import SyndicCore

struct CronExpressionTests {
    struct Fields: Sendable, CustomTestStringConvertible {
        var source: String
        var minutes: [Int]
        var hours: [Int] = Array(0...23)
        var daysOfMonth: [Int] = Array(1...31)
        var months: [Int] = Array(1...12)
        var daysOfWeek: [Int] = Array(0...6)

        var testDescription: String { source }
    }

    // MARK: - Field forms

    @Test(arguments: [
        Fields(source: "* * * * *", minutes: Array(0...59)),
        Fields(source: "5 * * * *", minutes: [5]),
        Fields(source: "0,15,45 * * * *", minutes: [0, 15, 45]),
        Fields(source: "10-13 * * * *", minutes: [10, 11, 12, 13]),
        Fields(source: "*/15 * * * *", minutes: [0, 15, 30, 45]),
        Fields(source: "10-30/10 * * * *", minutes: [10, 20, 30]),
        Fields(source: "50/3 * * * *", minutes: [50, 53, 56, 59]),
        Fields(source: "1-3,40-59/10,7 * * * *", minutes: [1, 2, 3, 7, 40, 50]),
        Fields(source: "*/100 * * * *", minutes: [0]),
        Fields(source: "0 */6 * * *", minutes: [0], hours: [0, 6, 12, 18]),
        Fields(source: "0 9-17/4 * * *", minutes: [0], hours: [9, 13, 17]),
        Fields(source: "0 0 1,15,31 * *", minutes: [0], hours: [0], daysOfMonth: [1, 15, 31]),
        Fields(source: "0 0 * jan,JUL,Dec *", minutes: [0], hours: [0], months: [1, 7, 12]),
        Fields(source: "0 0 * feb-apr *", minutes: [0], hours: [0], months: [2, 3, 4]),
        Fields(source: "0 0 * */3 *", minutes: [0], hours: [0], months: [1, 4, 7, 10]),
        Fields(source: "0 0 * * mon-fri", minutes: [0], hours: [0], daysOfWeek: [1, 2, 3, 4, 5]),
        Fields(source: "0 0 * * Sat,SUN", minutes: [0], hours: [0], daysOfWeek: [0, 6]),
        Fields(source: "0 0 * * 7", minutes: [0], hours: [0], daysOfWeek: [0]),
        Fields(source: "0 0 * * 0", minutes: [0], hours: [0], daysOfWeek: [0]),
        Fields(source: "0 0 * * 5-7", minutes: [0], hours: [0], daysOfWeek: [0, 5, 6]),
        Fields(source: "0 0 * * 1/2", minutes: [0], hours: [0], daysOfWeek: [0, 1, 3, 5]),
        Fields(source: "0 0 * * */2", minutes: [0], hours: [0], daysOfWeek: [0, 2, 4, 6]),
    ])
    func parsesFields(fields: Fields) throws {
        let cron = try CronExpression.parse(fields.source)
        #expect(cron.minutes.values == fields.minutes)
        #expect(cron.hours.values == fields.hours)
        #expect(cron.daysOfMonth.values == fields.daysOfMonth)
        #expect(cron.months.values == fields.months)
        #expect(cron.daysOfWeek.values == fields.daysOfWeek)
        #expect(cron.source == fields.source)
    }

    @Test func keepsTrimmedSourceAndAcceptsExtraSpaces() throws {
        let cron = try CronExpression.parse("  0  */6\t* * *  ")
        #expect(cron.source == "0  */6\t* * *")
        #expect(cron.hours.values == [0, 6, 12, 18])
    }

    // MARK: - Day matching

    @Test(arguments: [
        // Both restricted: either matches (Vixie).
        ("0 0 13 * fri", 3, 13, 2, true),
        ("0 0 13 * fri", 3, 20, 5, true),
        ("0 0 13 * fri", 3, 14, 6, false),
        // Day-of-week is *: day-of-month alone decides.
        ("0 0 13 * *", 3, 13, 2, true),
        ("0 0 13 * *", 3, 20, 5, false),
        // Day-of-month is *: day-of-week alone decides.
        ("0 0 * * fri", 3, 20, 5, true),
        ("0 0 * * fri", 3, 21, 6, false),
        // A field starting with * counts as unrestricted: both must match.
        ("0 0 */10 * fri", 5, 1, 5, true),
        ("0 0 */10 * fri", 3, 20, 5, false),
        ("0 0 */10 * fri", 3, 11, 3, false),
        // Month restricts either way.
        ("0 0 13 jan fri", 3, 13, 5, false),
    ])
    func matchesDays(source: String, month: Int, day: Int, weekday: Int, matches: Bool) throws {
        let cron = try CronExpression.parse(source)
        #expect(cron.matchesDay(month: month, dayOfMonth: day, weekday: weekday) == matches)
    }

    @Test(arguments: [("30 * * * *", true), ("30 */1 * * *", true), ("30 0-23 * * *", true), ("30 */2 * * *", false)])
    func detectsEveryHour(source: String, everyHour: Bool) throws {
        #expect(try CronExpression.parse(source).matchesEveryHour == everyHour)
    }

    // MARK: - Errors

    @Test(arguments: [
        ("", "cron expression needs 5 fields (minute hour day-of-month month day-of-week), got 0"),
        ("0 * * *", "cron expression needs 5 fields (minute hour day-of-month month day-of-week), got 4"),
        ("0 * * * * *", "cron expression needs 5 fields (minute hour day-of-month month day-of-week), got 6"),
        ("60 * * * *", "cron field 1 (minute) \"60\": value out of range 0-59"),
        ("0 25 * * *", "cron field 2 (hour) \"25\": value out of range 0-23"),
        ("0 1-25 * * *", "cron field 2 (hour) \"1-25\": value 25 out of range 0-23"),
        ("0 0 0 * *", "cron field 3 (day-of-month) \"0\": value out of range 1-31"),
        ("0 0 32 * *", "cron field 3 (day-of-month) \"32\": value out of range 1-31"),
        ("0 0 * 13 *", "cron field 4 (month) \"13\": value out of range 1-12"),
        ("0 0 * * 8", "cron field 5 (day-of-week) \"8\": value out of range 0-7"),
        ("0 0 * * 99999999999999999999", "cron field 5 (day-of-week) \"99999999999999999999\": value out of range 0-7"),
        ("0 0 * foo *", "cron field 4 (month) \"foo\": unknown name, expected 1-12 or jan-dec"),
        ("0 0 * jan-foo *", "cron field 4 (month) \"jan-foo\": unknown name \"foo\", expected 1-12 or jan-dec"),
        ("0 0 * * funday", "cron field 5 (day-of-week) \"funday\": unknown name, expected 0-7 or sun-sat"),
        ("0 0 * * january", "cron field 5 (day-of-week) \"january\": unknown name, expected 0-7 or sun-sat"),
        ("0 0 * mon *", "cron field 4 (month) \"mon\": unknown name, expected 1-12 or jan-dec"),
        ("x * * * *", "cron field 1 (minute) \"x\": not a number"),
        ("0 jan * * *", "cron field 2 (hour) \"jan\": not a number"),
        ("x-5 * * * *", "cron field 1 (minute) \"x-5\": \"x\" is not a number"),
        ("*/0 * * * *", "cron field 1 (minute) \"*/0\": step must be at least 1"),
        ("0 1-5/0 * * *", "cron field 2 (hour) \"1-5/0\": step must be at least 1"),
        ("*/x * * * *", "cron field 1 (minute) \"*/x\": step \"x\" is not a number"),
        ("*/ * * * *", "cron field 1 (minute) \"*/\": step \"\" is not a number"),
        ("*/5/2 * * * *", "cron field 1 (minute) \"*/5/2\": more than one step"),
        ("30-10 * * * *", "cron field 1 (minute) \"30-10\": range start 30 is after its end 10"),
        ("0 0 * * fri-mon", "cron field 5 (day-of-week) \"fri-mon\": range start fri is after its end mon"),
        ("1-2-3 * * * *", "cron field 1 (minute) \"1-2-3\": expected a range a-b"),
        ("-5 * * * *", "cron field 1 (minute) \"-5\": missing value"),
        ("1,,2 * * * *", "cron field 1 (minute) \"1,,2\": empty list item"),
        ("0 0 * * 1,", "cron field 5 (day-of-week) \"1,\": empty list item"),
    ])
    func rejects(source: String, message: String) {
        #expect(throws: ScheduleError(message)) { try CronExpression.parse(source) }
    }

    // MARK: - Coding

    @Test func codesAsSourceString() throws {
        let cron = try CronExpression.parse("15 4 * * mon-fri")
        let data = try JSONEncoder().encode([cron])
        #expect(String(decoding: data, as: UTF8.self) == #"["15 4 * * mon-fri"]"#)
        #expect(try JSONDecoder().decode([CronExpression].self, from: data) == [cron])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CronExpression].self, from: Data(#"["0 25 * * *"]"#.utf8))
        }
    }
}
