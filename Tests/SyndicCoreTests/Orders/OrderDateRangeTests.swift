import Foundation
import Testing
@testable import SyndicCore

/// The date filter of the order list, at a fixed instant in Europe/Paris.
@Suite struct OrderDateRangeTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!

    static func at(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    /// Wednesday 2025-01-08 10:00 in Paris.
    static let wednesday = at("2025-01-08T09:00:00Z")

    @Test(arguments: [
        (OrderDateRange.today, "2025-01-07T23:00:00Z", "2025-01-08T23:00:00Z"),
        (.yesterday, "2025-01-06T23:00:00Z", "2025-01-07T23:00:00Z"),
        // This week starts on Monday 00:00 local time.
        (.thisWeek, "2025-01-05T23:00:00Z", "2025-01-12T23:00:00Z"),
        // Last week is the previous seven rolling days.
        (.lastWeek, "2025-01-01T09:00:00Z", "2025-01-08T09:00:00Z"),
        (.thisMonth, "2024-12-31T23:00:00Z", "2025-01-31T23:00:00Z"),
        // Last month across the year boundary.
        (.lastMonth, "2024-11-30T23:00:00Z", "2024-12-31T23:00:00Z"),
    ])
    func rangesAtAWednesdayInJanuary(_ range: OrderDateRange, _ start: String, _ end: String) {
        let interval = range.interval(now: Self.wednesday, zone: Self.paris)
        #expect(interval.start == Self.at(start))
        #expect(interval.end == Self.at(end))
    }

    @Test(arguments: [
        // Sunday late evening still belongs to the week that started the Monday before.
        ("2025-01-12T22:30:00Z", "2025-01-05T23:00:00Z"),
        // Monday just after local midnight (still Sunday in UTC) starts a new week.
        ("2025-01-12T23:30:00Z", "2025-01-12T23:00:00Z"),
        // Monday 00:00 local exactly.
        ("2025-01-12T23:00:00Z", "2025-01-12T23:00:00Z"),
        ("2025-01-11T12:00:00Z", "2025-01-05T23:00:00Z"),
    ])
    func thisWeekStartsOnMondayInTheLocalZone(_ now: String, _ monday: String) {
        let interval = OrderDateRange.thisWeek.interval(now: Self.at(now), zone: Self.paris)
        #expect(interval.start == Self.at(monday))
        #expect(interval.end.timeIntervalSince(interval.start) == 7 * 86_400)
    }

    @Test func aWeekAcrossTheSpringChangeEndsAtLocalMidnight() {
        // Sunday 2025-03-30, the day Paris moves to +02:00.
        let now = Self.at("2025-03-30T10:00:00Z")
        let week = OrderDateRange.thisWeek.interval(now: now, zone: Self.paris)
        #expect(week.start == Self.at("2025-03-23T23:00:00Z"))
        #expect(week.end == Self.at("2025-03-30T22:00:00Z"))
        let today = OrderDateRange.today.interval(now: now, zone: Self.paris)
        #expect(today.start == Self.at("2025-03-29T23:00:00Z"))
        #expect(today.end == Self.at("2025-03-30T22:00:00Z"))
    }

    @Test func lastMonthOfMarchIsFebruaryOfALeapYear() {
        let interval = OrderDateRange.lastMonth.interval(now: Self.at("2024-03-15T12:00:00Z"), zone: Self.paris)
        #expect(interval.start == Self.at("2024-01-31T23:00:00Z"))
        #expect(interval.end == Self.at("2024-02-29T23:00:00Z"))
    }

    @Test func theZoneDecidesTheDay() {
        // 23:30 UTC on the 7th is already the 8th in Paris.
        let now = Self.at("2025-01-07T23:30:00Z")
        #expect(OrderDateRange.today.interval(now: now, zone: Self.paris).start == Self.at("2025-01-07T23:00:00Z"))
        #expect(OrderDateRange.today.interval(now: now, zone: TimeZone(identifier: "UTC")!).start
            == Self.at("2025-01-07T00:00:00Z"))
    }

    @Test func everyRangeContainsOrEndsAtNow() {
        for range in OrderDateRange.allCases where range != .yesterday && range != .lastMonth {
            let interval = range.interval(now: Self.wednesday, zone: Self.paris)
            #expect(interval.start <= Self.wednesday, "\(range)")
            #expect(Self.wednesday <= interval.end, "\(range)")
        }
    }

    @Test func theNamesAreTheCommandLines() {
        #expect(OrderDateRange.allCases.map(\.rawValue)
            == ["today", "yesterday", "this-week", "last-week", "this-month", "last-month"])
    }
}
