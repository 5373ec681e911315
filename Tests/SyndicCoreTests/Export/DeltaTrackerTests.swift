import Foundation
import Testing
@testable import SyndicCore

/// Delta exports driven end to end through `ProductExportProgram.process`: real channel
/// specs, small product texts, one export after the other.
struct DeltaTrackerTests {
    static let spec = #"""
        {"type": "flat-file", "status": "active",
         "source": {"connection": "pim", "scope": "ecommerce", "locales": ["en_US"]},
         "products": {"filter": {"enabled": true},
                      "mapping": {"sku": "sku", "title": {"attribute": "name", "required": true}},
                      "export": {"delta": true, "schedule": {"every": "1h"}}}}
        """#

    /// A product; `updated` is read by nothing the channel maps.
    static func product(_ id: String, name: String? = "Shoe", enabled: Bool = true, updated: String = "2024-01-01") -> String {
        let nameValue = name.map { #", "name": [{"locale": "en_US", "scope": null, "data": "\#($0)"}]"# } ?? ""
        return #"""
            {"identifier": "\#(id)", "enabled": \#(enabled), "updated": "\#(updated)",
             "values": {"sku": [{"locale": null, "scope": null, "data": "\#(id)-sku"}]\#(nameValue)}}
            """#
    }

    /// One export of `products`: each product's outcome (`unchanged` only when the product was
    /// not read at all) and the tracker it leaves.
    static func export(_ products: [String], program: ProductExportProgram, delta: Bool = true,
                       previous: DeltaSnapshot?) -> (outcomes: [String], tracker: DeltaTracker) {
        var tracker = DeltaTracker(delta: delta, specDigest: program.specDigest, previous: previous)
        var scratch = ProductExportProgram.Scratch()
        let outcomes = products.map { text in
            scratch.key = "not read"
            let outcome = ExportFixtures.withBytes(text) { program.process($0, tracker: &tracker, scratch: &scratch) }
            let kind = ExportFixtures.kind(outcome)
            return kind == "unchanged" && scratch.key != "not read" ? "unchanged but read" : kind
        }
        return (outcomes, tracker)
    }

    static func entry(_ snapshot: DeltaSnapshot, key: String) -> DeltaSnapshot.Entry? {
        snapshot.entries.first { $0.keyHash == FastHash.hash(key) }
    }

    // MARK: - Full and first exports

    @Test(arguments: [false, true])
    func withoutPreviousEverythingEligibleIsSent(_ delta: Bool) throws {
        let program = try ExportFixtures.program(Self.spec)
        let products = [Self.product("A"), Self.product("B", enabled: false), Self.product("C", name: nil), "{oops"]
        let (outcomes, tracker) = Self.export(products, program: program, delta: delta, previous: nil)
        #expect(outcomes == ["send", "filteredOut", "skipped", "invalid"])
        #expect(tracker.delta == delta)
        let snapshot = tracker.snapshot()
        #expect(snapshot.specDigest == program.specDigest)
        #expect(snapshot.entries.map(\.keyHash) == ["A", "B", "C"].map { FastHash.hash($0) }, "an invalid product is not recorded")
        #expect(snapshot.entries.map(\.rawHash) == products.prefix(3).map { Array($0.utf8).withUnsafeBytes(FastHash.wide) })
        #expect(snapshot.entries[0].outputHash != 0)
        #expect(snapshot.entries[1].outputHash == 0, "filtered out")
        #expect(snapshot.entries[2].outputHash == 0, "skipped")
    }

    @Test func fullExportIgnoresThePreviousSnapshot() throws {
        let program = try ExportFixtures.program(Self.spec)
        let products = [Self.product("A"), Self.product("B")]
        let first = Self.export(products, program: program, previous: nil).tracker.snapshot()
        let (outcomes, tracker) = Self.export(products, program: program, delta: false, previous: first)
        #expect(outcomes == ["send", "send"])
        #expect(tracker.snapshot() == first, "the same products leave the same snapshot")
    }

    // MARK: - Delta exports

    @Test func deltaSendsOnlyChangedOutput() throws {
        let program = try ExportFixtures.program(Self.spec)
        let first = Self.export([Self.product("A"), Self.product("B"), Self.product("C")],
                                program: program, previous: nil).tracker.snapshot()
        let second = Self.export([Self.product("C", name: "Boot"), Self.product("A"), Self.product("D"),
                                  Self.product("B", updated: "2025-02-02")],
                                 program: program, previous: first)
        #expect(second.outcomes == ["send", "unchanged", "send", "same"])
        let snapshot = second.tracker.snapshot()
        #expect(snapshot.entries.count == 4)
        #expect(Self.entry(snapshot, key: "A") == Self.entry(first, key: "A"), "an unchanged product's entry carries over")
        #expect(Self.entry(snapshot, key: "B")?.outputHash == Self.entry(first, key: "B")?.outputHash)
        #expect(Self.entry(snapshot, key: "B")?.rawHash != Self.entry(first, key: "B")?.rawHash)
        #expect(Self.entry(snapshot, key: "C")?.outputHash != Self.entry(first, key: "C")?.outputHash)

        let third = Self.export([Self.product("C", name: "Boot"), Self.product("A"), Self.product("D"),
                                 Self.product("B", updated: "2025-02-02")],
                                program: program, previous: snapshot)
        #expect(third.outcomes == ["unchanged", "unchanged", "unchanged", "unchanged"])
        #expect(third.tracker.snapshot() == snapshot)
    }

    @Test func specDigestChangeDisablesTheRawShortcutOnly() throws {
        let program = try ExportFixtures.program(Self.spec)
        let products = [Self.product("A"), Self.product("B")]
        let first = Self.export(products, program: program, previous: nil).tracker.snapshot()
        // A new value separator: the digest changes, the output of these products does not.
        let separated = try ExportFixtures.program(Self.spec.replacingOccurrences(
            of: #""delta": true"#, with: #""delta": true, "valueSeparator": "|""#))
        #expect(separated.specDigest != program.specDigest)
        let second = Self.export([Self.product("A"), Self.product("B", name: "Boot")], program: separated, previous: first)
        #expect(second.outcomes == ["same", "send"])
        #expect(second.tracker.snapshot().specDigest == separated.specDigest)
        let third = Self.export([Self.product("A"), Self.product("B", name: "Boot")], program: separated,
                                previous: second.tracker.snapshot())
        #expect(third.outcomes == ["unchanged", "unchanged"])
    }

    @Test func refusedProductsAreSentAgain() throws {
        let program = try ExportFixtures.program(Self.spec)
        let products = [Self.product("A"), Self.product("B")]
        let exported = Self.export(products, program: program, previous: nil)
        #expect(exported.outcomes == ["send", "send"])
        var tracker = exported.tracker
        tracker.refused(keyHashes: [])
        tracker.refused(keyHashes: [FastHash.hash("A")])
        let first = tracker.snapshot()
        #expect(Self.entry(first, key: "A") == DeltaSnapshot.Entry(rawHash: 0, keyHash: FastHash.hash("A"), outputHash: 0))
        #expect(Self.entry(first, key: "B")?.outputHash != 0)
        let second = Self.export(products, program: program, previous: first)
        #expect(second.outcomes == ["send", "unchanged"])
        let third = Self.export(products, program: program, previous: second.tracker.snapshot())
        #expect(third.outcomes == ["unchanged", "unchanged"])
    }

    @Test func productsNotExportedAreSentOnceEligible() throws {
        let program = try ExportFixtures.program(Self.spec)
        let first = Self.export([Self.product("A", enabled: false), Self.product("B", name: nil)],
                                program: program, previous: nil)
        #expect(first.outcomes == ["filteredOut", "skipped"])
        #expect(first.tracker.snapshot().entries.map(\.outputHash) == [0, 0])
        // Same texts, same spec: still not eligible, not even read.
        let second = Self.export([Self.product("A", enabled: false), Self.product("B", name: nil)],
                                 program: program, previous: first.tracker.snapshot())
        #expect(second.outcomes == ["unchanged", "unchanged"])
        // The products change and become eligible.
        let third = Self.export([Self.product("A"), Self.product("B")], program: program,
                                previous: second.tracker.snapshot())
        #expect(third.outcomes == ["send", "send"])
        // Or the filter changes and lets the same text through.
        let unfiltered = try ExportFixtures.program(Self.spec.replacingOccurrences(of: #"{"enabled": true}"#, with: "{}"))
        let fourth = Self.export([Self.product("A", enabled: false)], program: unfiltered,
                                 previous: second.tracker.snapshot())
        #expect(fourth.outcomes == ["send"])
    }

    // MARK: - Chunks decided apart

    @Test func chunksDecidedApartMakeTheSameSnapshot() throws {
        let program = try ExportFixtures.program(Self.spec)
        let products = (0..<10).map { Self.product("P\($0)", enabled: $0 % 3 != 0) }
        let first = Self.export(products, program: program, previous: nil).tracker.snapshot()
        let changed = products.enumerated().map { $0 % 2 == 0 ? Self.product("P\($0)", name: "New") : $1 }
        let sequential = Self.export(changed, program: program, previous: first)

        var tracker = DeltaTracker(delta: true, specDigest: program.specDigest, previous: first)
        var outcomes: [String] = []
        for chunk in stride(from: 0, to: changed.count, by: 4).map({ changed[$0..<min($0 + 4, changed.count)] }) {
            var entries: [DeltaSnapshot.Entry] = []
            var scratch = ProductExportProgram.Scratch()
            for text in chunk {
                let outcome = ExportFixtures.withBytes(text) {
                    program.process($0, index: tracker.index, entries: &entries, scratch: &scratch)
                }
                outcomes.append(ExportFixtures.kind(outcome))
            }
            tracker.append(contentsOf: entries)
        }
        #expect(outcomes == sequential.outcomes)
        #expect(tracker.count == changed.count)
        #expect(tracker.snapshot() == sequential.tracker.snapshot())
    }
}
