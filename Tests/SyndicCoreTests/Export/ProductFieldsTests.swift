import Testing
@testable import SyndicCore

struct ProductFieldsTests {
    static let fields = ProductFields(product: ProductFixtures.product(#"""
        {"uuid": "u-1", "identifier": "P-1",
         "values": {
           "name": [{"locale": "fr_FR", "scope": null, "data": "fr"},
                    {"locale": null, "scope": null, "data": "global"},
                    {"locale": "en_US", "scope": null, "data": "en"},
                    {"locale": "en_US", "scope": null, "data": "en-second"}],
           "description": [{"locale": null, "scope": "ecommerce", "data": "web"},
                           {"locale": "en_US", "scope": "ecommerce", "data": "en-web"},
                           {"locale": null, "scope": null, "data": "any"}],
           "odd": [{"data": "no locale key"}, "not an entry"]
         }}
        """#))

    @Test(arguments: [
        ("name", "fr_FR", nil, "fr"),
        ("name", "en_US", "ecommerce", "en"),
        ("name", "de_DE", nil, "global"),
        ("name", nil, nil, "global"),
        ("description", "en_US", "ecommerce", "en-web"),
        ("description", "fr_FR", "ecommerce", "web"),
        ("description", "fr_FR", "mobile", "any"),
        ("description", "en_US", nil, "any"),
        ("description", nil, nil, "any"),
        ("odd", "en_US", "mobile", "no locale key"),
        ("missing", nil, nil, nil),
    ] as [(String, String?, String?, String?)])
    func picksTheMostSpecificEntryThenTheFirst(_ attribute: String, _ locale: String?, _ scope: String?, _ expected: String?) {
        #expect(Self.fields.data(attribute, locale: locale, scope: scope) == expected.map(Value.string))
    }

    @Test(arguments: [
        (#"{"uuid": "u-1", "identifier": "P-1"}"#, "u-1"),
        (#"{"identifier": "P-1"}"#, "P-1"),
        (#"{"uuid": null, "identifier": "P-1"}"#, "P-1"),
        (#"{"uuid": 5}"#, nil),
        ("{}", nil),
        ("[]", nil),
    ] as [(String, String?)])
    func keyIsTheUUIDThenTheIdentifier(_ json: String, _ key: String?) {
        #expect(ProductFields(product: ProductFixtures.product(json)).key == key)
    }

    @Test func wholeProductKeepsEveryPropertyButValues() {
        #expect(Self.fields.properties.map(\.name).sorted() == ["identifier", "uuid"])
        #expect(Self.fields.entries.count == 8)
    }
}
