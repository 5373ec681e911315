import Testing
@testable import SyndicCore

struct AkeneoProductWriterTests {
    /// The product written from one row, as canonical JSON.
    static func written(_ targets: [String], _ row: [String], identifier: String = "SKU-1") throws -> String {
        let writer = try AkeneoProductWriter(targets: targets, separator: "<###>")
        return CanonicalJSON.string(writer.product(row: row, identifier: identifier))
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
        #expect(writer.product(row: ["40|41", "a|b"], identifier: "X") == expected)
    }

    @Test(arguments: ["bad-code", "price@eur", "name~fr-FR", "a~fr_FR~b~c", "", "@EUR"])
    func invalidTargetsThrow(_ target: String) {
        #expect(throws: MappingError.self) { try AkeneoProductWriter(targets: ["name", target], separator: "<###>") }
    }
}
