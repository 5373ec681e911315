import Testing
@testable import SyndicCore

/// What the plan says when a mapping's columns move: only a change in the relative order of
/// the targets both specs map is a reorder; the note depends on the channel's type and delta.
struct ColumnOrderChangeTests {
    /// A channel spec of `type` mapping `targets` (each reads `sku`), with `order` recorded
    /// (nil: none, as in specs stored before the order was kept).
    static func spec(_ targets: [String], order: [String]?, type: String = "flat-file", delta: Bool = true) -> Value {
        var products: [String: Value] = [
            "mapping": .object(Dictionary(uniqueKeysWithValues: targets.map { ($0, Value.string("sku")) })),
            "export": .object(["delta": .bool(delta)]),
        ]
        if let order { products["mappingOrder"] = .list(order.map(Value.string)) }
        return .object(["type": .string(type), "products": .object(products)])
    }

    /// A change from `before` to `after` (targets in written order, both recorded).
    static func change(_ before: [String], _ after: [String], type: String = "flat-file", delta: Bool = true)
        -> (field: FieldChange, note: ChangeNote?)? {
        ColumnOrderChange.of(old: spec(before, order: before, type: type, delta: delta),
                             new: spec(after, order: after, type: type, delta: delta))
    }

    static let cases: [(String, [String], [String], Bool)] = [
        ("same order", ["sku", "title", "price"], ["sku", "title", "price"], false),
        ("two columns swapped", ["sku", "title", "price"], ["title", "sku", "price"], true),
        ("a column moved to the end", ["sku", "title", "price"], ["title", "price", "sku"], true),
        ("a target added in the middle", ["sku", "price"], ["sku", "ean", "price"], false),
        ("a target removed", ["sku", "ean", "price"], ["sku", "price"], false),
        ("a target renamed in place", ["sku", "title", "price"], ["sku", "name", "price"], false),
        ("one added and the others swapped", ["sku", "price"], ["price", "ean", "sku"], true),
        ("no target in common", ["a", "b"], ["c", "d"], false),
        ("a mapping appears", [], ["b", "a"], false),
    ]

    @Test(arguments: cases)
    func onlyARelativeOrderChangeIsAReorder(_ name: String, _ before: [String], _ after: [String], _ reorder: Bool) {
        #expect((Self.change(before, after) != nil) == reorder, "\(name)")
    }

    @Test func theFieldShowsBothColumnLists() throws {
        let change = try #require(Self.change(["sku", "price"], ["price", "ean", "sku"]))
        #expect(change.field == FieldChange(path: "products.mappingOrder", before: "[sku, price]", after: "[price, ean, sku]"))
    }

    @Test func aStoredSpecWithoutOrderHadItsColumnsInNameOrder() throws {
        let stored = Self.spec(["title", "sku", "price"], order: nil)
        let written = try #require(ColumnOrderChange.of(old: stored, new: Self.spec(["title", "sku", "price"],
                                                                                  order: ["title", "sku", "price"])))
        #expect(written.field.before == "[price, sku, title]")
        #expect(written.field.after == "[title, sku, price]")
        // Written in name order: the columns stay where they were.
        #expect(ColumnOrderChange.of(old: stored, new: Self.spec(["title", "sku", "price"],
                                                                 order: ["price", "sku", "title"])) == nil)
    }

    static let notes: [(String, Bool, ChangeNote?)] = [
        ("flat-file", true, .columnsReordered(file: .productFile, deltaExport: true)),
        ("flat-file", false, .columnsReordered(file: .productFile, deltaExport: false)),
        ("mirakl", true, .columnsReordered(file: .offerFile, deltaExport: true)),
        ("mirakl", false, .columnsReordered(file: .offerFile, deltaExport: false)),
        ("akeneo-api", true, nil),
        ("amazon-seller", false, nil),
    ]

    @Test(arguments: notes)
    func theNoteNamesTheFileWhoseColumnsMove(_ type: String, _ delta: Bool, _ note: ChangeNote?) throws {
        let change = try #require(Self.change(["sku", "title"], ["title", "sku"], type: type, delta: delta))
        #expect(change.note == note)
    }
}
