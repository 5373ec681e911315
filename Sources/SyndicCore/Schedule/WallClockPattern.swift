/// The wall-clock minutes a schedule fires at, as sets over the calendar fields, with
/// searches for the first or last matching minute in a range of local minutes.
///
/// Local minutes count from 1970-01-01 00:00 on the wall clock, ignoring the time zone.
struct WallClockPattern: Sendable {
    var minutes: SmallIntSet
    var hours: SmallIntSet
    var months = SmallIntSet(1...12)
    var days: DayRule = .everyDay
    /// Whether minute matches are real-time instants (fired in both repeated hours and
    /// not in skipped ones) rather than fixed wall-clock times.
    var isRealTime = false

    /// Which days match.
    enum DayRule: Sendable {
        case everyDay
        /// Days of the week as cron numbers, 0 (Sunday) through 6.
        case weekdays(SmallIntSet)
        case cron(CronExpression)
    }

    /// The pattern of a schedule, or nil when the schedule's values are outside its grammar.
    init?(_ schedule: Schedule) {
        switch schedule {
        case .every(let interval) where interval < 60 && Schedule.minuteDivisors.contains(interval):
            minutes = SmallIntSet(bits: 0)
            for minute in stride(from: 0, to: 60, by: interval) { minutes.insert(minute) }
            hours = SmallIntSet(0...23)
            isRealTime = true
        case .every(let interval) where interval % 60 == 0 && Schedule.hourDivisors.contains(interval / 60):
            minutes = SmallIntSet(0...0)
            hours = SmallIntSet(bits: 0)
            for hour in stride(from: 0, to: 24, by: interval / 60) { hours.insert(hour) }
        case .daily(let hour, let minute) where (0...23).contains(hour) && (0...59).contains(minute):
            minutes = SmallIntSet(minute...minute)
            hours = SmallIntSet(hour...hour)
        case .weekly(let hour, let minute, let weekdays)
        where (0...23).contains(hour) && (0...59).contains(minute) && !weekdays.isEmpty:
            minutes = SmallIntSet(minute...minute)
            hours = SmallIntSet(hour...hour)
            var numbers = SmallIntSet()
            for day in weekdays { numbers.insert(day.cronNumber) }
            days = .weekdays(numbers)
        case .cron(let expression):
            minutes = expression.minutes
            hours = expression.hours
            months = expression.months
            days = .cron(expression)
            isRealTime = expression.matchesEveryHour
        default:
            return nil
        }
    }

    func matchesDay(month: Int, dayOfMonth: Int, weekday: Int) -> Bool {
        switch days {
        case .everyDay: true
        case .weekdays(let set): set.contains(weekday)
        case .cron(let expression): expression.matchesDay(month: month, dayOfMonth: dayOfMonth, weekday: weekday)
        }
    }

    // MARK: - Searching

    /// The first matching local minute in `lower..<upper`.
    func firstMinute(from lower: Int, before upper: Int) -> Int? {
        var minute = lower
        while minute < upper {
            let day = CivilCalendar.floorDiv(minute, CivilCalendar.minutesPerDay)
            let (year, month, dayOfMonth) = CivilCalendar.date(days: day)
            guard months.contains(month) else {
                guard let firstMonth = months.first else { return nil }
                let (nextYear, nextMonth) = months.first(atOrAfter: month + 1).map { (year, $0) }
                    ?? (year + 1, firstMonth)
                minute = CivilCalendar.days(year: nextYear, month: nextMonth, day: 1) * CivilCalendar.minutesPerDay
                continue
            }
            let weekday = CivilCalendar.weekday(days: day)
            if matchesDay(month: month, dayOfMonth: dayOfMonth, weekday: weekday),
               let time = firstTime(atOrAfter: minute - day * CivilCalendar.minutesPerDay) {
                let found = day * CivilCalendar.minutesPerDay + time
                return found < upper ? found : nil
            }
            minute = (day + 1) * CivilCalendar.minutesPerDay
        }
        return nil
    }

    /// The last matching local minute in `lower...upper`.
    func lastMinute(from lower: Int, through upper: Int) -> Int? {
        var minute = upper
        while minute >= lower {
            let day = CivilCalendar.floorDiv(minute, CivilCalendar.minutesPerDay)
            let (year, month, dayOfMonth) = CivilCalendar.date(days: day)
            guard months.contains(month) else {
                guard let lastMonth = months.last else { return nil }
                let (previousYear, previousMonth) = months.last(atOrBefore: month - 1).map { (year, $0) }
                    ?? (year - 1, lastMonth)
                let monthLength = CivilCalendar.daysInMonth(year: previousYear, month: previousMonth)
                let lastDay = CivilCalendar.days(year: previousYear, month: previousMonth, day: monthLength)
                minute = (lastDay + 1) * CivilCalendar.minutesPerDay - 1
                continue
            }
            let weekday = CivilCalendar.weekday(days: day)
            if matchesDay(month: month, dayOfMonth: dayOfMonth, weekday: weekday),
               let time = lastTime(atOrBefore: minute - day * CivilCalendar.minutesPerDay) {
                let found = day * CivilCalendar.minutesPerDay + time
                return found >= lower ? found : nil
            }
            minute = day * CivilCalendar.minutesPerDay - 1
        }
        return nil
    }

    /// The first matching minute of the day at or after `time` (minutes since midnight).
    private func firstTime(atOrAfter time: Int) -> Int? {
        let hour = time / 60
        if hours.contains(hour), let minute = minutes.first(atOrAfter: time % 60) {
            return hour * 60 + minute
        }
        guard let nextHour = hours.first(atOrAfter: hour + 1), let minute = minutes.first else { return nil }
        return nextHour * 60 + minute
    }

    /// The last matching minute of the day at or before `time` (minutes since midnight).
    private func lastTime(atOrBefore time: Int) -> Int? {
        let hour = time / 60
        if hours.contains(hour), let minute = minutes.last(atOrBefore: time % 60) {
            return hour * 60 + minute
        }
        guard let previousHour = hours.last(atOrBefore: hour - 1), let minute = minutes.last else { return nil }
        return previousHour * 60 + minute
    }
}
