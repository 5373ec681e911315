import Foundation
import Testing
@testable import SyndicCore

struct ExportFileNameTests {
    @Test func productsFileNameNamesChannelAndDate() {
        let date = Date(timeIntervalSince1970: 1_744_385_854.5132)
        #expect(ExportFileName.products(channel: "mirakl_fr", at: date)
            == "products_export_mirakl_fr_2025-04-11T15-37-34.5132.csv")
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00-00-00.0000"),
        (946_782_245.5, "2000-01-02T03-04-05.5000"),
        (946_782_245.0625, "2000-01-02T03-04-05.0625"),
        (946_782_245.25, "2000-01-02T03-04-05.2500"),
        // Four decimals, rounded down: never up into the next second.
        (946_782_245.99999, "2000-01-02T03-04-05.9999"),
        (946_782_245.51329, "2000-01-02T03-04-05.5132"),
        (946_782_245.00004, "2000-01-02T03-04-05.0000"),
        (1_744_385_854.5132, "2025-04-11T15-37-34.5132"),
        // Leap day, end of year, before 1970.
        (951_782_400.0, "2000-02-29T00-00-00.0000"),
        (1_767_225_599.5, "2025-12-31T23-59-59.5000"),
        (-0.5, "1969-12-31T23-59-59.5000"),
    ])
    func isoDateIsUTCWithFourDecimals(_ seconds: Double, _ expected: String) {
        #expect(ExportFileName.isoDate(Date(timeIntervalSince1970: seconds)) == expected)
    }
}
