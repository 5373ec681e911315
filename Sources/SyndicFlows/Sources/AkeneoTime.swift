import Foundation

/// Akeneo's dates: the `YYYY-MM-DD hh:mm:ss` of its `search` filters (read in the PIM's time
/// zone), the UTC offset its `created`/`updated` values carry (ISO 8601,
/// `2024-03-01T10:00:00+02:00`), and the HTTP `Date` header of its answers (RFC 7231
/// IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`), which tells the PIM's clock.
///
/// Plain integer calendar arithmetic (proleptic Gregorian), no formatter: the same text
/// whatever the host's locale or time zone.
enum AkeneoTime {
    /// How far before the watermark an updated-since delta starts reading: 10 minutes (a
    /// product saved just before is not searchable yet, whole seconds, a little clock drift)
    /// and one hour more (the PIM's offset, learned from a product's date, may differ by the
    /// daylight saving hour from its offset now, even when it was learned as UTC). Products
    /// re-read by the overlap whose output is unchanged are not sent.
    static let overlap: TimeInterval = 600 + 3600

    /// The first date an updated-since delta from `watermark` asks for, as Akeneo's filter
    /// reads it: the watermark minus the overlap, in the PIM's offset.
    static func deltaStart(_ watermark: SourceWatermark) -> String {
        searchText(watermark.since.addingTimeInterval(-overlap),
                   utcOffset: watermark.utcOffset)
    }

    /// `date` as `YYYY-MM-DD hh:mm:ss` at `utcOffset` seconds east of UTC (whole seconds,
    /// rounded down).
    static func searchText(_ date: Date, utcOffset: Int) -> String {
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + utcOffset
        var (days, seconds) = local.quotientAndRemainder(dividingBy: 86_400)
        if seconds < 0 {
            days -= 1
            seconds += 86_400
        }
        let (year, month, day) = civil(days: days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) "
            + "\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2))"
    }

    /// The UTC offset in seconds of an ISO 8601 date-time (`…T10:00:00+02:00`, `-0500`,
    /// `+02`, `Z`); nil when it carries none.
    static func utcOffset(of text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard let time = bytes.firstIndex(of: UInt8(ascii: "T")) else { return nil }
        if bytes.last == UInt8(ascii: "Z") || bytes.last == UInt8(ascii: "z") { return 0 }
        guard let sign = bytes[time...].lastIndex(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }) else {
            return nil
        }
        let digits = bytes[(sign + 1)...].filter { $0 != UInt8(ascii: ":") }
        guard digits.count == 2 || digits.count == 4, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let values = digits.map { Int($0 - 0x30) }
        let hours = values[0] * 10 + values[1]
        let minutes = values.count == 4 ? values[2] * 10 + values[3] : 0
        guard hours <= 14, minutes < 60 else { return nil }
        let offset = hours * 3600 + minutes * 60
        return bytes[sign] == UInt8(ascii: "-") ? -offset : offset
    }

    /// The date of an HTTP `Date` header in the IMF-fixdate form (`Sun, 06 Nov 1994 08:49:37
    /// GMT`); nil for any other text.
    static func httpDate(_ text: String) -> Date? {
        let fields = text.split(separator: " ")
        guard fields.count == 6, fields[0].hasSuffix(","), fields[5] == "GMT",
              let day = Int(fields[1]), (1...31).contains(day),
              let month = months.firstIndex(of: String(fields[2])),
              let year = Int(fields[3]), fields[3].count == 4 else { return nil }
        let clock = fields[4].split(separator: ":")
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let since1970 = days(year: year, month: month + 1, day: day)
        return Date(timeIntervalSince1970: TimeInterval(since1970 * 86_400 + hour * 3600 + minute * 60 + second))
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Days from 1970-01-01 to a civil date.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date `days` after 1970-01-01.
    static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let marchMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * marchMonth + 2) / 5 + 1
        let month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ number: Int, _ width: Int) -> String {
        let text = String(number)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
