import Testing
@testable import SyndicCore

struct AkeneoProductWriterTests {
    /// The product written from one row, as canonical JSON.
    static func written(_ targets: [String], _ row: [String], identifier: String = "SKU-1") throws -> String {
        let writer = try AkeneoProductWriter(targets: targets, separator: "<###>")
        return CanonicalJSON.string(try writer.product(row: row, identifier: identifier))
    }

    /// `expected` (JSON text) in canonical form.
    static func canonical(_ expected: String) throws -> String {
        CanonicalJSON.string(try CanonicalJSON.parse(expected))
    }

    @Test(arguments: [
        (["description~en_US~mobile"], ["Light"],
         #"{"description": [{"locale": "en_US", "scope": "mobile", "data": "Light"}]}"#),
        (["name~fr_FR"], ["Chaussure"], #"{"name": [{"locale": "fr_FR", "scope": null, "data": "Chaussure"}]}"#),
        (["short_text~ecommerce"], ["Web"], #"{"short_text": [{"locale": null, "scope": "ecommerce", "data": "Web"}]}"#),
        (["color"], ["blue"], #"{"color": [{"locale": null, "scope": null, "data": "blue"}]}"#),
        (["Price~de_DE@currency"], ["740.00 EUR"],
         #"{"Price": [{"locale": "de_DE", "scope": null, "data": [{"amount": "740.00", "currency": "EUR"}]}]}"#),
        (["price@currency"], ["740.00 EUR<###>800.50 USD"],
         #"{"price": [{"locale": null, "scope": null, "data": [{"amount": "740.00", "currency": "EUR"}, {"amount": "800.50", "currency": "USD"}]}]}"#),
        (["price@EUR", "price@USD"], ["740.00", "800.50"],
         #"{"price": [{"locale": null, "scope": null, "data": [{"amount": "740.00", "currency": "EUR"}, {"amount": "800.50", "currency": "USD"}]}]}"#),
        (["price~ecommerce@EUR", "price~mobile@EUR"], ["1", "2"],
         #"{"price": [{"locale": null, "scope": "ecommerce", "data": [{"amount": "1", "currency": "EUR"}]}, {"locale": null, "scope": "mobile", "data": [{"amount": "2", "currency": "EUR"}]}]}"#),
        (["Length~de_DE@unit"], ["3000.00 MMT"],
         #"{"Length": [{"locale": "de_DE", "scope": null, "data": {"amount": "3000.00", "unit": "MMT"}}]}"#),
        (["waterproof", "eco"], ["true", "false"],
         #"{"waterproof": [{"locale": null, "scope": null, "data": true}], "eco": [{"locale": null, "scope": null, "data": false}]}"#),
        (["sizes"], ["40<###>41<###>42"], #"{"sizes": [{"locale": null, "scope": null, "data": ["40", "41", "42"]}]}"#),
        (["name~fr_FR", "name~en_US"], ["Chaussure", "Shoe"],
         #"{"name": [{"locale": "fr_FR", "scope": null, "data": "Chaussure"}, {"locale": "en_US", "scope": null, "data": "Shoe"}]}"#),
    ])
    func valuesFollowTheTargetConvention(_ targets: [String], _ row: [String], _ values: String) throws {
        #expect(try Self.written(targets, row) == Self.canonical(#"{"identifier": "SKU-1", "values": \#(values)}"#))
    }

    @Test func emptyAndUnreadableCellsSendNothing() throws {
        let targets = ["name", "price@currency", "weight@unit", "family", "categories", "price@EUR"]
        #expect(try Self.written(targets, ["", "740.00", "heavy", "", "", ""]) == #"{"identifier":"SKU-1"}"#)
        #expect(try Self.written(targets, ["kept"]) == Self.canonical(
            #"{"identifier": "SKU-1", "values": {"name": [{"locale": null, "scope": null, "data": "kept"}]}}"#))
    }

    @Test func propertyTargetsSetTheProductsOwnProperties() throws {
        let targets = ["identifier", "family", "parent", "categories", "groups", "enabled", "name"]
        let row = ["OWN-ID", "shoes", "shoe_model", "summer<###>men_shoes", "promo", "true", "Shoe"]
        #expect(try Self.written(targets, row) == Self.canonical(#"""
            {"identifier": "OWN-ID", "family": "shoes", "parent": "shoe_model", "categories": ["summer", "men_shoes"],
             "groups": ["promo"], "enabled": true,
             "values": {"name": [{"locale": null, "scope": null, "data": "Shoe"}]}}
            """#))
    }

    @Test(arguments: [("true", true), ("1", true), ("false", false), ("0", false), ("no", false)])
    func enabledIsABoolean(_ cell: String, _ enabled: Bool) throws {
        #expect(try Self.written(["enabled"], [cell]) == Self.canonical(#"{"identifier": "SKU-1", "enabled": \#(enabled)}"#))
    }

    @Test func separatorIsTheWritersOwn() throws {
        let writer = try AkeneoProductWriter(targets: ["sizes", "categories"], separator: "|")
        let expected = try CanonicalJSON.parse(#"""
            {"identifier": "X", "categories": ["a", "b"], "values": {"sizes": [{"locale": null, "scope": null, "data": ["40", "41"]}]}}
            """#)
        #expect(try writer.product(row: ["40|41", "a|b"], identifier: "X") == expected)
    }

    @Test(arguments: ["bad-code", "price@eur", "name~fr-FR", "a~fr_FR~b~c", "", "@EUR"])
    func invalidTargetsThrow(_ target: String) {
        #expect(throws: MappingError.self) { try AkeneoProductWriter(targets: ["name", target], separator: "<###>") }
    }
}

/// Values written as the target PIM's attribute types expect them.
struct AkeneoProductWriterTypedTests {
    static let types: [String: AkeneoAttribute] = [
        "colors": AkeneoAttribute(code: "colors", kind: .codes),
        "stock": AkeneoAttribute(code: "stock", kind: .number(decimals: false)),
        "ratio": AkeneoAttribute(code: "ratio", kind: .number(decimals: true)),
        "eco": AkeneoAttribute(code: "eco", kind: .boolean),
        "price": AkeneoAttribute(code: "price", kind: .prices),
        "weight": AkeneoAttribute(code: "weight", kind: .metric(defaultUnit: "GRAM")),
        "launch": AkeneoAttribute(code: "launch", kind: .date),
        "name": AkeneoAttribute(code: "name", kind: .text),
    ]

    static func data(_ target: String, _ cell: String) throws -> Value? {
        var writer = try AkeneoProductWriter(targets: [target], separator: "|")
        writer.types = types
        let product = try writer.product(row: [cell], identifier: "X")
        let attribute = try MappingExpression.parse(target).attribute
        return product.value(at: "values.\(attribute)")?.listValue?.first?["data"]
    }

    @Test(arguments: [
        ("colors", "red", Value.list([.string("red")])),
        ("colors", "red|blue", .list([.string("red"), .string("blue")])),
        ("stock", "12", .int(12)),
        ("stock", "12.00", .int(12)),
        ("ratio", "0,5", .string("0.5")),
        ("eco", "true", .bool(true)),
        ("eco", "0", .bool(false)),
        ("price", "12.50 EUR|13 USD", .list([.object(["amount": .string("12.50"), "currency": .string("EUR")]),
                                            .object(["amount": .string("13"), "currency": .string("USD")])])),
        ("price@EUR", "12.50", .list([.object(["amount": .string("12.50"), "currency": .string("EUR")])])),
        ("weight", "800", .object(["amount": .string("800"), "unit": .string("GRAM")])),
        ("weight", "3 KILOGRAM", .object(["amount": .string("3"), "unit": .string("KILOGRAM")])),
        ("launch", "2025-06-30T08:00:00Z", .string("2025-06-30")),
        ("name", "true", .string("true")),
    ])
    func convertsToTheType(_ target: String, _ cell: String, _ expected: Value) throws {
        #expect(try Self.data(target, cell) == expected)
    }

    @Test(arguments: [("stock", "12.5"), ("stock", "many"), ("eco", "maybe"), ("price", "12.50"), ("weight", "heavy"),
                      ("launch", "30/06/2025"), ("ratio", "1.2.3")])
    func refusesWhatCannotBeConverted(_ target: String, _ cell: String) throws {
        #expect(throws: AkeneoValueError.self) { try Self.data(target, cell) }
        do {
            _ = try Self.data(target, cell)
        } catch let error as AkeneoValueError {
            #expect(error.attribute == target)
            #expect(error.message.contains(cell))
        }
    }

    @Test func readsTheAttributesEndpointItems() throws {
        let item = try CanonicalJSON.parse(#"{"code": "weight", "type": "pim_catalog_metric", "default_metric_unit": "GRAM", "decimals_allowed": true}"#)
        #expect(AkeneoAttribute(item: item)?.kind == .metric(defaultUnit: "GRAM"))
        let multi = try CanonicalJSON.parse(#"{"code": "colors", "type": "pim_reference_data_multiselect"}"#)
        #expect(AkeneoAttribute(item: multi)?.kind == .codes)
        let number = try CanonicalJSON.parse(#"{"code": "n", "type": "pim_catalog_number", "decimals_allowed": false}"#)
        #expect(AkeneoAttribute(item: number)?.kind == .number(decimals: false))
        #expect(AkeneoAttribute(item: .object([:])) == nil)
    }
}
