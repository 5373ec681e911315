import Testing
@testable import SyndicCore

/// Prices and metrics read straight from the JSON text the scanner keeps give the cells the
/// parsed product gives, whatever the text holds (escapes, numbers, repeated or odd keys).
struct MappingFieldTests {
    static let mapping: [String: MappingValue] = [
        "amount": .expression("price@EUR"), "usd": .expression("price@USD"), "label": .expression("price@currency"),
        "metric": .expression("weight@unit"), "plain": .expression("price"), "weight": .expression("weight"),
    ]

    /// A product whose `price` and `weight` both hold `data`.
    static func product(_ data: String) -> String {
        #"{"uuid": "u-1", "values": {"price": [{"locale": null, "scope": null, "data": \#(data)}], "#
            + #""weight": [{"scope": null, "data": \#(data), "locale": null}]}}"#
    }

    /// The row of `data` mapped from the scanned fields (data kept as text) and from fields
    /// holding the same data parsed.
    static func rows(_ data: String, currency: String?) throws -> (scanned: [String], parsed: [String], keptAsText: Bool) {
        let engine = try MappingEngine(mapping: mapping, context: MappingContext(scope: "ecommerce", locales: ["fr_FR"],
                                                                                  valueSeparator: "|", currency: currency))
        let scanner = ProductScanner(ProductProjection(properties: ["uuid"], attributes: ["price", "weight"]))
        let fields = try ExportFixtures.scan(scanner, product(data)).get()
        // The same entries with their data parsed (as `entries` reads it from the text).
        var values: [String: Value] = [:]
        for entry in fields.entries {
            values[entry.attribute] = .list([.object(["locale": .null, "scope": .null, "data": entry.data])])
        }
        let parsedFields = ProductFields(product: .object(["uuid": .string("u-1"), "values": .object(values)]))
        var scanned: [String] = []
        var parsed: [String] = []
        #expect(engine.map(fields, into: &scanned) == nil)
        #expect(engine.map(parsedFields, into: &parsed) == nil)
        return (scanned, parsed, fields.withDataText(at: 0) { (_: inout JSONCursor) -> Bool in true } ?? false)
    }

    @Test(arguments: [
        #"[{"amount": "740.00", "currency": "EUR"}, {"amount": "640.00", "currency": "GBP"}]"#,
        #"[{"currency": "GBP", "amount": "1.50"}, {"amount": null, "currency": "EUR"}, {"amount": "2.00", "currency": "EUR"}]"#,
        #"[{"amount": 740, "currency": "EUR"}, {"amount": 12.50, "currency": "GBP"}]"#,
        #"[{"amount": "7\u00340", "currency": "EUR"}, {"amount": "1", "currency": "G\u0042P"}]"#,
        #"[{"amount": "1", "currency": "EUR", "amount": "2"}]"#,
        #"[{"amount": "1", "currency": "EUR", "note": "x"}, {"amount": "3", "currency": "EUR"}]"#,
        #"[{"amount": "1", "unit": "GRAM"}, {"amount": "3", "currency": "USD"}]"#,
        #"[{"a": 1}, "x", {"amount": "9", "currency": "USD"}, [1], null, {}]"#,
        #"[{"amount": "3", "currency": null}, {"amount": "", "currency": "EUR"}, {"amount": "4", "currency": true}]"#,
        #"[ {"am\u006funt": "4", "currency": "EUR"} ,{ "amount" : "5" , "currency" : "GBP" } ]"#,
        #"{"amount": "800.0000", "unit": "GRAM"}"#,
        #"{ "unit" : "KILOGRAM" , "amount" : "1.0" }"#,
        #"{"amount": "5", "currency": "EUR"}"#,
        #"{"amount": "5", "currency": "EUR", "unit": "GRAM"}"#,
        #"{"amount": "", "unit": "GRAM"}"#,
        #"{"amount": 3000, "unit": "MMT"}"#,
        #"{"amount": "1", "unit": "G\"M"}"#,
        #"{"table": [{"amount": "1", "currency": "EUR"}]}"#,
    ])
    func textGivesTheCellsOfTheParsedData(_ data: String) throws {
        for currency in [nil, "GBP", "CHF"] {
            let rows = try Self.rows(data, currency: currency)
            #expect(rows.keptAsText)
            #expect(rows.scanned == rows.parsed, "\(data) with currency \(currency ?? "none")")
        }
    }

    @Test func pricesAndMetricsRenderFromText() throws {
        let prices = try Self.rows(#"[{"amount": "740.00", "currency": "EUR"}, {"amount": "640.00", "currency": "GBP"}]"#,
                                   currency: "GBP")
        // Targets in name order: amount, label, metric, plain, usd, weight.
        #expect(prices.scanned == ["740.00", "640.00 GBP", "", "740.00 EUR|640.00 GBP", "", "740.00 EUR|640.00 GBP"])
        let metric = try Self.rows(#"{"amount": "800.0000", "unit": "GRAM"}"#, currency: nil)
        #expect(metric.scanned == ["", "", "800.0000 GRAM", "800.0000", "", "800.0000"])
    }
}
