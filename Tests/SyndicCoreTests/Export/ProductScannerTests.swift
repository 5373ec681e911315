import Testing
@testable import SyndicCore
import SyndicTestSupport

private func lookup(_ attribute: String, _ locale: String?, _ scope: String?) -> AttributeLookup {
    AttributeLookup(attribute: attribute, locale: locale, scope: scope)
}

struct ProductScannerTests {
    /// A product with every kind of entry: global, localizable, scopable, both.
    static let product = #"""
        {"uuid": "u-1", "family": "shoes", "identifier": "SHOE-1", "categories": ["summer"],
         "values": {
           "sku": [{"locale": null, "scope": null, "data": "SHOE-1"}],
           "description": [{"locale": null, "scope": null, "data": "global"},
                           {"locale": "en_US", "scope": null, "data": "en"},
                           {"scope": "ecommerce", "data": "en-ecom", "locale": "en_US"},
                           {"locale": "fr_FR", "scope": "ecommerce", "data": "fr-ecom"},
                           {"locale": null, "scope": "mobile", "data": "mobile"},
                           {"locale": "de_DE", "scope": "print", "data": "de-print"}],
           "price": [{"locale": null, "scope": null, "data": [{"amount": "740.00", "currency": "EUR"}]}]
         },
         "updated": "2024-05-02T08:30:00+00:00"}
        """#

    static func scanned(_ projection: ProductProjection, _ text: String = product) throws -> ProductFields {
        try ExportFixtures.scan(ProductScanner(projection), text).get()
    }

    // MARK: - Projection

    @Test func keepsOnlyProjectedPropertiesInTextOrder() throws {
        let fields = try Self.scanned(ProductProjection(properties: ["identifier", "family", "parent"], attributes: []))
        #expect(fields.properties.map(\.name) == ["family", "identifier"])
        #expect(fields.property("identifier") == .string("SHOE-1"))
        #expect(fields.property("family") == .string("shoes"))
        #expect(fields.property("uuid") == nil)
        #expect(fields.property("parent") == nil)
        #expect(fields.entries.isEmpty)
    }

    @Test func keepsOnlyProjectedAttributes() throws {
        let fields = try Self.scanned(ProductProjection(properties: [], attributes: ["sku", "price", "color"]))
        #expect(ExportFixtures.entries(fields) == [
            "sku|-|-|\"SHOE-1\"",
            #"price|-|-|[{"amount":"740.00","currency":"EUR"}]"#,
        ])
        #expect(fields.properties.isEmpty)
    }

    @Test func keepsEveryAttributeWhenAskedTo() throws {
        let fields = try Self.scanned(ProductProjection(properties: [], attributes: [], allAttributes: true))
        #expect(fields.entries.count == 8)
        #expect(Set(fields.entries.map(\.attribute)) == ["sku", "description", "price"])
    }

    @Test(arguments: [
        // No lookup for the attribute: every entry.
        ([AttributeLookup](), ["global", "en", "en-ecom", "fr-ecom", "mobile", "de-print"]),
        ([lookup("description", "en_US", "ecommerce")], ["global", "en", "en-ecom"]),
        ([lookup("description", nil, nil)], ["global"]),
        ([lookup("description", nil, "mobile")], ["global", "mobile"]),
        ([lookup("description", "en_US", nil)], ["global", "en"]),
        ([lookup("description", "fr_FR", "ecommerce"), lookup("description", nil, "mobile")],
         ["global", "fr-ecom", "mobile"]),
        ([lookup("description", "it_IT", "print")], ["global"]),
    ])
    func keepsOnlyEntriesSomeLookupCanPick(_ lookups: [AttributeLookup], _ kept: [String]) throws {
        let projection = ProductProjection(properties: [], attributes: ["description"],
                                           lookups: lookups.isEmpty ? [:] : ["description": lookups])
        let fields = try Self.scanned(projection)
        #expect(fields.entries.map(\.data) == kept.map(Value.string))
        let whole = ProductFields(product: try ExportFixtures.value(Self.product))
        for lookup in lookups {
            #expect(fields.data("description", locale: lookup.locale, scope: lookup.scope)
                == whole.data("description", locale: lookup.locale, scope: lookup.scope))
        }
    }

    @Test func replacesWhatTheFieldsHeld() throws {
        let scanner = ProductScanner(ProductProjection(properties: ["identifier"], attributes: ["sku"]))
        var fields = ProductFields()
        try ExportFixtures.withBytes(Self.product) { try scanner.scan($0, into: &fields) }
        try ExportFixtures.withBytes(#"{"identifier": "OTHER"}"#) { try scanner.scan($0, into: &fields) }
        #expect(fields.properties.map(\.name) == ["identifier"])
        #expect(fields.key == "OTHER")
        #expect(fields.entries.isEmpty)
    }

    // MARK: - Text

    @Test func decodesEscapedKeysAndStrings() throws {
        let text = #"""
            {"identifier": "A\"B\\C\nD\u00e9\ud83d\ude00",
             "values": {"caf\u00e9": [{"locale": "en_US", "scope": null, "data": "tab\there \/ \"quoted\""}]}}
            """#
        let fields = try Self.scanned(ProductProjection(properties: ["identifier"], attributes: [], allAttributes: true), text)
        #expect(fields.key == "A\"B\\C\nDé😀")
        #expect(ExportFixtures.entries(fields) == [#"café|en_US|-|"tab\there / \"quoted\"""#])
    }

    @Test func skipsMembersHoldingBracketsAndQuotesInStrings() throws {
        let text = #"""
            {"junk": {"a": "}]\"{[", "b": [[], {}, "\\", [{"c": "]"}]], "d": "\\\"}"},
             "long": "0123456789012345678901234567890123456789 \" } ] \\",
             "list": [1, -2.5e3, true, null, "x"],
             "values": {"other": [{"data": {"deep": [["]]"]]}}], "sku": [{"data": "S"}]},
             "identifier": "FOUND"}
            """#
        let fields = try Self.scanned(ProductProjection(properties: ["identifier"], attributes: ["sku"]), text)
        #expect(fields.key == "FOUND")
        #expect(ExportFixtures.entries(fields) == [#"sku|-|-|"S""#])
    }

    @Test func nullValuesHoldNoEntries() throws {
        let fields = try Self.scanned(ProductProjection(properties: ["identifier"], attributes: ["sku"]),
                                      #"{"values": null, "identifier": "A"}"#)
        #expect(fields.key == "A")
        #expect(fields.entries.isEmpty)
    }

    @Test func oddEntriesAreSkipped() throws {
        let text = #"""
            {"values": {"sku": null, "name": [null, "x", {}, {"locale": 5, "data": "n"}, {"other": 1}], "color": {}}}
            """#
        let fields = try Self.scanned(ProductProjection(properties: [], attributes: ["sku", "name", "color"]), text)
        #expect(ExportFixtures.entries(fields) == ["name|-|-|null", #"name|-|-|"n""#, "name|-|-|null"])
    }

    @Test(arguments: [
        ("0", Value.int(0)),
        ("-12", .int(-12)),
        ("3.25", .double(3.25)),
        ("-2.5E-2", .double(-0.025)),
        ("1e3", .double(1000)),
        ("12345678901234567890", .double(12_345_678_901_234_567_890.0)),
        ("true", .bool(true)),
        ("null", .null),
        (#"[1, "a", {"b": []}]"#, .list([.int(1), .string("a"), .object(["b": .list([])])])),
    ])
    func keepsPropertyValues(_ json: String, _ expected: Value) throws {
        let fields = try Self.scanned(ProductProjection(properties: ["n"], attributes: []), #"{"n": \#(json)}"#)
        #expect(fields.property("n") == expected)
    }

    // MARK: - Errors

    @Test(arguments: [
        ("", 0, "empty product"),
        ("[]", 0, "expected {"),
        (#"  "x""#, 2, "expected {"),
        (#"{"identifier": "A"#, 17, "unterminated string"),
        (#"{"identifier" "A"}"#, 14, "expected :"),
        (#"{"identifier":"A"} x"#, 19, "trailing characters after the product"),
        (#"{"identifier":"A"}{}"#, 18, "trailing characters after the product"),
        (#"{"identifier":"A""#, 17, "expected , or }"),
        (#"{"identifier":"A","#, 18, "expected a string"),
        (#"{"identifier":"A","values":{"name":[{"locale":null,"scope":null,"data":"x""#, 74, "expected , or }"),
        (#"{"identifier":"A","junk":{"a":[1,2]"#, 35, "unterminated object"),
        (#"{"values":{"name":[{"data":tru}]}}"#, 27, "expected true"),
        (#"{"values":{"name":[{"locale" "en_US"}]}}"#, 29, "expected :"),
        (#"{"values":[1]}"#, 10, "expected {"),
    ])
    func errorsCarryTheByteOffset(_ text: String, _ offset: Int, _ message: String) {
        let scanner = ProductScanner(ProductProjection(properties: ["identifier"], attributes: ["name"]))
        #expect(throws: ProductScanError(offset: offset, message: message)) { try ExportFixtures.scan(scanner, text).get() }
    }

    @Test func errorDescriptionNamesTheOffset() {
        #expect(ProductScanError(offset: 7, message: "expected :").description == "invalid JSON at byte 7: expected :")
    }

    /// A truncated line fails, wherever it is cut, and never reads past its end (the rest of
    /// the product follows it in memory).
    @Test func everyTruncationFails() {
        let scanner = ProductScanner(ProductProjection(properties: ["identifier", "family"], attributes: ["description"],
                                                       lookups: ["description": [lookup("description", "en_US", nil)]]))
        let whole = Array(Self.product.utf8)
        whole.withUnsafeBytes { buffer in
            var fields = ProductFields()
            #expect(throws: Never.self) { try scanner.scan(buffer, into: &fields) }
            for length in 1..<whole.count {
                #expect(throws: ProductScanError.self, "cut at \(length)") {
                    try scanner.scan(UnsafeRawBufferPointer(rebasing: buffer[0..<length]), into: &fields)
                }
            }
        }
    }

    // MARK: - Same answers as the whole product

    /// For random products and random lookups, the scanned fields answer every lookup as the
    /// fields of the whole parsed product do, and keep exactly the entries some lookup can pick.
    @Test func answersLookupsLikeTheWholeProduct() throws {
        var random = SeededGenerator(seed: 2024)
        for round in 0..<300 {
            let text = RandomProduct.text(using: &random)
            let lookups = RandomProduct.lookups(using: &random)
            let projection = ProductProjection(properties: ["identifier"],
                                               attributes: Array(Set(lookups.map(\.attribute))).sorted(),
                                               lookups: Dictionary(grouping: lookups, by: \.attribute))
            let scanned = try ExportFixtures.scan(ProductScanner(projection), text).get()
            let whole = ProductFields(product: try ExportFixtures.value(text))
            for lookup in lookups {
                #expect(scanned.data(lookup.attribute, locale: lookup.locale, scope: lookup.scope)
                    == whole.data(lookup.attribute, locale: lookup.locale, scope: lookup.scope),
                        "round \(round), \(lookup) in \(text)")
            }
            func pickable(_ entry: ProductFields.Entry) -> Bool {
                lookups.contains { lookup in
                    lookup.attribute == entry.attribute && (entry.locale == nil || entry.locale == lookup.locale)
                        && (entry.scope == nil || entry.scope == lookup.scope)
                }
            }
            #expect(scanned.entries.allSatisfy(pickable), "round \(round): \(ExportFixtures.entries(scanned))")
            #expect(scanned.entries.count == whole.entries.filter(pickable).count, "round \(round) in \(text)")
        }
    }
}

/// Random Akeneo-format product texts: entries in any key order, odd entries, escapes,
/// nested data and skipped members.
enum RandomProduct {
    static let attributes = ["name", "description", "price", "color"]
    static let locales: [String?] = [nil, "en_US", "fr_FR", "de_DE"]
    static let scopes: [String?] = [nil, "ecommerce", "mobile"]
    static let data = [
        #""plain""#, #""say \"hi\"\n""#, #""caf\u00e9 \ud83d\ude00""#, "12", "-0.5", "1e3", "true", "null",
        #"["40", "41"]"#, #"[{"amount": "740.00", "currency": "EUR"}]"#, #"{"amount": "3000.00", "unit": "MMT"}"#,
        #""0123456789012345678901234567890123456789 \\ \"""#, #""""#, "[]",
    ]
    static let separators = [",", ", ", ",\n  "]

    static func text<G: RandomNumberGenerator>(using random: inout G) -> String {
        var members = [#""identifier": "P""#]
        if Bool.random(using: &random) { members.append(#""junk": {"a": ["}", "\"]", {"values": [1]}]}"#) }
        var values: [String] = []
        for attribute in attributes where Int.random(in: 0..<5, using: &random) > 0 {
            switch Int.random(in: 0..<12, using: &random) {
            case 0: values.append("\"\(attribute)\": null")
            case 1: values.append("\"\(attribute)\": {\"data\": 1}")
            default:
                let entries = (0..<Int.random(in: 0...5, using: &random)).map { _ in entry(using: &random) }
                values.append("\"\(attribute)\": [" + join(entries, using: &random) + "]")
            }
        }
        values.shuffle(using: &random)
        members.append("\"values\": {" + join(values, using: &random) + "}")
        members.shuffle(using: &random)
        return "{" + join(members, using: &random) + "}"
    }

    static func entry<G: RandomNumberGenerator>(using random: inout G) -> String {
        switch Int.random(in: 0..<20, using: &random) {
        case 0: return "null"
        case 1: return #""entry""#
        default: break
        }
        var members: [String] = []
        func code(_ options: [String?]) -> String {
            if Int.random(in: 0..<15, using: &random) == 0 { return "5" }
            return options.randomElement(using: &random)!.map { "\"\($0)\"" } ?? "null"
        }
        if Int.random(in: 0..<10, using: &random) > 0 { members.append("\"locale\": " + code(locales)) }
        if Int.random(in: 0..<10, using: &random) > 0 { members.append("\"scope\": " + code(scopes)) }
        if Int.random(in: 0..<10, using: &random) > 0 { members.append("\"data\": " + data.randomElement(using: &random)!) }
        if Int.random(in: 0..<5, using: &random) == 0 { members.append(#""other": [1, {"x": "]"}]"#) }
        members.shuffle(using: &random)
        return "{" + join(members, using: &random) + "}"
    }

    static func lookups<G: RandomNumberGenerator>(using random: inout G) -> [AttributeLookup] {
        (0..<Int.random(in: 1...5, using: &random)).map { _ in
            AttributeLookup(attribute: attributes.randomElement(using: &random)!,
                            locale: [nil, "en_US", "fr_FR", "it_IT"].randomElement(using: &random)!,
                            scope: [nil, "ecommerce", "mobile", "print"].randomElement(using: &random)!)
        }
    }

    private static func join<G: RandomNumberGenerator>(_ parts: [String], using random: inout G) -> String {
        parts.enumerated().map { index, part in
            index == 0 ? part : separators.randomElement(using: &random)! + part
        }.joined()
    }
}
