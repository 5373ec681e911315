/// Encodes a schedule as its configuration keys (`every`, `at`, `days`, `cron`), so it
/// decodes straight from the configuration and round-trips.
extension Schedule: Codable {
    private enum CodingKeys: String, CodingKey {
        case every, at, days, cron
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let every = try container.decodeIfPresent(String.self, forKey: .every)
        let at = try container.decodeIfPresent(String.self, forKey: .at)
        let days = try container.decodeIfPresent([String].self, forKey: .days)
        let cron = try container.decodeIfPresent(String.self, forKey: .cron)
        do {
            self = try Schedule(every: every, at: at, days: days, cron: cron)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.message)
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .every(let minutes):
            try container.encode(Schedule.intervalText(minutes), forKey: .every)
        case .daily(let hour, let minute):
            try container.encode(Schedule.timeText(hour, minute), forKey: .at)
        case .weekly(let hour, let minute, let days):
            try container.encode(Schedule.timeText(hour, minute), forKey: .at)
            try container.encode(days.map(\.code), forKey: .days)
        case .cron(let expression):
            try container.encode(expression.source, forKey: .cron)
        }
    }
}

extension Schedule {
    /// The schedule as its configuration keys (`{"every": "15m"}`, `{"at": "02:30", "days": [...]}`,
    /// `{"cron": "..."}`), the form the state stores.
    public var writtenForm: Value {
        switch self {
        case .every(let minutes): return .object(["every": .string(Schedule.intervalText(minutes))])
        case .daily(let hour, let minute): return .object(["at": .string(Schedule.timeText(hour, minute))])
        case .weekly(let hour, let minute, let days):
            return .object(["at": .string(Schedule.timeText(hour, minute)), "days": .list(days.map { .string($0.code) })])
        case .cron(let expression): return .object(["cron": .string(expression.source)])
        }
    }
}
