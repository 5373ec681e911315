@testable import SyndicCore

/// Products in Akeneo's REST format (values by attribute, each with locale, scope and data)
/// shared by the mapping and filter tests.
enum ProductFixtures {
    /// A complete variant product: localizable, scopable and localizable+scopable values, a
    /// price collection, metrics, selects, booleans, numbers, a date and completenesses.
    static let shoe = product(#"""
        {"uuid": "fc24e6c3-933c-4a93-8a81-e5c703d134d5", "identifier": "SHOE-001", "enabled": true,
         "family": "shoes", "parent": "shoe_model", "categories": ["summer", "men_shoes"], "groups": [],
         "created": "2024-03-01T10:00:00+00:00", "updated": "2024-05-02T08:30:00+00:00",
         "values": {
           "sku": [{"locale": null, "scope": null, "data": "SHOE-001"}],
           "name": [{"locale": "fr_FR", "scope": null, "data": "Chaussure de course"},
                    {"locale": "en_US", "scope": null, "data": "Running shoe"}],
           "description": [{"locale": "fr_FR", "scope": "ecommerce", "data": "Légère, \"respirante\"; idéale\nà 100 %"},
                           {"locale": "fr_FR", "scope": "print", "data": "Version papier"},
                           {"locale": "en_US", "scope": "ecommerce", "data": "Light"}],
           "short_text": [{"locale": null, "scope": "ecommerce", "data": "Web"},
                          {"locale": null, "scope": "mobile", "data": "Mobile"}],
           "price": [{"locale": null, "scope": null, "data": [{"amount": "740.00", "currency": "EUR"},
                                                             {"amount": "800.50", "currency": "USD"}]}],
           "weight": [{"locale": null, "scope": null, "data": {"amount": "800.0000", "unit": "GRAM"}}],
           "length": [{"locale": null, "scope": null, "data": {"amount": "3000.00", "unit": "MMT"}}],
           "color": [{"locale": null, "scope": null, "data": "blue"}],
           "sizes": [{"locale": null, "scope": null, "data": ["40", "41", "42"]}],
           "waterproof": [{"locale": null, "scope": null, "data": true}],
           "eco": [{"locale": null, "scope": null, "data": false}],
           "stock": [{"locale": null, "scope": null, "data": 12}],
           "rating": [{"locale": null, "scope": null, "data": "4.5000"}],
           "ratio": [{"locale": null, "scope": null, "data": 0.25}],
           "release_date": [{"locale": null, "scope": null, "data": "2024-04-01T00:00:00+00:00"}],
           "empty_text": [{"locale": null, "scope": null, "data": ""}],
           "no_options": [{"locale": null, "scope": null, "data": []}],
           "table": [{"locale": null, "scope": null, "data": [{"size": "S", "qty": 2}]}]
         },
         "completenesses": [{"scope": "ecommerce", "locale": "fr_FR", "data": 100},
                            {"scope": "ecommerce", "locale": "en_US", "data": 80},
                            {"scope": "print", "locale": "fr_FR", "data": 50}]}
        """#)

    /// A disabled, unclassified product without family, parent or completeness, and almost no values.
    static let bare = product(#"""
        {"identifier": "BARE-002", "enabled": false, "family": null, "parent": null, "categories": [],
         "groups": [], "values": {"name": [{"locale": "en_US", "scope": null, "data": "Bare"}]}}
        """#)

    /// Another family, priced in USD only (an integer amount), weighed in kilograms.
    static let shirt = product(#"""
        {"uuid": "0b3c9d2e-1111-4c2b-9f00-aaaaaaaaaaaa", "identifier": "SHIRT-003", "enabled": true,
         "family": "shirts", "parent": null, "categories": ["archived", "summer"], "groups": ["promo"],
         "values": {
           "name": [{"locale": "fr_FR", "scope": null, "data": "Chemise en lin"}],
           "price": [{"locale": null, "scope": null, "data": [{"amount": 25, "currency": "USD"}]}],
           "weight": [{"locale": null, "scope": null, "data": {"amount": "1.2", "unit": "KILOGRAM"}}],
           "color": [{"locale": null, "scope": null, "data": "red"}],
           "sizes": [{"locale": null, "scope": null, "data": ["M", "L"]}],
           "waterproof": [{"locale": null, "scope": null, "data": false}],
           "stock": [{"locale": null, "scope": null, "data": 5}],
           "rating": [{"locale": null, "scope": null, "data": "3.9000"}],
           "release_date": [{"locale": null, "scope": null, "data": "2023-06-15T00:00:00+00:00"}]
         },
         "completenesses": [{"scope": "ecommerce", "locale": "fr_FR", "data": 90},
                            {"scope": "ecommerce", "locale": "en_US", "data": 100}]}
        """#)

    static let all = [shoe, bare, shirt]
    static let names = ["shoe", "bare", "shirt"]

    static func product(_ json: String) -> Value {
        do { return try CanonicalJSON.parse(json) } catch { fatalError("fixture does not parse: \(error)") }
    }
}
