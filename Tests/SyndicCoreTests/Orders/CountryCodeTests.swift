import Testing
@testable import SyndicCore

/// Country codes to alpha-2, as the order export writes them.
@Suite struct CountryCodeTests {
    @Test(arguments: [
        ("FRA", "FR"), ("fra", "FR"), (" DEU ", "DE"), ("GBR", "GB"), ("USA", "US"), ("ESP", "ES"), ("CHE", "CH"),
        ("MYT", "YT"), ("XKX", "XK"), ("FR", "FR"), ("fr", "FR"), ("ZZZ", "ZZZ"), ("EU", "EU"), ("France", "FRANCE"),
    ])
    func alpha3AndAlpha2ReadAsAlpha2(_ code: String, _ expected: String) {
        #expect(CountryCode.alpha2(code) == expected)
    }

    @Test(arguments: [nil, "", "   "] as [String?])
    func blankIsNil(_ code: String?) {
        #expect(CountryCode.alpha2(code) == nil)
    }

    @Test func everyAlpha3MapsToATwoLetterCodeAndNoCodeTwice() {
        let table = CountryCode.byAlpha3
        #expect(table.count >= 249)
        for (three, two) in table {
            #expect(three.count == 3 && three.allSatisfy(\.isUppercase), "\(three)")
            #expect(two.count == 2 && two.allSatisfy(\.isUppercase), "\(three) → \(two)")
        }
        #expect(Set(table.values).count == table.count, "two alpha-3 codes share one alpha-2 code")
    }
}
