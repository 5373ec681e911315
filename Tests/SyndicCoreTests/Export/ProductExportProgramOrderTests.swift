import Testing
@testable import SyndicCore

/// Column order and delta exports: a reordered CSV (`flat-file`) is a new layout and resends
/// every product; other destinations read values by name, so a reorder resends nothing.
struct ProductExportProgramOrderTests {
    /// A channel of `type` mapping `sku` and `title`, with `order` recorded (nil: none, as in
    /// specs stored before the order was kept).
    static func spec(_ type: String, order: [String]?) -> String {
        let quoted = order?.map { target in "\"\(target)\"" }.joined(separator: ", ")
        let recorded = quoted.map { #", "mappingOrder": [\#($0)]"# } ?? ""
        return #"""
            {"type": "\#(type)", "status": "active",
             "source": {"connection": "pim", "scope": "ecommerce", "locales": ["en_US"]},
             "products": {"filter": {"enabled": true},
                          "mapping": {"sku": "sku", "title": {"attribute": "name", "required": true}}\#(recorded),
                          "export": {"delta": true}}}
            """#
    }

    static func program(_ type: String, order: [String]?) throws -> ProductExportProgram {
        try ExportFixtures.program(spec(type, order: order))
    }

    static func digest(_ type: String, order: [String]?) throws -> String {
        ProductExportProgram.specDigest(of: try ExportFixtures.value(spec(type, order: order)))
    }

    // MARK: - Spec digest

    @Test(arguments: ["flat-file", "mirakl", "akeneo-api"])
    func columnsInNameOrderKeepTheDigestOfSpecsWithoutOrder(_ type: String) throws {
        let stored = try Self.digest(type, order: nil)
        #expect(try Self.digest(type, order: ["sku", "title"]) == stored)
        #expect(try Self.program(type, order: nil).specDigest == stored)
    }

    @Test func aReorderChangesTheDigestOfAFlatFileOnly() throws {
        let byName = try Self.digest("flat-file", order: ["sku", "title"])
        let reordered = try Self.digest("flat-file", order: ["title", "sku"])
        #expect(reordered != byName)
        #expect(try Self.program("flat-file", order: ["title", "sku"]).specDigest == reordered)
        for type in ["mirakl", "akeneo-api"] {
            #expect(try Self.digest(type, order: ["title", "sku"]) == Self.digest(type, order: nil), "\(type)")
        }
    }

    // MARK: - Rows and delta exports

    @Test func rowsFollowTheRecordedOrder() throws {
        let program = try Self.program("mirakl", order: ["title", "sku"])
        #expect(program.mapping.targets == ["title", "sku"])
        let (outcome, scratch) = ProductExportProgramTests.process(DeltaTrackerTests.product("A"), program)
        #expect(outcome == "send")
        #expect(scratch.row == ["Shoe", "A-sku"])
    }

    @Test func aReorderedFlatFileResendsEveryProduct() throws {
        // B's title equals its sku: its cells read the same in both orders, and it is resent all the same.
        let products = [DeltaTrackerTests.product("A"), DeltaTrackerTests.product("B", name: "B-sku")]
        let byName = try Self.program("flat-file", order: nil)
        let first = DeltaTrackerTests.export(products, program: byName, previous: nil).tracker.snapshot()
        // Recorded in name order: the layout and the digest of a spec without order.
        let recordedByName = try Self.program("flat-file", order: ["sku", "title"])
        #expect(DeltaTrackerTests.export(products, program: recordedByName, previous: first).outcomes
                == ["unchanged", "unchanged"])

        let reordered = try Self.program("flat-file", order: ["title", "sku"])
        let second = DeltaTrackerTests.export(products, program: reordered, previous: first)
        #expect(second.outcomes == ["send", "send"])
        let third = DeltaTrackerTests.export(products, program: reordered, previous: second.tracker.snapshot())
        #expect(third.outcomes == ["unchanged", "unchanged"])
        // And back to name order: a new layout again.
        let back = DeltaTrackerTests.export(products, program: byName, previous: third.tracker.snapshot())
        #expect(back.outcomes == ["send", "send"])
    }

    @Test(arguments: ["mirakl", "akeneo-api"])
    func aReorderElsewhereResendsNothing(_ type: String) throws {
        let products = [DeltaTrackerTests.product("A"), DeltaTrackerTests.product("B")]
        let stored = try Self.program(type, order: nil)
        let first = DeltaTrackerTests.export(products, program: stored, previous: nil)
        let reordered = try Self.program(type, order: ["title", "sku"])
        // B's text changed in a field the mapping does not read: read again, and its row is the same.
        let touched = [DeltaTrackerTests.product("A"), DeltaTrackerTests.product("B", updated: "2025-02-02")]
        let second = DeltaTrackerTests.export(touched, program: reordered, previous: first.tracker.snapshot())
        #expect(second.outcomes == ["unchanged", "same"])
        // A real change is still sent.
        let third = DeltaTrackerTests.export([DeltaTrackerTests.product("A", name: "Boot")], program: reordered,
                                             previous: second.tracker.snapshot())
        #expect(third.outcomes == ["send"])
    }
}
