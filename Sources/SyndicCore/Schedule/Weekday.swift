/// A day of the week, numbered like Foundation's `Calendar` (Sunday is 1).
public enum Weekday: Int, CaseIterable, Comparable, Hashable, Sendable, Codable {
    case sun = 1, mon, tue, wed, thu, fri, sat

    /// The lower-case three-letter code used in configuration: `mon`, `thu`, …
    public var code: String {
        switch self {
        case .sun: "sun"
        case .mon: "mon"
        case .tue: "tue"
        case .wed: "wed"
        case .thu: "thu"
        case .fri: "fri"
        case .sat: "sat"
        }
    }

    /// Reads a lower-case three-letter code; nil for anything else.
    public init?(code: String) {
        guard let day = Weekday.allCases.first(where: { $0.code == code }) else { return nil }
        self = day
    }

    /// The cron day-of-week number: 0 for Sunday through 6 for Saturday.
    var cronNumber: Int { rawValue - 1 }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    // MARK: - Codable (as the three-letter code)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let code = try container.decode(String.self)
        guard let day = Weekday(code: code) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "unknown day \"\(code)\", expected one of \(Weekday.codeList)"
            )
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    /// All codes, Monday first, for messages: "mon, tue, wed, thu, fri, sat, sun".
    static let codeList = "mon, tue, wed, thu, fri, sat, sun"
}
