import Foundation
import SyndicCore
import SyndicEngine
import SyndicStore
import Testing
@testable import SyndicFlows

/// Delta exports of catalogs larger than the whole-index limit read the previous snapshot in
/// windows beside the catalog: they send exactly what the whole index sends when products
/// are added, changed or removed, and products moved beyond the margin are sent again.
@Suite struct DeltaWindowsTests {
    /// Snapshots in parts of 50 with margins of 16, so that a catalog of a few hundred
    /// products spans many windows.
    static let windowed = JobRegistry([ProductExportJob(miraklPollInterval: 0.05, http: FlowWorkspace.http,
                                                        wholeIndexLimit: 10, windowMargin: 16, snapshotPartSize: 50)])

    /// The previous snapshot indexed whole, whatever its size.
    static let whole = JobRegistry([ProductExportJob(miraklPollInterval: 0.05, http: FlowWorkspace.http,
                                                     wholeIndexLimit: .max)])

    static func workspace(_ products: [TestProduct], registry: JobRegistry) throws -> FlowWorkspace {
        let workspace = try FlowWorkspace(registry: registry)
        try workspace.catalog("catalog/products.jsonl", products)
        try workspace.config("connections.yaml", FlatFileDestinationTests.connections)
        try workspace.config("delta_feed.yaml", ProductExportDeltaTests.channel)
        try workspace.apply()
        return workspace
    }

    /// The identifiers the second delta export sends after `change` turned `before` into a new catalog.
    static func sent(_ before: [TestProduct], _ after: [TestProduct], registry: JobRegistry) async throws -> [String] {
        let workspace = try Self.workspace(before, registry: registry)
        let first = try await workspace.run("delta_feed")
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        try workspace.catalog("catalog/products.jsonl", after)
        let second = try await workspace.run("delta_feed")
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        return try #require(try workspace.store.productExports(runID: second.id).first).products
    }

    static let before = (1...400).map { TestProduct($0, eur: "\($0).00") }

    @Test func addedChangedAndRemovedProductsAreFoundAsWithTheWholeIndex() async throws {
        var after = Self.before
        after.removeSubrange(100..<103)                                   // 3 removed
        after.insert(contentsOf: (401...405).map { TestProduct($0) }, at: 0)  // 5 added first: every place shifts
        after[250].eur = "999.00"                                         // 2 mapped values changed
        after[390].name = "Renamed"
        after[300].supplier = "SUP-2"                                     // an unmapped value changed
        let windowed = try await Self.sent(Self.before, after, registry: Self.windowed)
        let whole = try await Self.sent(Self.before, after, registry: Self.whole)
        #expect(whole == ["SKU-0401", "SKU-0402", "SKU-0403", "SKU-0404", "SKU-0405", after[250].identifier,
                          after[390].identifier])
        #expect(windowed == whole)
    }

    @Test func aProductMovedWithinItsWindowIsNotSentAgain() async throws {
        var after = Self.before
        after.append(after.remove(at: 10))  // the whole test catalog is one block, one window
        #expect(try await Self.sent(Self.before, after, registry: Self.windowed).isEmpty)
    }

    /// A stored snapshot of 400 entries (raw hash 1000 + n, key hash 5000 + n) in parts of
    /// 150, entry 10 refused by the destination; windows with margins of 16 over it.
    static func windows(in root: String) throws -> DeltaWindows {
        let store = try SQLiteStateStore(path: root + "/state.sqlite")
        let entries = (0..<400).map { DeltaSnapshot.Entry(rawHash: UInt64(1000 + $0), keyHash: UInt64(5000 + $0), outputHash: 1) }
        let generation = try store.beginSnapshot(channel: "feed")
        for (seq, start) in stride(from: 0, to: 400, by: 150).enumerated() {
            try store.appendSnapshotPart(channel: "feed", generation: generation, seq: seq,
                                         entries: entries[start..<min(start + 150, 400)])
        }
        let record = ProductExportRecord(channel: "feed", runID: nil, mode: "full", at: Date(), sent: 0, file: nil, products: [])
        try store.recordProductExport(record, generation: generation, specDigest: "d", count: 400, refused: [5010])
        let header = try #require(try store.snapshotHeader(channel: "feed"))
        return DeltaWindows(store: store, channel: "feed", header: header, generation: generation, specDigest: "d", margin: 16)
    }

    /// The windows themselves: the parts that hold the places asked for (with the margin),
    /// following the drift; an entry out of the window is not found (its product is sent again).
    @Test func windowsFollowThePlacesAndTheDrift() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-windows-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let windows = try Self.windows(in: root)
        let first = try windows.index(for: 0..<10)  // needs 0..<26: the first part, 0..<150
        #expect(first.unchanged(rawHash: 1000 + 149)?.ordinal == 149)
        #expect(first.unchanged(rawHash: 1000 + 150) == nil, "beyond the window")
        #expect(first.unchanged(rawHash: 1010) == nil, "refused by the destination last time")
        #expect(first.previousOutput(keyHash: 5010) == 0, "refused: as never exported")
        #expect(try windows.index(for: 40..<50).unchanged(rawHash: 1149) != nil, "the same window still covers it")
        windows.drift = 100
        let later = try windows.index(for: 200..<210)  // needs 284..<326: the second and third parts
        #expect(later.unchanged(rawHash: 1000 + 300)?.ordinal == 300)
        #expect(later.unchanged(rawHash: 1000 + 150)?.ordinal == 150)
        #expect(later.unchanged(rawHash: 1000 + 149) == nil, "the first part is gone")
        #expect(later.previousOutput(keyHash: 5000 + 149) == nil)
        #expect(later.unchanged(rawHash: 1000 + 399)?.ordinal == 399)
        #expect(later.unchanged(rawHash: 1000 + 301, after: 300)?.ordinal == 301, "the entry after the last match")
        #expect(later.unchanged(rawHash: 1000 + 150, after: 299)?.ordinal == 150, "not the next entry: the tables")
    }

    /// A window grows by the part after it (indexed ahead) when the places asked for reach
    /// its end, and loses the parts wholly before the margin; at the end of the snapshot the
    /// last window holds what is left.
    @Test func windowsMovePartByPart() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-windows-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let windows = try Self.windows(in: root)
        #expect(try windows.index(for: 0..<10).unchanged(rawHash: 1000 + 150) == nil, "the first window is 0..<150")
        let grown = try windows.index(for: 130..<140)  // needs 114..<156: the first two parts
        #expect(grown.unchanged(rawHash: 1000)?.ordinal == 0)
        #expect(grown.unchanged(rawHash: 1000 + 299)?.ordinal == 299)
        #expect(grown.unchanged(rawHash: 1000 + 300) == nil)
        let moved = try windows.index(for: 290..<300)  // needs 274..<316: the last two parts
        #expect(moved.unchanged(rawHash: 1000 + 149) == nil)
        #expect(moved.unchanged(rawHash: 1000 + 150)?.ordinal == 150)
        #expect(moved.unchanged(rawHash: 1000 + 399)?.ordinal == 399)
        let last = try windows.index(for: 390..<420)  // beyond the snapshot's end: the last part
        #expect(last.unchanged(rawHash: 1000 + 299) == nil)
        #expect(last.unchanged(rawHash: 1000 + 300)?.ordinal == 300)
        #expect(try windows.index(for: 500..<510).unchanged(rawHash: 1000 + 399) == nil, "past the end: nothing")
    }
}
