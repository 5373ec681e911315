import Foundation

/// The date filter of the order list: on the date syndic received an order.
/// This week starts on Monday; last week is the previous 7 rolling days.
public enum OrderDateRange: String, CaseIterable, Sendable {
    case today
    case yesterday
    case thisWeek = "this-week"
    case lastWeek = "last-week"
    case thisMonth = "this-month"
    case lastMonth = "last-month"

    /// The half-open interval `[start, end)` this range means at `now` in `zone`.
    public func interval(now: Date, zone: TimeZone) -> (start: Date, end: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        calendar.firstWeekday = 2
        let today = calendar.startOfDay(for: now)
        func adding(_ component: Calendar.Component, _ value: Int, to date: Date) -> Date {
            calendar.date(byAdding: component, value: value, to: date)!
        }
        switch self {
        case .today:
            return (today, adding(.day, 1, to: today))
        case .yesterday:
            return (adding(.day, -1, to: today), today)
        case .thisWeek:
            let weekday = calendar.component(.weekday, from: today)
            let monday = adding(.day, -((weekday + 5) % 7), to: today)
            return (monday, adding(.day, 7, to: monday))
        case .lastWeek:
            return (now.addingTimeInterval(-7 * 86_400), now)
        case .thisMonth:
            let first = calendar.date(from: calendar.dateComponents([.year, .month], from: today))!
            return (first, adding(.month, 1, to: first))
        case .lastMonth:
            let first = calendar.date(from: calendar.dateComponents([.year, .month], from: today))!
            return (adding(.month, -1, to: first), first)
        }
    }
}
