import Foundation
import GRDB
import Testing
@testable import SyndicStore
import SyndicTestSupport

/// Dates written by hand as the SQLite state stores them: the very text GRDB's formatter
/// gives, to the byte, so that stored dates compare and sort as before.
@Suite struct StoredDateTextTests {
    /// What GRDB stores for `date`.
    static func grdb(_ date: Date) -> String? {
        String.fromDatabaseValue(date.databaseValue)
    }

    /// Expects the text written here for `date` to be GRDB's (`context` tells the case).
    static func expectSameAsGRDB(_ date: Date, _ context: String = "") {
        let text = StoredDateText.text(date)
        #expect(text == grdb(date), "\(date.timeIntervalSince1970) s since 1970 \(context)")
    }

    @Test func knownDatesReadAsTheyShould() {
        #expect(StoredDateText.text(Date(timeIntervalSince1970: 1_744_187_335)) == "2025-04-09 08:28:55.000")
        #expect(StoredDateText.text(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29 00:00:00.000")
        #expect(StoredDateText.text(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00.000")
        #expect(StoredDateText.text(Date(timeIntervalSince1970: 946_684_799.999)) == "1999-12-31 23:59:59.999")
    }

    /// Timestamps in milliseconds, as a shipment file gives them (13 digits and more).
    @Test func timestampsInMillisecondsAreWrittenAsGRDBWritesThem() {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<20_000 {
            let millis = Int64(random.next() % 9_000_000_000_000) + 1_000_000_000_000
            Self.expectSameAsGRDB(Date(timeIntervalSince1970: Double(millis) / 1000))
        }
    }

    /// Any instant from 1970 to 9999, fractions of a millisecond included.
    @Test func randomInstantsAreWrittenAsGRDBWritesThem() {
        var random = SeededGenerator(seed: 11)
        for _ in 0..<20_000 {
            let seconds = Double(random.next() % 253_402_300_800_000_000) / 1_000_000
            Self.expectSameAsGRDB(Date(timeIntervalSince1970: seconds))
        }
    }

    /// Leap days, the days around them in leap and common years (1900 and 2100 are not leap
    /// years, 2000 and 2400 are), and the last instants of days and years.
    @Test(arguments: [1972, 1999, 2000, 2023, 2024, 2100, 2400, 9996])
    func leapDaysAndYearEndsAreWrittenAsGRDBWritesThem(_ year: Int) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(secondsFromGMT: 0))
        for (month, day) in [(2, 28), (2, 29), (3, 1), (12, 31)] {
            guard let start = calendar.date(from: DateComponents(year: year, month: month, day: day)) else { continue }
            for offset in [0, 0.001, 86_399, 86_399.999, 86_399.9994, 86_399.9996] {
                Self.expectSameAsGRDB(start.addingTimeInterval(offset), "\(year)-\(month)-\(day) + \(offset) s")
            }
        }
    }

    /// The millisecond is the nearest one, as GRDB's formatter takes it (not the one below):
    /// fractions just under, at, and just over the half, and fractions that carry into the
    /// next second, day and year.
    @Test func millisecondsAreRoundedAsGRDBRoundsThem() {
        let bases: [Double] = [1_744_187_335, 946_684_799, 1_709_251_199, 0, 253_402_300_798]
        let fractions: [Double] = [0.0004, 0.00049, 0.0005, 0.00051, 0.0006, 0.0014999, 0.0015, 0.1235, 0.9994999,
                                   0.9995, 0.99951, 0.9999, 0.999_999]
        for base in bases {
            for fraction in fractions {
                Self.expectSameAsGRDB(Date(timeIntervalSince1970: base + fraction), "fraction \(fraction)")
            }
        }
        #expect(StoredDateText.text(Date(timeIntervalSince1970: 946_684_799.9996)) == "2000-01-01 00:00:00.000")
        #expect(StoredDateText.text(Date(timeIntervalSince1970: 1_744_187_335.0004)) == "2025-04-09 08:28:55.000")
    }

    /// Instants outside 1970 through 9999 take GRDB's formatter: the same text.
    @Test(arguments: [-1.0, -0.0004, -12_622_780_800.0, -12_219_379_200.0, 253_402_300_800.0, 300_000_000_000.0])
    func instantsOutsideTheRangeWrittenByHandStillReadAsGRDBWritesThem(_ seconds: Double) {
        Self.expectSameAsGRDB(Date(timeIntervalSince1970: seconds))
    }
}
