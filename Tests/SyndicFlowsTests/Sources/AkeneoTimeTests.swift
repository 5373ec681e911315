import Foundation
import Testing
@testable import SyndicFlows

/// Akeneo's dates: filter values in the PIM's zone, offsets of its ISO 8601 values, and the
/// HTTP `Date` header that tells its clock.
@Suite struct AkeneoTimeTests {
    @Test func filterDatesAreWrittenInThePIMsOffset() {
        let date = Date(timeIntervalSince1970: 1_709_287_199.9)  // 2024-03-01 09:59:59.9 UTC
        #expect(AkeneoTime.searchText(date, utcOffset: 0) == "2024-03-01 09:59:59")
        #expect(AkeneoTime.searchText(date, utcOffset: 7200) == "2024-03-01 11:59:59")
        #expect(AkeneoTime.searchText(date, utcOffset: -36_000) == "2024-02-29 23:59:59", "leap day, day before")
        #expect(AkeneoTime.searchText(Date(timeIntervalSince1970: 0), utcOffset: -1) == "1969-12-31 23:59:59")
        #expect(AkeneoTime.searchText(Date(timeIntervalSince1970: 951_782_400), utcOffset: 0) == "2000-02-29 00:00:00")
    }

    @Test func theDeltaStartsTheOverlapBeforeTheWatermark() {
        let since = Date(timeIntervalSince1970: 1_709_287_200)  // 2024-03-01 10:00:00 UTC
        // 70 minutes: 10, and an hour for the daylight saving change the learned offset may miss.
        #expect(AkeneoTime.deltaStart(SourceWatermark(since: since, utcOffset: 0, origin: "")) == "2024-03-01 08:50:00")
        #expect(AkeneoTime.deltaStart(SourceWatermark(since: since, utcOffset: 3600, origin: "")) == "2024-03-01 09:50:00")
    }

    @Test func offsetsAreReadFromISODates() {
        #expect(AkeneoTime.utcOffset(of: "2024-03-01T10:00:00+02:00") == 7200)
        #expect(AkeneoTime.utcOffset(of: "2024-03-01T10:00:00-05:30") == -19_800)
        #expect(AkeneoTime.utcOffset(of: "2024-03-01T10:00:00+0100") == 3600)
        #expect(AkeneoTime.utcOffset(of: "2024-03-01T10:00:00+00:00") == 0)
        #expect(AkeneoTime.utcOffset(of: "2024-03-01T10:00:00Z") == 0)
        #expect(AkeneoTime.utcOffset(of: "2024-03-01T10:00:00") == nil)
        #expect(AkeneoTime.utcOffset(of: "2024-03-01") == nil)
        #expect(AkeneoTime.utcOffset(of: "2024-03-01T10:00:00+2") == nil)
    }

    @Test func httpDatesAreIMFFixdates() {
        #expect(AkeneoTime.httpDate("Sun, 06 Nov 1994 08:49:37 GMT") == Date(timeIntervalSince1970: 784_111_777))
        #expect(AkeneoTime.httpDate("Fri, 01 Mar 2024 10:00:00 GMT") == Date(timeIntervalSince1970: 1_709_287_200))
        #expect(AkeneoTime.httpDate("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        #expect(AkeneoTime.httpDate("Sun Nov  6 08:49:37 1994") == nil)
        #expect(AkeneoTime.httpDate("Sun, 06 Nov 1994 08:49:37 CET") == nil)
        #expect(AkeneoTime.httpDate("Sun, 06 Foo 1994 08:49:37 GMT") == nil)
    }

    @Test func calendarDaysRoundTrip() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let (year, month, day) = AkeneoTime.civil(days: days)
            #expect(AkeneoTime.days(year: year, month: month, day: day) == days)
        }
        #expect(AkeneoTime.days(year: 1970, month: 1, day: 1) == 0)
        let civil = AkeneoTime.civil(days: 19_783)
        #expect(civil.year == 2024 && civil.month == 3 && civil.day == 1)
    }
}
