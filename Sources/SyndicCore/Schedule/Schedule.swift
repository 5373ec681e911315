/// A parsed job schedule.
///
/// Read from the configuration keys `{every: 15m}`, `{at: "HH:MM"}`,
/// `{at: "HH:MM", days: [mon, thu]}` or `{cron: "m h dom mon dow"}`, always in the
/// channel's time zone (see ``ScheduleCalculator`` for the daylight-saving rules).
public enum Schedule: Hashable, Sendable {
    /// An interval aligned to the clock: 15 minutes fire at :00 :15 :30 :45, 2 hours at
    /// 00:00, 02:00, … Minutes divide 60, or are a whole number of hours dividing 24.
    case every(minutes: Int)
    /// Every day at a wall-clock time.
    case daily(hour: Int, minute: Int)
    /// On some days of the week at a wall-clock time; days sorted and unique.
    case weekly(hour: Int, minute: Int, days: [Weekday])
    /// A five-field cron expression.
    case cron(CronExpression)

    /// Builds a schedule from the configuration keys: exactly one of `every`, `at` or
    /// `cron`, and `days` only with `at`.
    public init(every: String?, at: String?, days: [String]?, cron: String?) throws(ScheduleError) {
        if days != nil, at == nil {
            throw ScheduleError("days can only be used with at, as in {at: \"09:00\", days: [mon, thu]}")
        }
        switch (every, at, cron) {
        case (let every?, nil, nil):
            self = .every(minutes: try Schedule.intervalMinutes(every))
        case (nil, let at?, nil):
            let (hour, minute) = try Schedule.wallClockTime(at)
            if let days {
                self = .weekly(hour: hour, minute: minute, days: try Schedule.weekdays(days))
            } else {
                self = .daily(hour: hour, minute: minute)
            }
        case (nil, nil, let cron?):
            self = .cron(try CronExpression.parse(cron))
        case (nil, nil, nil):
            throw ScheduleError("schedule needs one of every, at or cron")
        default:
            let given = [("every", every), ("at", at), ("cron", cron)].filter { $0.1 != nil }.map(\.0)
            let listed = given.dropLast().joined(separator: ", ") + " and " + given[given.count - 1]
            throw ScheduleError("schedule needs exactly one of every, at or cron, got \(listed)")
        }
    }

    /// A short human rendering for plans: "every 15m", "daily at 02:30",
    /// "at 02:30 on mon, thu", "cron 0 */6 * * *".
    public var summary: String {
        switch self {
        case .every(let minutes):
            "every \(Schedule.intervalText(minutes))"
        case .daily(let hour, let minute):
            "daily at \(Schedule.timeText(hour, minute))"
        case .weekly(let hour, let minute, let days):
            "at \(Schedule.timeText(hour, minute)) on \(days.map(\.code).joined(separator: ", "))"
        case .cron(let expression):
            "cron \(expression.source)"
        }
    }
}

// MARK: - Reading and writing the configuration values

extension Schedule {
    static let minuteDivisors = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60]
    static let hourDivisors = [1, 2, 3, 4, 6, 8, 12, 24]

    /// Reads `<N>m` or `<N>h` into minutes.
    static func intervalMinutes(_ text: String) throws(ScheduleError) -> Int {
        let unit = text.last
        let digits = text.dropLast()
        guard unit == "m" || unit == "h", !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ScheduleError("every \"\(text)\": expected <N>m or <N>h, such as 15m or 2h")
        }
        let count = Int(digits) ?? Int.max
        if unit == "m" {
            guard minuteDivisors.contains(count) else {
                throw ScheduleError(
                    "every \"\(text)\": minutes must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60)"
                )
            }
            return count
        }
        guard hourDivisors.contains(count) else {
            throw ScheduleError("every \"\(text)\": hours must divide 24 (1, 2, 3, 4, 6, 8, 12 or 24)")
        }
        return count * 60
    }

    /// Reads "HH:MM", two digits each, from 00:00 to 23:59.
    static func wallClockTime(_ text: String) throws(ScheduleError) -> (hour: Int, minute: Int) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { part in
            part.count == 2 && part.allSatisfy { $0.isASCII && $0.isNumber } ? Int(part) : nil
        }
        guard parts.count == 2, numbers.count == 2, numbers[0] < 24, numbers[1] < 60 else {
            throw ScheduleError("at \"\(text)\": expected HH:MM from 00:00 to 23:59")
        }
        return (numbers[0], numbers[1])
    }

    /// Reads day codes into sorted, unique weekdays.
    static func weekdays(_ codes: [String]) throws(ScheduleError) -> [Weekday] {
        guard !codes.isEmpty else {
            throw ScheduleError("days is empty: list at least one of \(Weekday.codeList)")
        }
        var days = Set<Weekday>()
        for code in codes {
            guard let day = Weekday(code: code) else {
                throw ScheduleError("days: unknown day \"\(code)\", expected one of \(Weekday.codeList)")
            }
            days.insert(day)
        }
        return days.sorted()
    }

    static func intervalText(_ minutes: Int) -> String {
        minutes >= 60 && minutes % 60 == 0 ? "\(minutes / 60)h" : "\(minutes)m"
    }

    static func timeText(_ hour: Int, _ minute: Int) -> String {
        (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}
