import Foundation
import SyndicCore
import GRDB

/// Dates as the SQLite state keeps them: the text GRDB stores for a `Date`,
/// `yyyy-MM-dd HH:mm:ss.SSS` in UTC, written here byte by byte. GRDB formats every date
/// through a `DateFormatter`, which costs more than the rest of a shipment row; the text
/// here is the same to the byte, so stored dates still compare and sort as before.
enum StoredDateText {
    /// Seconds from 1970 to 2001, where `Date` counts from.
    private static let secondsFrom1970To2001 = 978_307_200.0
    /// The milliseconds since 1970 written here: from 1970-01-01 through 9999-12-31. Other
    /// dates (the formatter writes years before 1583 in the Julian calendar, and years past
    /// 9999 with more digits) take GRDB's formatter.
    private static let handled: ClosedRange<Double> = 0...253_402_300_799_999

    /// The text GRDB stores for `date`.
    ///
    /// The formatter (Core Foundation over ICU) takes the nearest whole millisecond,
    /// ⌊(seconds since 2001 + 978,307,200) × 1000 + 0.5⌋, computed in doubles; so does this.
    /// An instant a hair's breadth from the middle of two milliseconds, where the last bit of
    /// that arithmetic decides (a platform may fuse its multiply and add), takes the formatter.
    static func text(_ date: Date) -> String {
        let exact = (date.timeIntervalSinceReferenceDate + secondsFrom1970To2001) * 1000
        guard handled.contains(exact), abs(exact - exact.rounded(.down) - 0.5) > 8 * exact.ulp else {
            return String.fromDatabaseValue(date.databaseValue) ?? ""
        }
        return text(millis: Int((exact + 0.5).rounded(.down)))
    }

    /// `millis` (since 1970, not negative) as `yyyy-MM-dd HH:mm:ss.SSS`.
    private static func text(millis: Int) -> String {
        let days = millis / 86_400_000
        let millisOfDay = millis - days * 86_400_000
        let (year, month, day) = CivilCalendar.date(days: days)
        let second = millisOfDay / 1000
        return String(unsafeUninitializedCapacity: 23) { buffer in
            func put(_ value: Int, width: Int, at offset: Int) {
                var rest = value
                var position = offset + width - 1
                while position >= offset {
                    buffer[position] = UInt8(truncatingIfNeeded: 48 + rest % 10)
                    rest /= 10
                    position -= 1
                }
            }
            put(year, width: 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(month, width: 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(day, width: 2, at: 8)
            buffer[10] = UInt8(ascii: " ")
            put(second / 3600, width: 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put(second / 60 % 60, width: 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(second % 60, width: 2, at: 17)
            buffer[19] = UInt8(ascii: ".")
            put(millisOfDay % 1000, width: 3, at: 20)
            return 23
        }
    }
}
