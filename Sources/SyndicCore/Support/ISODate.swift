import Foundation

/// ISO 8601 date-times as marketplaces write them (`2025-06-02T08:14:05Z`,
/// `2024-11-15T19:56:04.000Z`, `2025-06-02T10:14:05+02:00`), read and written by hand: the
/// order flows handle hundreds of thousands of them.
public enum ISODate {
    /// The instant `text` names, or nil when it is not an ISO 8601 date-time (a date alone
    /// reads as midnight UTC; no zone reads as UTC).
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<count {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
                index += 1
            }
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2),
              (1...12).contains(month), day >= 1, day <= CivilCalendar.daysInMonth(year: year, month: month) else { return nil }
        var seconds = CivilCalendar.days(year: year, month: month, day: day) * 86_400
        var fraction = 0.0
        if index == bytes.count { return Date(timeIntervalSince1970: Double(seconds)) }
        guard expect(84) || expect(116) || expect(32), let hour = digits(2), expect(58), let minute = digits(2),
              hour < 24, minute < 60 else { return nil }
        seconds += hour * 3600 + minute * 60
        if expect(58) {
            guard let second = digits(2), second < 61 else { return nil }
            seconds += second
            if expect(46) || expect(44) {
                var scale = 0.1
                var any = false
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    fraction += Double(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                    any = true
                }
                guard any else { return nil }
            }
        }
        if index < bytes.count {
            if expect(90) || expect(122) {
                // UTC
            } else if bytes[index] == 43 || bytes[index] == 45 {
                let sign = bytes[index] == 45 ? -1 : 1
                index += 1
                guard let offsetHours = digits(2) else { return nil }
                _ = expect(58)
                let offsetMinutes = digits(2) ?? 0
                seconds -= sign * (offsetHours * 3600 + offsetMinutes * 60)
            } else {
                return nil
            }
        }
        guard index == bytes.count else { return nil }
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// `2024-11-15T19:56:04.000Z`: UTC with milliseconds, the form of the order export.
    public static func milliseconds(_ date: Date) -> String {
        let millis = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = CivilCalendar.floorDiv(millis, 1000)
        let days = CivilCalendar.floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.date(days: days)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(secondOfDay / 3600, 2) + ":"
            + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2) + "." + pad(millis - seconds * 1000, 3) + "Z"
    }

    /// `2025-06-02T08:14:05Z`: UTC to the second, the form marketplaces take in queries.
    public static func seconds(_ date: Date) -> String {
        Timestamp.iso(date, zone: utc)
    }

    private static let utc = TimeZone(identifier: "UTC")!

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
