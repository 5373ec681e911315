import Testing
@testable import SyndicCore

/// The columns of a mapping: the recorded order first, unlisted targets after in name order,
/// and the engine's rows in that order.
struct MappingOrderTests {
    /// Targets, a recorded order, and the columns they make.
    static let arrangements: [([String], [String]?, [String])] = [
        // The recorded order, whatever the names.
        (["price", "sku", "title"], ["title", "sku", "price"], ["title", "sku", "price"]),
        // No order (a spec stored before it was kept): name order.
        (["title", "sku", "price"], nil, ["price", "sku", "title"]),
        // Targets the order does not list follow, sorted by name.
        (["price", "sku", "title", "ean", "brand"], ["title", "sku"], ["title", "sku", "brand", "ean", "price"]),
        // Listed names that are not targets, and repeats, are ignored.
        (["price", "sku"], ["gone", "sku", "sku", "price"], ["sku", "price"]),
        ([], ["sku"], []),
    ]

    @Test(arguments: arrangements)
    func arrangeFollowsTheOrderThenNames(_ targets: [String], _ order: [String]?, _ expected: [String]) {
        #expect(MappingOrder.arrange(targets, order: order) == expected)
    }

    @Test func columnsOfASpecReadItsRecordedOrder() throws {
        let recorded = try CanonicalJSON.parse(#"""
            {"type": "flat-file", "products": {"mapping": {"a": "a", "b": "b", "c": "c"}, "mappingOrder": ["c", "a", "b"]}}
            """#)
        #expect(MappingOrder.columns(of: recorded) == ["c", "a", "b"])
        let stored = try CanonicalJSON.parse(#"{"type": "flat-file", "products": {"mapping": {"c": "c", "a": "a"}}}"#)
        #expect(MappingOrder.columns(of: stored) == ["a", "c"])
        #expect(MappingOrder.columns(of: try CanonicalJSON.parse(#"{"type": "mirakl"}"#)) == [])
    }

    // MARK: - The engine

    static let mapping: [String: MappingValue] = [
        "sku": .object(MappingObject(field: "identifier")),
        "title": .expression("name"),
        "price": .expression("price@EUR"),
        "brand": .object(MappingObject(value: .string("ACME"))),
    ]

    @Test func engineTargetsAndCellsFollowTheOrder() throws {
        let context = MappingContext(scope: "ecommerce", locales: ["fr_FR"])
        let engine = try MappingEngine(mapping: Self.mapping, order: ["title", "sku", "price", "brand"], context: context)
        #expect(engine.targets == ["title", "sku", "price", "brand"])
        #expect(engine.map(ProductFixtures.shoe) == .row(["Chaussure de course", "SHOE-001", "740.00", "ACME"]))
        let partial = try MappingEngine(mapping: Self.mapping, order: ["title", "sku"], context: context)
        #expect(partial.targets == ["title", "sku", "brand", "price"])
        #expect(partial.map(ProductFixtures.shoe) == .row(["Chaussure de course", "SHOE-001", "ACME", "740.00"]))
        #expect(try MappingEngine(mapping: Self.mapping, context: context).targets == ["brand", "price", "sku", "title"])
    }

    @Test func channelEngineUsesTheChannelsRecordedOrder() throws {
        let channel = ChannelSpec(type: .flatFile, products: .init(mapping: Self.mapping,
                                                                     mappingOrder: ["sku", "price", "title", "brand"]))
        #expect(try MappingEngine(channel: channel).targets == ["sku", "price", "title", "brand"])
        let stored = ChannelSpec(type: .flatFile, products: .init(mapping: Self.mapping))
        #expect(try MappingEngine(channel: stored).targets == ["brand", "price", "sku", "title"])
    }

    @Test func theFirstProblemInColumnOrderIsThrown() {
        let mapping: [String: MappingValue] = ["a": .expression("bad-code"), "z": .expression("also-bad")]
        #expect(throws: MappingError(#"products.mapping.z: "also-bad": "also-bad" is not an attribute code (letters, digits, _)"#)) {
            try MappingEngine(mapping: mapping, order: ["z", "a"])
        }
    }
}
