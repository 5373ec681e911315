import Testing
@testable import SyndicCore

/// The object form of a mapping value.
private func object(field: String? = nil, attribute: String? = nil, locale: String? = nil, scope: String? = nil,
                    currency: String? = nil, unit: Bool? = nil, value: Value? = nil, default fallback: Value? = nil,
                    required: Bool? = nil) -> MappingValue {
    .object(MappingObject(field: field, attribute: attribute, locale: locale, scope: scope, currency: currency,
                          unit: unit, value: value, default: fallback, required: required))
}

struct MappingEngineTests {
    /// The channel context most cases use: scope ecommerce, default locale fr_FR.
    static let context = MappingContext(scope: "ecommerce", locales: ["fr_FR", "en_US"])

    /// Maps one target of `value` on `product` and returns its cell.
    static func cell(_ value: MappingValue, _ product: Value = ProductFixtures.shoe,
                     context: MappingContext = context) throws -> String? {
        try MappingEngine(mapping: ["target": value], context: context).map(product).row?.first
    }

    // MARK: - Expressions

    @Test(arguments: [
        // Non-localizable, non-scopable.
        ("sku", "SHOE-001"),
        // Localizable: the context's first locale, or the one named.
        ("name", "Chaussure de course"),
        ("name~fr_FR", "Chaussure de course"),
        ("name~en_US", "Running shoe"),
        ("name~de_DE", ""),
        // Localizable and scopable: the context's scope and locale fill what is not named.
        ("description", "Légère, \"respirante\"; idéale\nà 100 %"),
        ("description~print", "Version papier"),
        ("description~en_US", "Light"),
        ("description~en_US~ecommerce", "Light"),
        ("description~fr_FR~print", "Version papier"),
        ("description~en_US~print", ""),
        ("description~mobile", ""),
        // Scopable only.
        ("short_text", "Web"),
        ("short_text~mobile", "Mobile"),
        // A locale named on a non-localizable value still reads it (a mapping may write
        // Price~de_DE@currency for a price that has no locale).
        ("short_text~de_DE", "Web"),
        ("sku~de_DE~print", "SHOE-001"),
        // Prices.
        ("price@EUR", "740.00"),
        ("price@USD", "800.50"),
        ("price@GBP", ""),
        ("price@currency", "740.00 EUR"),
        ("price~de_DE@currency", "740.00 EUR"),
        ("price", "740.00 EUR<###>800.50 USD"),
        // Metrics: amount as given, then the unit code as Akeneo gives it.
        ("weight@unit", "800.0000 GRAM"),
        ("length@unit", "3000.00 MMT"),
        ("weight", "800.0000"),
        // Suffixes that do not fit the value.
        ("weight@EUR", ""),
        ("weight@currency", ""),
        ("color@unit", ""),
        ("price@unit", ""),
        ("color@EUR", ""),
        // Selects, booleans, numbers, dates, odd values.
        ("color", "blue"),
        ("sizes", "40<###>41<###>42"),
        ("waterproof", "true"),
        ("eco", "false"),
        ("stock", "12"),
        ("rating", "4.5000"),
        ("ratio", "0.25"),
        ("release_date", "2024-04-01T00:00:00+00:00"),
        ("empty_text", ""),
        ("no_options", ""),
        ("table", #"[{"qty":2,"size":"S"}]"#),
        ("unknown_attribute", ""),
    ])
    func mapsExpression(_ expression: String, _ expected: String) throws {
        #expect(try Self.cell(.expression(expression)) == expected)
    }

    @Test(arguments: [
        (ProductFixtures.shirt, "price@USD", "25"),
        (ProductFixtures.shirt, "price@currency", "25 USD"),
        (ProductFixtures.shirt, "price@EUR", ""),
        (ProductFixtures.shirt, "weight@unit", "1.2 KILOGRAM"),
        (ProductFixtures.shirt, "description", ""),
        (ProductFixtures.bare, "name", ""),
        (ProductFixtures.bare, "name~en_US", "Bare"),
        (ProductFixtures.bare, "price@currency", ""),
    ])
    func mapsOtherProducts(_ product: Value, _ expression: String, _ expected: String) throws {
        #expect(try Self.cell(.expression(expression), product) == expected)
    }

    @Test func contextCurrencyPicksThePriceOfCurrency() throws {
        let usd = MappingContext(scope: "ecommerce", locales: ["fr_FR"], currency: "USD")
        #expect(try Self.cell(.expression("price@currency"), context: usd) == "800.50 USD")
        // A product without a price in that currency falls back to its first price.
        let gbp = MappingContext(scope: "ecommerce", locales: ["fr_FR"], currency: "GBP")
        #expect(try Self.cell(.expression("price@currency"), context: gbp) == "740.00 EUR")
        // @EUR is explicit: the context currency does not change it.
        #expect(try Self.cell(.expression("price@EUR"), context: usd) == "740.00")
    }

    @Test func withoutLocaleOrScopeInContextOnlyNamedOrGlobalValuesAreRead() throws {
        let bare = MappingContext()
        #expect(try Self.cell(.expression("name"), context: bare) == "")
        #expect(try Self.cell(.expression("name~en_US"), context: bare) == "Running shoe")
        #expect(try Self.cell(.expression("description~fr_FR"), context: bare) == "")
        #expect(try Self.cell(.expression("description~fr_FR~ecommerce"), context: bare) == "Légère, \"respirante\"; idéale\nà 100 %")
        #expect(try Self.cell(.expression("short_text"), context: bare) == "")
        #expect(try Self.cell(.expression("sku"), context: bare) == "SHOE-001")
    }

    @Test func contextDefaultLocaleIsTheFirstOnly() throws {
        let english = MappingContext(scope: "ecommerce", locales: ["en_US", "fr_FR"])
        #expect(try Self.cell(.expression("name"), context: english) == "Running shoe")
        #expect(try Self.cell(.expression("name"), ProductFixtures.shirt, context: english) == "")
    }

    @Test func valueSeparatorJoinsMultiValues() throws {
        let pipe = MappingContext(scope: "ecommerce", locales: ["fr_FR"], valueSeparator: "|")
        #expect(try Self.cell(.expression("sizes"), context: pipe) == "40|41|42")
        #expect(try Self.cell(.expression("price"), context: pipe) == "740.00 EUR|800.50 USD")
        #expect(try Self.cell(object(field: "categories"), context: pipe) == "summer|men_shoes")
    }

    @Test func exactLocaleAndScopeWinOverGlobalValuesWhateverTheOrder() throws {
        let product = ProductFixtures.product(#"""
            {"values": {"title": [{"locale": null, "scope": null, "data": "global"},
                                  {"locale": "fr_FR", "scope": "ecommerce", "data": "exact"},
                                  {"locale": "fr_FR", "scope": null, "data": "locale only"}]}}
            """#)
        #expect(try Self.cell(.expression("title"), product) == "exact")
        #expect(try Self.cell(.expression("title~print"), product) == "locale only")
        #expect(try Self.cell(.expression("title~de_DE~print"), product) == "global")
    }

    // MARK: - Object form

    @Test(arguments: [
        ("identifier", "SHOE-001"),
        ("uuid", "fc24e6c3-933c-4a93-8a81-e5c703d134d5"),
        ("family", "shoes"),
        ("parent", "shoe_model"),
        ("categories", "summer<###>men_shoes"),
        ("groups", ""),
        ("enabled", "true"),
        ("created", "2024-03-01T10:00:00+00:00"),
        ("updated", "2024-05-02T08:30:00+00:00"),
    ])
    func mapsProductField(_ field: String, _ expected: String) throws {
        #expect(try Self.cell(object(field: field)) == expected)
    }

    @Test(arguments: [
        (ProductFixtures.bare, "family", ""),
        (ProductFixtures.bare, "parent", ""),
        (ProductFixtures.bare, "uuid", ""),
        (ProductFixtures.bare, "enabled", "false"),
        (ProductFixtures.bare, "categories", ""),
        (ProductFixtures.shirt, "groups", "promo"),
    ])
    func mapsFieldOfOtherProducts(_ product: Value, _ field: String, _ expected: String) throws {
        #expect(try Self.cell(object(field: field), product) == expected)
    }

    @Test(arguments: [
        (object(attribute: "description", locale: "en_US", scope: "ecommerce"), "Light"),
        (object(attribute: "description", scope: "print"), "Version papier"),
        (object(attribute: "name"), "Chaussure de course"),
        (object(attribute: "price", currency: "EUR"), "740.00"),
        (object(attribute: "price", currency: "USD"), "800.50"),
        (object(attribute: "price", currency: "currency"), "740.00 EUR"),
        (object(attribute: "weight", unit: true), "800.0000 GRAM"),
        (object(attribute: "weight", unit: false), "800.0000"),
        (object(attribute: "sizes"), "40<###>41<###>42"),
        (object(value: .string("FR")), "FR"),
        (object(value: .int(3)), "3"),
        (object(value: .double(1.5)), "1.5"),
        (object(value: .bool(true)), "true"),
        (object(value: .list([.string("a"), .string("b")])), "a<###>b"),
        (object(value: .string("")), ""),
        (object(attribute: "name", locale: "de_DE", default: .string("n/a")), "n/a"),
        (object(attribute: "name", default: .string("n/a")), "Chaussure de course"),
        (object(attribute: "price", currency: "GBP", default: .int(0)), "0"),
        (object(field: "parent", default: .string("none")), "shoe_model"),
        (object(value: .string(""), default: .string("fallback")), "fallback"),
    ])
    func mapsObjectForm(_ value: MappingValue, _ expected: String) throws {
        #expect(try Self.cell(value) == expected)
    }

    // MARK: - Required

    @Test func requiredTargetWithValueKeepsTheProduct() throws {
        let engine = try MappingEngine(mapping: [
            "title": object(attribute: "name", required: true),
            "sku": object(field: "identifier", required: true),
        ], context: Self.context)
        #expect(engine.map(ProductFixtures.shoe) == .row(["SHOE-001", "Chaussure de course"]))
    }

    @Test(arguments: [
        (object(attribute: "name", locale: "de_DE", required: true), "name~de_DE"),
        (object(attribute: "price", currency: "currency", required: true), "price@currency"),
        (object(attribute: "description", locale: "fr_FR", scope: "print", required: true), "description~fr_FR~print"),
        (object(attribute: "weight", unit: true, required: true), "weight@unit"),
        (object(field: "parent", required: true), "field parent"),
        (object(field: "family", required: true), "field family"),
        (object(value: .string(""), required: true), "value"),
    ])
    func requiredTargetWithoutValueSkipsTheProduct(_ value: MappingValue, _ source: String) throws {
        let engine = try MappingEngine(mapping: ["sku": .expression("sku"), "target": value], context: Self.context)
        let result = engine.map(ProductFixtures.bare)
        #expect(result == .skipped(MappingSkip(target: "target", source: source)))
        #expect(result.row == nil)
        guard case .skipped(let skip) = result else { return }
        #expect(skip.reason == "missing required value for target (\(source))")
        #expect("\(skip)" == skip.reason)
    }

    @Test func defaultSatisfiesRequired() throws {
        let engine = try MappingEngine(mapping: [
            "title": object(attribute: "name", locale: "de_DE", default: .string("Sans nom"), required: true),
        ], context: Self.context)
        #expect(engine.map(ProductFixtures.bare) == .row(["Sans nom"]))
    }

    @Test func firstEmptyRequiredTargetInOrderIsTheReason() throws {
        let engine = try MappingEngine(mapping: [
            "z_parent": object(field: "parent", required: true),
            "a_family": object(field: "family", required: true),
        ])
        #expect(engine.map(ProductFixtures.bare) == .skipped(MappingSkip(target: "a_family", source: "field family")))
    }

    @Test func nonObjectProductMapsLikeAnEmptyOne() throws {
        let engine = try MappingEngine(mapping: ["sku": object(field: "identifier", required: true)])
        #expect(engine.map(.string("not a product")) == .skipped(MappingSkip(target: "sku", source: "field identifier")))
        let lenient = try MappingEngine(mapping: ["sku": .expression("sku"), "c": object(value: .string("k"))])
        #expect(lenient.map(.null) == .row(["k", ""]))
    }

    // MARK: - Whole rows

    static let channelMapping: [String: MappingValue] = [
        "title": .expression("name"),
        "description": .expression("description~fr_FR~ecommerce"),
        "price": .expression("price@EUR"),
        "price_label": .expression("price@currency"),
        "weight": .expression("weight@unit"),
        "sizes": .expression("sizes"),
        "waterproof": .expression("waterproof"),
        "categories": object(field: "categories"),
        "sku": object(field: "identifier", required: true),
        "brand": object(value: .string("ACME")),
        "stock": object(attribute: "stock", default: .int(0)),
    ]

    @Test func rowCellsFollowTargetsSortedByName() throws {
        let engine = try MappingEngine(mapping: Self.channelMapping, context: Self.context)
        #expect(engine.targets == ["brand", "categories", "description", "price", "price_label", "sizes", "sku",
                                   "stock", "title", "waterproof", "weight"])
        #expect(engine.map(ProductFixtures.shoe) == .row([
            "ACME", "summer<###>men_shoes", "Légère, \"respirante\"; idéale\nà 100 %", "740.00", "740.00 EUR",
            "40<###>41<###>42", "SHOE-001", "12", "Chaussure de course", "true", "800.0000 GRAM",
        ]))
        #expect(engine.map(ProductFixtures.shirt) == .row([
            "ACME", "archived<###>summer", "", "", "25 USD", "M<###>L", "SHIRT-003", "5", "Chemise en lin",
            "false", "1.2 KILOGRAM",
        ]))
        #expect(engine.map(ProductFixtures.bare) == .row([
            "ACME", "", "", "", "", "", "BARE-002", "0", "", "", "",
        ]))
    }

    @Test func mapIntoReusesTheRow() throws {
        let engine = try MappingEngine(mapping: Self.channelMapping, context: Self.context)
        var row: [String] = ["stale"]
        #expect(engine.map(ProductFields(product: ProductFixtures.shoe), into: &row) == nil)
        #expect(row == engine.map(ProductFixtures.shoe).row)
        #expect(engine.map(ProductFields(product: ProductFixtures.bare), into: &row) == nil)
        #expect(row.count == engine.targets.count)
        #expect(row[0] == "ACME")
    }

    @Test func emptyMappingMapsToEmptyRows() throws {
        let engine = try MappingEngine(mapping: [:])
        #expect(engine.targets.isEmpty)
        #expect(engine.map(ProductFixtures.shoe) == .row([]))
    }

    @Test func channelSpecProvidesTheContext() throws {
        let channel = ChannelSpec(
            type: .flatFile,
            source: .init(connection: "pim", scope: "print", locales: ["en_US"]),
            products: .init(mapping: ["d": .expression("description"), "s": .expression("sizes")],
                            export: .init(valueSeparator: ";")))
        #expect(MappingContext(channel: channel) == MappingContext(scope: "print", locales: ["en_US"], valueSeparator: ";"))
        let engine = try MappingEngine(channel: channel)
        #expect(engine.map(ProductFixtures.shoe) == .row(["", "40;41;42"]))
        let french = try MappingEngine(mapping: ["d": .expression("description~fr_FR")], context: MappingContext(channel: channel))
        #expect(french.map(ProductFixtures.shoe) == .row(["Version papier"]))
        let defaults = MappingContext(channel: ChannelSpec(type: .mirakl), currency: "EUR")
        #expect(defaults == MappingContext(valueSeparator: "<###>", currency: "EUR"))
        #expect(try MappingEngine(channel: ChannelSpec(type: .mirakl)).targets.isEmpty)
    }

    // MARK: - Compile errors

    @Test(arguments: [
        (MappingValue.expression("bad-code"),
         #"products.mapping.t: "bad-code": "bad-code" is not an attribute code (letters, digits, _)"#),
        (.expression("price@eur"),
         #"products.mapping.t: "price@eur": after @ expected a currency code (EUR), currency or unit, got "eur""#),
        (object(), "products.mapping.t: the object form takes exactly one of field, attribute or value, got none"),
        (object(field: "family", attribute: "name"),
         "products.mapping.t: the object form takes exactly one of field, attribute or value, got field, attribute"),
        (object(field: "sku"),
         #"products.mapping.t.field: "sku" is not a product property (uuid, identifier, family, parent, categories, groups, enabled, created, updated)"#),
        (object(field: "family", locale: "fr_FR"), "products.mapping.t.locale applies only with attribute"),
        (object(unit: true, value: .string("x")), "products.mapping.t.unit applies only with attribute"),
        (object(attribute: "bad-code"), #"products.mapping.t.attribute: "bad-code" is not an attribute code (letters, digits, _)"#),
        (object(attribute: "name", locale: "fr"), #"products.mapping.t.locale: "fr" is not a locale like fr_FR"#),
        (object(attribute: "name", scope: "e-com"), #"products.mapping.t.scope: "e-com" is not a scope code"#),
        (object(attribute: "price", currency: "eur"),
         #"products.mapping.t.currency: expected a currency code (EUR) or "currency", got "eur""#),
        (object(attribute: "price", currency: "EUR", unit: true), "products.mapping.t: currency and unit exclude each other"),
    ])
    func rejectsInvalidMapping(_ value: MappingValue, _ message: String) {
        #expect(throws: MappingError(message)) { try MappingEngine(mapping: ["ok": .expression("sku"), "t": value]) }
    }
}
