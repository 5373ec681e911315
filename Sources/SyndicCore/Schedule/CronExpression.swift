/// A standard five-field cron expression: minute hour day-of-month month day-of-week.
///
/// Fields accept `*`, numbers, lists `a,b`, ranges `a-b` and steps `*/n`, `a-b/n` and `a/n`
/// (from `a` to the field's end). Months accept `jan`–`dec` and days of the week `sun`–`sat`,
/// in any case; day-of-week 0 and 7 are both Sunday.
///
/// Days follow Vixie cron: when both day-of-month and day-of-week are restricted, a day
/// matches if either matches; when one of them starts with `*` (including `*/n`), a day must
/// match both.
public struct CronExpression: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The expression as written, without surrounding white space.
    public let source: String

    let minutes: SmallIntSet
    let hours: SmallIntSet
    let daysOfMonth: SmallIntSet
    let months: SmallIntSet
    /// Days of the week as cron numbers, 0 (Sunday) through 6.
    let daysOfWeek: SmallIntSet
    let dayOfMonthIsStar: Bool
    let dayOfWeekIsStar: Bool

    /// Parses an expression, naming the field at fault when it cannot.
    public static func parse(_ text: String) throws(ScheduleError) -> CronExpression {
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count == 5 else {
            throw ScheduleError(
                "cron expression needs 5 fields (minute hour day-of-month month day-of-week), got \(fields.count)"
            )
        }
        var sets: [SmallIntSet] = []
        for field in CronField.allCases {
            sets.append(try field.parse(fields[field.rawValue - 1]))
        }
        return CronExpression(
            source: String(text.trimmingWhitespace()),
            minutes: sets[0],
            hours: sets[1],
            daysOfMonth: sets[2],
            months: sets[3],
            daysOfWeek: sets[4],
            dayOfMonthIsStar: fields[2].hasPrefix("*"),
            dayOfWeekIsStar: fields[4].hasPrefix("*")
        )
    }

    public var description: String { source }

    /// Whether the hour field matches every hour, which makes minute matches real-time.
    var matchesEveryHour: Bool { hours.count == 24 }

    /// Whether a date matches the month, day-of-month and day-of-week fields.
    func matchesDay(month: Int, dayOfMonth: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        let dayOfMonthMatches = daysOfMonth.contains(dayOfMonth)
        let dayOfWeekMatches = daysOfWeek.contains(weekday)
        if dayOfMonthIsStar || dayOfWeekIsStar {
            return dayOfMonthMatches && dayOfWeekMatches
        }
        return dayOfMonthMatches || dayOfWeekMatches
    }
}

// MARK: - Codable (as the source text)

extension CronExpression {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try CronExpression.parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(source)
    }
}

private extension String {
    func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return self[start..<end]
    }
}
