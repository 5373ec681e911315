import Testing
@testable import SyndicCore

/// The compiler records a channel's mapping targets in the order the file writes them
/// (`products.mappingOrder`), a key nobody writes by hand.
struct DocumentCompilerMappingOrderTests {
    /// A valid flat-file channel whose `products` continue with `lines` (indented by four).
    static func feed(_ lines: String...) -> String {
        """
        apiVersion: syndic/v1
        kind: Channel
        metadata: {name: feed}
        spec:
          type: flat-file
          source: {connection: pim}
          products:
            export:
              storage: {connection: outbox}

        """ + lines.map { "    \($0)\n" }.joined()
    }

    /// The only resource of `text`.
    static func resource(_ text: String) throws -> CompiledResource {
        let file = TestConfig.compile(text, path: "channels/feed.yaml")
        return try #require(file.resources.first)
    }

    static func order(_ resource: CompiledResource) throws -> [String]? {
        try resource.specValue().value(at: "products.mappingOrder")?.listValue?.compactMap(\.stringValue)
    }

    @Test func theOrderIsTheFilesNotTheNames() throws {
        let text = Self.feed("mapping:", "  title: name", "  sku: {field: identifier}", "  price: price@EUR",
                             "  brand: {value: ACME}")
        let resource = try Self.resource(text)
        #expect(try Self.order(resource) == ["title", "sku", "price", "brand"])
        #expect(try resource.channelSpec().products?.mappingOrder == ["title", "sku", "price", "brand"])
        #expect(resource.specJSON.contains(#""mappingOrder":["title","sku","price","brand"]"#))
        // The stored spec carries it: a resource read back from its JSON keeps the order.
        #expect(try CanonicalJSON.parse(resource.specJSON) == resource.specValue())
        // Nothing to say about a key the compiler derived.
        #expect(TestConfig.render(text, path: "channels/feed.yaml") == [])
    }

    @Test func flowMappingsKeepTheirOrderToo() throws {
        let resource = try Self.resource(Self.feed("mapping: {z_last: sku, a_first: name, m: {field: family}}"))
        #expect(try Self.order(resource) == ["z_last", "a_first", "m"])
    }

    @Test func targetsTheSchemaDroppedAreNotListed() throws {
        let text = Self.feed("mapping:", "  title: name", "  broken: [1, 2]", "  sku: sku")
        #expect(try Self.order(Self.resource(text)) == ["title", "sku"])
        #expect(TestConfig.render(text, path: "channels/feed.yaml").contains {
            $0.contains("products.mapping.broken: expected")
        })
    }

    @Test func specsWithoutMappingTargetsGetNoOrder() throws {
        #expect(try Self.order(Self.resource(Self.feed())) == nil)
        #expect(try Self.order(Self.resource(Self.feed("mapping: {}"))) == nil)
        let connection = try Self.resource("""
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: outbox}
            spec: {type: local, path: out}
            """)
        #expect(!connection.specJSON.contains("mappingOrder"))
    }

    @Test func aHandWrittenOrderIsAnUnknownKeyAndIgnored() throws {
        let text = Self.feed("mapping: {sku: sku, title: name}", "mappingOrder: [title, sku]")
        let diagnostics = TestConfig.render(text, path: "channels/feed.yaml")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.contains(#"error: unknown key "mappingOrder" in products"#) == true)
        #expect(try Self.order(Self.resource(text)) == ["sku", "title"])
    }
}
