import Foundation

/// Computes fire times of a schedule in a time zone.
///
/// Schedules are read on the zone's wall clock. Daylight-saving rules:
/// - A fixed wall-clock time (`at`, `every: Nh`, and cron expressions whose hour field is
///   restricted) that does not exist on a spring-forward night fires once, at the first
///   valid instant after the gap: 02:30 in Europe/Paris on 2026-03-29 fires at 03:00 local.
///   Several skipped times (`*/15 2 * * *`) collapse into that one fire.
/// - A fixed wall-clock time that occurs twice on a fall-back night fires once, at its
///   first occurrence.
/// - `every: Nm` (N dividing 60) is an interval: it fires every N minutes of real time at
///   the local minutes divisible by N, so on a fall-back night the repeated hour fires
///   again, and on a spring-forward night the skipped hour does not fire.
/// - `every: Nh` fires at local hours divisible by N, minute 0, as fixed wall-clock times.
/// - A cron expression whose hour field matches every hour (`*`, `*/1`, `0-23`) is read
///   like `every: Nm`: each minute match is a real-time instant, fired in both repeated
///   hours and not in skipped ones. Otherwise it follows the fixed-time rules.
///
/// Schedules whose values lie outside the grammar (`.every(minutes: 7)`,
/// `.daily(hour: 25, minute: 0)`) never fire. Searches jump across months, days and hours
/// using the schedule's sets and the zone's transitions; nothing is cached.
public struct ScheduleCalculator: Sendable {
    /// The zone whose wall clock schedules are read in.
    public let timeZone: TimeZone
    private let calendar: Calendar

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The first fire time strictly after `date`, or nil if none within 5 years.
    public func next(_ schedule: Schedule, after date: Date) -> Date? {
        guard let pattern = WallClockPattern(schedule),
              let horizon = calendar.date(byAdding: .year, value: 5, to: date)
        else { return nil }
        let from = Self.seconds(date, .down) + 1
        let limit = Self.seconds(horizon, .down)
        var segment = OffsetSegment.containing(from, in: timeZone)
        while segment.start <= limit {
            if let fire = firstFire(of: pattern, in: segment, from: from, through: limit) {
                return Self.date(fire)
            }
            guard let following = segment.following(in: timeZone) else { return nil }
            segment = following
        }
        return nil
    }

    /// The next `count` fire times strictly after `date`.
    public func nextFireTimes(_ schedule: Schedule, after date: Date, count: Int) -> [Date] {
        var times: [Date] = []
        var cursor = date
        while times.count < count, let fire = next(schedule, after: cursor) {
            times.append(fire)
            cursor = fire
        }
        return times
    }

    /// The latest fire time at or before `date` (used to decide that a missed slot is due
    /// exactly once), nil if none in the last 5 years.
    public func previous(_ schedule: Schedule, atOrBefore date: Date) -> Date? {
        guard let pattern = WallClockPattern(schedule),
              let horizon = calendar.date(byAdding: .year, value: -5, to: date)
        else { return nil }
        let earliest = Self.seconds(horizon, .up)
        var through = Self.seconds(date, .down)
        // Look back in growing windows so that frequent schedules stay cheap.
        for window in [2 * 86_400, 40 * 86_400, 400 * 86_400, Int.max / 2] {
            let from = max(earliest, through - window)
            if let fire = lastFire(of: pattern, from: from, through: through) {
                return Self.date(fire)
            }
            if from == earliest { return nil }
            through = from - 1
        }
        return nil
    }

    // MARK: - Within one offset segment

    /// The first fire in `segment` at an instant in `from...limit`.
    private func firstFire(
        of pattern: WallClockPattern, in segment: OffsetSegment, from: Int, through limit: Int
    ) -> Int? {
        if !pattern.isRealTime, let skipped = segment.skippedLocalTimes,
           (from...limit).contains(segment.start), matches(pattern, anyOf: skipped) {
            return segment.start
        }
        var lower = max(from, segment.start) + segment.offset
        if !pattern.isRealTime, let repeated = segment.repeatedLocalTimes {
            lower = max(lower, repeated.upperBound)
        }
        let upper = min(limit, segment.end.map { $0 - 1 } ?? limit) + segment.offset
        guard let minute = pattern.firstMinute(
            from: CivilCalendar.ceilDiv(lower, 60),
            before: CivilCalendar.floorDiv(upper, 60) + 1
        ) else { return nil }
        return minute * 60 - segment.offset
    }

    /// The last fire at an instant in `from...through`, walking the segments in between.
    private func lastFire(of pattern: WallClockPattern, from: Int, through: Int) -> Int? {
        var segment = OffsetSegment.containing(from, in: timeZone)
        var latest: Int?
        while true {
            if let fire = lastFire(of: pattern, in: segment, from: from, through: through) {
                latest = fire
            }
            guard let following = segment.following(in: timeZone), following.start <= through else {
                return latest
            }
            segment = following
        }
    }

    /// The last fire in `segment` at an instant in `from...through`.
    private func lastFire(
        of pattern: WallClockPattern, in segment: OffsetSegment, from: Int, through: Int
    ) -> Int? {
        var lower = max(from, segment.start) + segment.offset
        if !pattern.isRealTime, let repeated = segment.repeatedLocalTimes {
            lower = max(lower, repeated.upperBound)
        }
        let upper = min(through, segment.end.map { $0 - 1 } ?? through) + segment.offset
        if let minute = pattern.lastMinute(
            from: CivilCalendar.ceilDiv(lower, 60),
            through: CivilCalendar.floorDiv(upper, 60)
        ) {
            return minute * 60 - segment.offset
        }
        if !pattern.isRealTime, let skipped = segment.skippedLocalTimes,
           (from...through).contains(segment.start), matches(pattern, anyOf: skipped) {
            return segment.start
        }
        return nil
    }

    /// Whether any wall-clock minute in a range of local seconds matches.
    private func matches(_ pattern: WallClockPattern, anyOf localTimes: Range<Int>) -> Bool {
        pattern.firstMinute(
            from: CivilCalendar.ceilDiv(localTimes.lowerBound, 60),
            before: CivilCalendar.ceilDiv(localTimes.upperBound, 60)
        ) != nil
    }

    private static func seconds(_ date: Date, _ rule: FloatingPointRoundingRule) -> Int {
        Int(date.timeIntervalSince1970.rounded(rule))
    }

    private static func date(_ seconds: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
