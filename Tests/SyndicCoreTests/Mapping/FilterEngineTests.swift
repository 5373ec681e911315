import Testing
@testable import SyndicCore

/// One filter case run both ways: evaluated locally on the fixtures, and pushed down as
/// Akeneo's `search` query.
struct FilterCase: CustomTestStringConvertible, Sendable {
    let name: String
    let filter: ProductFilter
    /// Canonical JSON of the `search` query.
    let search: String
    /// The fixtures (`ProductFixtures.names`) that pass.
    let passing: [String]

    var testDescription: String { name }
}

private func condition(_ attribute: String, _ op: String, _ value: Value? = nil, locale: String? = nil,
                       scope: String? = nil) -> ProductFilter.AttributeCondition {
    .init(attribute: attribute, operator: op, value: value, locale: locale, scope: scope)
}

private func attributes(_ conditions: ProductFilter.AttributeCondition...) -> ProductFilter {
    ProductFilter(attributes: conditions)
}

private func strings(_ items: String...) -> Value { .list(items.map(Value.string)) }

private func price(_ amount: Value, _ currency: String) -> Value {
    .object(["amount": amount, "currency": .string(currency)])
}

private func metric(_ amount: Value, _ unit: String) -> Value {
    .object(["amount": amount, "unit": .string(unit)])
}

struct FilterEngineTests {
    static let cases: [FilterCase] = [
        // MARK: Properties
        FilterCase(name: "no filter", filter: ProductFilter(), search: "{}", passing: ["shoe", "bare", "shirt"]),
        FilterCase(name: "enabled", filter: ProductFilter(enabled: true),
                   search: #"{"enabled":[{"operator":"=","value":true}]}"#, passing: ["shoe", "shirt"]),
        FilterCase(name: "disabled", filter: ProductFilter(enabled: false),
                   search: #"{"enabled":[{"operator":"=","value":false}]}"#, passing: ["bare"]),
        FilterCase(name: "families", filter: ProductFilter(families: ["shoes", "boots"]),
                   search: #"{"family":[{"operator":"IN","value":["shoes","boots"]}]}"#, passing: ["shoe"]),
        FilterCase(name: "many families",
                   filter: ProductFilter(families: ["a", "b", "c", "d", "e", "f", "g", "h", "shirts"]),
                   search: #"{"family":[{"operator":"IN","value":["a","b","c","d","e","f","g","h","shirts"]}]}"#,
                   passing: ["shirt"]),
        FilterCase(name: "many categories not in",
                   filter: ProductFilter(categories: .init(notIn: ["a", "b", "c", "d", "e", "f", "g", "h", "men_shoes"])),
                   search: #"{"categories":[{"operator":"NOT IN","value":["a","b","c","d","e","f","g","h","men_shoes"]}]}"#,
                   passing: ["bare", "shirt"]),
        FilterCase(name: "empty families set no condition", filter: ProductFilter(families: []),
                   search: "{}", passing: ["shoe", "bare", "shirt"]),
        FilterCase(name: "categories in any", filter: ProductFilter(categories: .init(in: ["summer", "winter"])),
                   search: #"{"categories":[{"operator":"IN","value":["summer","winter"]}]}"#, passing: ["shoe", "shirt"]),
        FilterCase(name: "categories not in (unclassified pass)", filter: ProductFilter(categories: .init(notIn: ["archived"])),
                   search: #"{"categories":[{"operator":"NOT IN","value":["archived"]}]}"#, passing: ["shoe", "bare"]),
        FilterCase(name: "categories in and not in",
                   filter: ProductFilter(categories: .init(in: ["summer"], notIn: ["archived"])),
                   search: #"{"categories":[{"operator":"IN","value":["summer"]},{"operator":"NOT IN","value":["archived"]}]}"#,
                   passing: ["shoe"]),
        FilterCase(name: "empty category lists", filter: ProductFilter(categories: .init(in: [], notIn: [])),
                   search: "{}", passing: ["shoe", "bare", "shirt"]),
        // MARK: Completeness
        FilterCase(name: "complete on some locale of the scope",
                   filter: ProductFilter(completeness: .init(scope: "ecommerce", min: 100)),
                   search: #"{"completeness":[{"operator":">=","scope":"ecommerce","value":100}]}"#,
                   passing: ["shoe", "shirt"]),
        FilterCase(name: "complete enough on another scope",
                   filter: ProductFilter(completeness: .init(scope: "print", min: 60)),
                   search: #"{"completeness":[{"operator":">=","scope":"print","value":60}]}"#, passing: []),
        FilterCase(name: "min 0 still needs completeness data",
                   filter: ProductFilter(completeness: .init(scope: "ecommerce", min: 0)),
                   search: #"{"completeness":[{"operator":">=","scope":"ecommerce","value":0}]}"#,
                   passing: ["shoe", "shirt"]),
        FilterCase(name: "complete on all given locales",
                   filter: ProductFilter(completeness: .init(scope: "ecommerce", min: 100, locales: ["fr_FR", "en_US"])),
                   search: #"{"completeness":[{"locales":["fr_FR","en_US"],"operator":"GREATER OR EQUALS THAN ON ALL LOCALES","scope":"ecommerce","value":100}]}"#,
                   passing: []),
        FilterCase(name: "80 on all given locales",
                   filter: ProductFilter(completeness: .init(scope: "ecommerce", min: 80, locales: ["fr_FR", "en_US"])),
                   search: #"{"completeness":[{"locales":["fr_FR","en_US"],"operator":"GREATER OR EQUALS THAN ON ALL LOCALES","scope":"ecommerce","value":80}]}"#,
                   passing: ["shoe", "shirt"]),
        FilterCase(name: "a locale without completeness fails",
                   filter: ProductFilter(completeness: .init(scope: "ecommerce", min: 10, locales: ["de_DE"])),
                   search: #"{"completeness":[{"locales":["de_DE"],"operator":"GREATER OR EQUALS THAN ON ALL LOCALES","scope":"ecommerce","value":10}]}"#,
                   passing: []),
        // MARK: = and !=
        FilterCase(name: "simple select =", filter: attributes(condition("color", "=", .string("blue"))),
                   search: #"{"color":[{"operator":"=","value":"blue"}]}"#, passing: ["shoe"]),
        FilterCase(name: "text = ignores case", filter: attributes(condition("color", "=", .string("BLUE"))),
                   search: #"{"color":[{"operator":"=","value":"BLUE"}]}"#, passing: ["shoe"]),
        FilterCase(name: "!= needs a value", filter: attributes(condition("color", "!=", .string("blue"))),
                   search: #"{"color":[{"operator":"!=","value":"blue"}]}"#, passing: ["shirt"]),
        FilterCase(name: "boolean =", filter: attributes(condition("waterproof", "=", .bool(false))),
                   search: #"{"waterproof":[{"operator":"=","value":false}]}"#, passing: ["shirt"]),
        FilterCase(name: "boolean !=", filter: attributes(condition("waterproof", "!=", .bool(false))),
                   search: #"{"waterproof":[{"operator":"!=","value":false}]}"#, passing: ["shoe"]),
        FilterCase(name: "number = integer", filter: attributes(condition("stock", "=", .int(12))),
                   search: #"{"stock":[{"operator":"=","value":12}]}"#, passing: ["shoe"]),
        FilterCase(name: "decimal string = number", filter: attributes(condition("rating", "=", .double(4.5))),
                   search: #"{"rating":[{"operator":"=","value":4.5}]}"#, passing: ["shoe"]),
        FilterCase(name: "localizable and scopable =",
                   filter: attributes(condition("description", "=", .string("light"), locale: "en_US", scope: "ecommerce")),
                   search: #"{"description":[{"locale":"en_US","operator":"=","scope":"ecommerce","value":"light"}]}"#,
                   passing: ["shoe"]),
        FilterCase(name: "scopable =", filter: attributes(condition("short_text", "=", .string("mobile"), scope: "mobile")),
                   search: #"{"short_text":[{"operator":"=","scope":"mobile","value":"mobile"}]}"#, passing: ["shoe"]),
        FilterCase(name: "localizable value needs its locale", filter: attributes(condition("name", "=", .string("bare"))),
                   search: #"{"name":[{"operator":"=","value":"bare"}]}"#, passing: []),
        // MARK: Ordering
        FilterCase(name: "<", filter: attributes(condition("stock", "<", .int(12))),
                   search: #"{"stock":[{"operator":"<","value":12}]}"#, passing: ["shirt"]),
        FilterCase(name: "<=", filter: attributes(condition("stock", "<=", .int(12))),
                   search: #"{"stock":[{"operator":"<=","value":12}]}"#, passing: ["shoe", "shirt"]),
        FilterCase(name: ">", filter: attributes(condition("stock", ">", .int(5))),
                   search: #"{"stock":[{"operator":">","value":5}]}"#, passing: ["shoe"]),
        FilterCase(name: ">=", filter: attributes(condition("stock", ">=", .int(5))),
                   search: #"{"stock":[{"operator":">=","value":5}]}"#, passing: ["shoe", "shirt"]),
        FilterCase(name: "decimal strings compare as numbers", filter: attributes(condition("rating", ">", .int(4))),
                   search: #"{"rating":[{"operator":">","value":4}]}"#, passing: ["shoe"]),
        FilterCase(name: "numbers compare numerically, not as text", filter: attributes(condition("stock", ">", .int(100))),
                   search: #"{"stock":[{"operator":">","value":100}]}"#, passing: []),
        FilterCase(name: "date > day", filter: attributes(condition("release_date", ">", .string("2024-01-01"))),
                   search: #"{"release_date":[{"operator":">","value":"2024-01-01"}]}"#, passing: ["shoe"]),
        FilterCase(name: "date = day", filter: attributes(condition("release_date", "=", .string("2023-06-15"))),
                   search: #"{"release_date":[{"operator":"=","value":"2023-06-15"}]}"#, passing: ["shirt"]),
        FilterCase(name: "price in a currency", filter: attributes(condition("price", ">=", price(.int(700), "EUR"))),
                   search: #"{"price":[{"operator":">=","value":{"amount":700,"currency":"EUR"}}]}"#, passing: ["shoe"]),
        FilterCase(name: "price in another currency", filter: attributes(condition("price", "<", price(.string("30"), "USD"))),
                   search: #"{"price":[{"operator":"<","value":{"amount":"30","currency":"USD"}}]}"#, passing: ["shirt"]),
        FilterCase(name: "price != needs a price in the currency",
                   filter: attributes(condition("price", "!=", price(.int(740), "EUR"))),
                   search: #"{"price":[{"operator":"!=","value":{"amount":740,"currency":"EUR"}}]}"#, passing: []),
        FilterCase(name: "price without currency: any price", filter: attributes(condition("price", ">", .int(100))),
                   search: #"{"price":[{"operator":">","value":100}]}"#, passing: ["shoe"]),
        FilterCase(name: "metric in its unit", filter: attributes(condition("weight", ">", metric(.int(500), "GRAM"))),
                   search: #"{"weight":[{"operator":">","value":{"amount":500,"unit":"GRAM"}}]}"#, passing: ["shoe"]),
        FilterCase(name: "metric amount without unit", filter: attributes(condition("weight", ">", .int(1))),
                   search: #"{"weight":[{"operator":">","value":1}]}"#, passing: ["shoe", "shirt"]),
        // MARK: Lists
        FilterCase(name: "IN", filter: attributes(condition("color", "IN", strings("blue", "green"))),
                   search: #"{"color":[{"operator":"IN","value":["blue","green"]}]}"#, passing: ["shoe"]),
        FilterCase(name: "NOT IN", filter: attributes(condition("color", "NOT IN", strings("blue"))),
                   search: #"{"color":[{"operator":"NOT IN","value":["blue"]}]}"#, passing: ["shirt"]),
        FilterCase(name: "multiselect IN any option", filter: attributes(condition("sizes", "IN", strings("42", "XL"))),
                   search: #"{"sizes":[{"operator":"IN","value":["42","XL"]}]}"#, passing: ["shoe"]),
        FilterCase(name: "multiselect NOT IN no option", filter: attributes(condition("sizes", "NOT IN", strings("42"))),
                   search: #"{"sizes":[{"operator":"NOT IN","value":["42"]}]}"#, passing: ["shirt"]),
        FilterCase(name: "IN numbers", filter: attributes(condition("stock", "IN", .list([.int(5), .int(7)]))),
                   search: #"{"stock":[{"operator":"IN","value":[5,7]}]}"#, passing: ["shirt"]),
        // MARK: Text
        FilterCase(name: "CONTAINS", filter: attributes(condition("name", "CONTAINS", .string("Course"), locale: "fr_FR")),
                   search: #"{"name":[{"locale":"fr_FR","operator":"CONTAINS","value":"Course"}]}"#, passing: ["shoe"]),
        FilterCase(name: "DOES NOT CONTAIN",
                   filter: attributes(condition("name", "DOES NOT CONTAIN", .string("course"), locale: "fr_FR")),
                   search: #"{"name":[{"locale":"fr_FR","operator":"DOES NOT CONTAIN","value":"course"}]}"#,
                   passing: ["shirt"]),
        FilterCase(name: "STARTS WITH", filter: attributes(condition("name", "STARTS WITH", .string("chemise"), locale: "fr_FR")),
                   search: #"{"name":[{"locale":"fr_FR","operator":"STARTS WITH","value":"chemise"}]}"#, passing: ["shirt"]),
        FilterCase(name: "STARTS WITH is a prefix", filter: attributes(condition("name", "STARTS WITH", .string("lin"), locale: "fr_FR")),
                   search: #"{"name":[{"locale":"fr_FR","operator":"STARTS WITH","value":"lin"}]}"#, passing: []),
        FilterCase(name: "CONTAINS on non-ASCII text",
                   filter: attributes(condition("description", "CONTAINS", .string("LÉGÈRE"), locale: "fr_FR", scope: "ecommerce")),
                   search: #"{"description":[{"locale":"fr_FR","operator":"CONTAINS","scope":"ecommerce","value":"LÉGÈRE"}]}"#,
                   passing: ["shoe"]),
        // MARK: Emptiness
        FilterCase(name: "EMPTY", filter: attributes(condition("description", "EMPTY", locale: "en_US", scope: "ecommerce")),
                   search: #"{"description":[{"locale":"en_US","operator":"EMPTY","scope":"ecommerce"}]}"#,
                   passing: ["bare", "shirt"]),
        FilterCase(name: "NOT EMPTY", filter: attributes(condition("description", "NOT EMPTY", locale: "en_US", scope: "ecommerce")),
                   search: #"{"description":[{"locale":"en_US","operator":"NOT EMPTY","scope":"ecommerce"}]}"#,
                   passing: ["shoe"]),
        FilterCase(name: "empty string and empty list are empty",
                   filter: attributes(condition("empty_text", "EMPTY"), condition("no_options", "EMPTY")),
                   search: #"{"empty_text":[{"operator":"EMPTY"}],"no_options":[{"operator":"EMPTY"}]}"#,
                   passing: ["shoe", "bare", "shirt"]),
        FilterCase(name: "NOT EMPTY boolean false", filter: attributes(condition("waterproof", "NOT EMPTY")),
                   search: #"{"waterproof":[{"operator":"NOT EMPTY"}]}"#, passing: ["shoe", "shirt"]),
        // MARK: Ranges
        FilterCase(name: "BETWEEN days, inclusive",
                   filter: attributes(condition("release_date", "BETWEEN", strings("2024-01-01", "2024-04-01"))),
                   search: #"{"release_date":[{"operator":"BETWEEN","value":["2024-01-01","2024-04-01"]}]}"#,
                   passing: ["shoe"]),
        FilterCase(name: "NOT BETWEEN days",
                   filter: attributes(condition("release_date", "NOT BETWEEN", strings("2024-01-01", "2024-04-01"))),
                   search: #"{"release_date":[{"operator":"NOT BETWEEN","value":["2024-01-01","2024-04-01"]}]}"#,
                   passing: ["shirt"]),
        FilterCase(name: "BETWEEN numbers", filter: attributes(condition("stock", "BETWEEN", .list([.int(1), .int(10)]))),
                   search: #"{"stock":[{"operator":"BETWEEN","value":[1,10]}]}"#, passing: ["shirt"]),
        FilterCase(name: "NOT BETWEEN numbers", filter: attributes(condition("stock", "NOT BETWEEN", .list([.int(1), .int(10)]))),
                   search: #"{"stock":[{"operator":"NOT BETWEEN","value":[1,10]}]}"#, passing: ["shoe"]),
        // MARK: Combined
        FilterCase(name: "all conditions hold together",
                   filter: ProductFilter(enabled: true, families: ["shoes", "shirts"],
                                         categories: .init(in: ["summer"], notIn: ["archived"]),
                                         completeness: .init(scope: "ecommerce", min: 100),
                                         attributes: [condition("sizes", "IN", strings("42")),
                                                      condition("price", ">", price(.int(500), "EUR"))]),
                   search: #"{"categories":[{"operator":"IN","value":["summer"]},{"operator":"NOT IN","value":["archived"]}],"completeness":[{"operator":">=","scope":"ecommerce","value":100}],"enabled":[{"operator":"=","value":true}],"family":[{"operator":"IN","value":["shoes","shirts"]}],"price":[{"operator":">","value":{"amount":500,"currency":"EUR"}}],"sizes":[{"operator":"IN","value":["42"]}]}"#,
                   passing: ["shoe"]),
        FilterCase(name: "two conditions on one attribute",
                   filter: attributes(condition("stock", ">", .int(1)), condition("stock", "<", .int(10))),
                   search: #"{"stock":[{"operator":">","value":1},{"operator":"<","value":10}]}"#, passing: ["shirt"]),
    ]

    @Test(arguments: cases)
    func evaluatesLocallyAsTheSearchQuerySays(_ testCase: FilterCase) throws {
        let engine = try FilterEngine(testCase.filter)
        #expect(engine.searchJSON == testCase.search)
        #expect(try CanonicalJSON.parse(engine.searchJSON) == engine.searchQuery)
        let passing = zip(ProductFixtures.names, ProductFixtures.all).filter { engine.matches($0.1) }.map(\.0)
        #expect(passing == testCase.passing)
        for (name, product) in zip(ProductFixtures.names, ProductFixtures.all) {
            #expect((engine.rejection(of: product) == nil) == testCase.passing.contains(name), "\(name)")
        }
    }

    /// Every operator Akeneo offers (and the schema accepts) has a case above.
    @Test func everyOperatorIsCovered() {
        let used = Set(Self.cases.flatMap { $0.filter.attributes ?? [] }.map(\.operator))
        #expect(used == Set(ResourceSchemas.filterOperators))
        #expect(Set(FilterOperator.allCases.map(\.rawValue)) == Set(ResourceSchemas.filterOperators))
    }

    // MARK: - Rejection reasons

    @Test(arguments: [
        (ProductFilter(enabled: true), ProductFixtures.bare, #"does not match enabled {"operator":"=","value":true}"#),
        (ProductFilter(families: ["shoes"]), ProductFixtures.shirt, #"does not match family {"operator":"IN","value":["shoes"]}"#),
        (ProductFilter(enabled: true, families: ["shoes"]), ProductFixtures.bare,
         #"does not match enabled {"operator":"=","value":true}"#),
        (ProductFilter(completeness: .init(scope: "ecommerce", min: 100)), ProductFixtures.bare,
         #"does not match completeness {"operator":">=","scope":"ecommerce","value":100}"#),
        (attributes(condition("name", "CONTAINS", .string("x"), locale: "fr_FR")), ProductFixtures.shoe,
         #"does not match name {"locale":"fr_FR","operator":"CONTAINS","value":"x"}"#),
    ])
    func explainsTheFirstFailingCondition(_ filter: ProductFilter, _ product: Value, _ reason: String) throws {
        #expect(try FilterEngine(filter).rejection(of: product) == reason)
    }

    @Test func completenessMayBeNamedCompleteness() throws {
        let product = ProductFixtures.product(#"{"completeness": [{"scope": "ecommerce", "locale": "fr_FR", "data": "100"}]}"#)
        #expect(try FilterEngine(ProductFilter(completeness: .init(scope: "ecommerce", min: 100))).matches(product))
        #expect(try !FilterEngine(ProductFilter(completeness: .init(scope: "mobile", min: 100))).matches(product))
    }

    @Test func productWithoutEnabledMatchesNeitherState() throws {
        let product = ProductFixtures.product(#"{"identifier": "X"}"#)
        #expect(try !FilterEngine(ProductFilter(enabled: true)).matches(product))
        #expect(try !FilterEngine(ProductFilter(enabled: false)).matches(product))
        #expect(try FilterEngine(ProductFilter()).matches(product))
    }

    // MARK: - Invalid filters

    @Test(arguments: [
        (condition("color", "LIKE", .string("b")),
         "products.filter.attributes[0].operator: unknown operator \"LIKE\" (one of =, !=, <, <=, >, >=, IN, NOT IN, EMPTY, NOT EMPTY, CONTAINS, DOES NOT CONTAIN, STARTS WITH, BETWEEN, NOT BETWEEN)"),
        (condition("color", "in", strings("b")), "products.filter.attributes[0].operator: unknown operator \"in\" (one of =, !=, <, <=, >, >=, IN, NOT IN, EMPTY, NOT EMPTY, CONTAINS, DOES NOT CONTAIN, STARTS WITH, BETWEEN, NOT BETWEEN)"),
        (condition("color", "IN", .string("blue")), "products.filter.attributes[0]: IN takes a list value"),
        (condition("color", "NOT IN"), "products.filter.attributes[0]: NOT IN takes a list value"),
        (condition("stock", "BETWEEN", .list([.int(1)])), "products.filter.attributes[0]: BETWEEN takes a list of two values"),
        (condition("stock", "NOT BETWEEN", .int(1)), "products.filter.attributes[0]: NOT BETWEEN takes a list of two values"),
        (condition("color", "EMPTY", .string("x")), "products.filter.attributes[0]: EMPTY takes no value"),
        (condition("color", "="), "products.filter.attributes[0]: = needs a single value"),
        (condition("color", "CONTAINS", strings("a")), "products.filter.attributes[0]: CONTAINS needs a single value"),
    ])
    func rejectsInvalidCondition(_ condition: ProductFilter.AttributeCondition, _ message: String) {
        #expect(throws: FilterError(message)) { try FilterEngine(attributes(condition)) }
    }
}
