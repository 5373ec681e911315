import Foundation
import Testing
@testable import SyndicCore

/// ISO 8601 date-times as marketplaces write them, read and written by hand.
@Suite struct ISODateTests {
    static let base = 1_731_700_564.0 // 2024-11-15T19:56:04Z

    @Test(arguments: [
        ("2024-11-15T19:56:04Z", base),
        ("2024-11-15T19:56:04z", base),
        ("2024-11-15t19:56:04Z", base),
        ("2024-11-15 19:56:04Z", base),
        ("2024-11-15T19:56:04", base),
        ("2024-11-15T19:56:04.000Z", base),
        ("2024-11-15T19:56:04.5Z", base + 0.5),
        ("2024-11-15T19:56:04,25Z", base + 0.25),
        ("2024-11-15T19:56Z", base - 4),
        ("2024-11-15T21:56:04+02:00", base),
        ("2024-11-15T21:56:04+0200", base),
        ("2024-11-15T21:56:04+02", base),
        ("2024-11-15T14:26:04-05:30", base),
        ("2024-11-15T19:56:04.250+00:00", base + 0.25),
        ("2024-11-15", 1_731_628_800),
        ("1970-01-01T00:00:00Z", 0),
        ("2024-02-29T00:00:00Z", 1_709_164_800),
        ("1969-12-31T23:59:59Z", -1),
    ])
    func parsesTheForms(_ text: String, _ seconds: Double) throws {
        let date = try #require(ISODate.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_001, "\(text)")
    }

    @Test(arguments: [
        "", "2024", "2024-11", "2024-13-01T00:00:00Z", "2024-00-10", "2024-11-31", "2023-02-29", "2024-11-15T24:00:00Z",
        "2024-11-15T19:60:00Z", "2024-11-15T19:56:61Z", "2024-11-15T19:56:04.Z", "2024-11-15T19:56:04Zjunk",
        "2024-11-15T19:56:04 UTC", "2024-11-15T19:56:04+2", "24-11-15T19:56:04Z", "2024/11/15", "2024-11-15T", "2024-11-15T19",
        "2024-11-15T19:56:4Z", "tomorrow", "1744187335000",
    ])
    func rejectsWhatIsNotADateTime(_ text: String) {
        #expect(ISODate.parse(text) == nil, "\(text)")
    }

    @Test(arguments: [
        (base, "2024-11-15T19:56:04.000Z"),
        (base + 0.25, "2024-11-15T19:56:04.250Z"),
        (base + 0.9999, "2024-11-15T19:56:04.999Z"),
        (0, "1970-01-01T00:00:00.000Z"),
        (-0.5, "1969-12-31T23:59:59.500Z"),
        (1_735_689_599.999, "2024-12-31T23:59:59.999Z"),
        (951_782_400, "2000-02-29T00:00:00.000Z"),
    ])
    func writesUTCWithMilliseconds(_ seconds: Double, _ expected: String) {
        #expect(ISODate.milliseconds(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func millisecondsReadBackToTheSameInstant() throws {
        for millis in stride(from: 0, to: 1000, by: 7) {
            let date = Date(timeIntervalSince1970: Self.base + Double(millis) / 1000)
            let text = ISODate.milliseconds(date)
            #expect(text == "2024-11-15T19:56:04." + String(repeating: "0", count: 3 - String(millis).count) + "\(millis)Z")
            let back = try #require(ISODate.parse(text))
            #expect(abs(back.timeIntervalSince(date)) < 0.000_5)
        }
    }

    @Test func writesUTCToTheSecond() {
        #expect(ISODate.seconds(Date(timeIntervalSince1970: Self.base + 0.75)) == "2024-11-15T19:56:04Z")
    }
}
