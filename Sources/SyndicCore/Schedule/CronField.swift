/// One of the five fields of a cron expression, with its bounds, names and parser.
enum CronField: Int, CaseIterable, Sendable {
    case minute = 1, hour, dayOfMonth, month, dayOfWeek

    /// The field's name in messages.
    var name: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// The values the field accepts; day-of-week accepts 7 as a second Sunday.
    var bounds: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// The values `*` stands for.
    private var wholeRange: ClosedRange<Int> {
        self == .dayOfWeek ? 0...6 : bounds
    }

    /// Names accepted instead of numbers, the first one standing for `nameBase`.
    private var names: [String] {
        switch self {
        case .month: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        case .dayOfWeek: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        default: []
        }
    }

    private var nameBase: Int { self == .month ? 1 : 0 }

    // MARK: - Parsing

    /// Parses the field's text (`*`, `a`, `a-b`, lists and `/n` steps) into its set of values.
    func parse(_ text: Substring) throws(ScheduleError) -> SmallIntSet {
        var set = SmallIntSet()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            if item.isEmpty { throw error(text, "empty list item") }
            for value in try values(of: item) {
                set.insert(self == .dayOfWeek && value == 7 ? 0 : value)
            }
        }
        return set
    }

    /// The values one list item stands for.
    private func values(of item: Substring) throws(ScheduleError) -> StrideThrough<Int> {
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw error(item, "more than one step") }
        let base = parts[0]
        var range: ClosedRange<Int>
        if base == "*" {
            range = wholeRange
        } else if base.contains("-") {
            let ends = base.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count == 2 else { throw error(item, "expected a range a-b") }
            let low = try value(ends[0], in: item)
            let high = try value(ends[1], in: item)
            guard low <= high else { throw error(item, "range start \(ends[0]) is after its end \(ends[1])") }
            range = low...high
        } else {
            let single = try value(base, in: item)
            range = single...(parts.count == 2 ? bounds.upperBound : single)
        }
        var step = 1
        if parts.count == 2 {
            let stepText = parts[1]
            guard !stepText.isEmpty, stepText.allSatisfy(\.isASCIIDigit), let number = Int(stepText) else {
                throw error(item, "step \"\(stepText)\" is not a number")
            }
            guard number >= 1 else { throw error(item, "step must be at least 1") }
            step = number
        }
        return stride(from: range.lowerBound, through: range.upperBound, by: step)
    }

    /// Reads one number or name of this field.
    private func value(_ token: Substring, in item: Substring) throws(ScheduleError) -> Int {
        let subject = token == item ? "value" : "value \(token)"
        if token.isEmpty { throw error(item, "missing value") }
        if token.allSatisfy(\.isASCIIDigit) {
            guard let number = Int(token), bounds.contains(number) else {
                throw error(item, "\(subject) out of range \(bounds.lowerBound)-\(bounds.upperBound)")
            }
            return number
        }
        if let index = names.firstIndex(of: token.lowercased()) {
            return nameBase + index
        }
        if names.isEmpty {
            throw error(item, token == item ? "not a number" : "\"\(token)\" is not a number")
        }
        let expected = "\(bounds.lowerBound)-\(bounds.upperBound) or \(names[0])-\(names[names.count - 1])"
        let name = token == item ? "" : " \"\(token)\""
        throw error(item, "unknown name\(name), expected \(expected)")
    }

    private func error(_ text: Substring, _ problem: String) -> ScheduleError {
        ScheduleError("cron field \(rawValue) (\(name)) \"\(text)\": \(problem)")
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
