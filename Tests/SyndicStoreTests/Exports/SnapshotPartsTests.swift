import Foundation
import SyndicCore
import SyndicStore
import Testing

/// Delta snapshots written in parts while an export runs: they become the channel's only
/// when the export is recorded; failed and crashed exports leave nothing behind.
@Suite struct SnapshotPartsTests {
    static func entries(_ range: ClosedRange<UInt64>) -> [DeltaSnapshot.Entry] {
        range.map { DeltaSnapshot.Entry(rawHash: $0 * 10, keyHash: $0, outputHash: $0 * 100 + 1) }
    }

    static func record(_ channel: String) -> ProductExportRecord {
        ProductExportRecord(channel: channel, runID: nil, mode: "delta", at: Date(timeIntervalSince1970: 1_790_000_000),
                            sent: 0, file: nil, products: [])
    }

    static func parts(_ store: any StateStore, _ channel: String) throws -> Int {
        try store.ownedData(ofChannels: [channel])[channel]?.first { $0.label == "delta snapshot parts" }?.count ?? -1
    }

    @Test(arguments: StateBackend.allCases)
    func partsBecomeTheSnapshotInOrderWithRefusedKeysMarked(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        let generation = try store.beginSnapshot(channel: "feed")
        try store.appendSnapshotPart(channel: "feed", generation: generation, seq: 0, entries: Self.entries(1...3)[...])
        try store.appendSnapshotPart(channel: "feed", generation: generation, seq: 1, entries: Self.entries(4...5)[...])
        #expect(try store.deltaSnapshot(channel: "feed") == nil, "not the channel's before it is recorded")
        try store.recordProductExport(Self.record("feed"), generation: generation, specDigest: "d1", count: 5, refused: [2])
        let snapshot = try #require(try store.deltaSnapshot(channel: "feed"))
        var expected = Self.entries(1...5)
        expected[1].rawHash = 0
        expected[1].outputHash = 0
        #expect(snapshot == DeltaSnapshot(specDigest: "d1", entries: expected))
        #expect(try Self.parts(store, "feed") == 2)
    }

    @Test(arguments: StateBackend.allCases)
    func aDiscardedOrCrashedSnapshotLeavesTheCurrentOneAndNoParts(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        try store.recordProductExport(Self.record("feed"), snapshot: DeltaSnapshot(specDigest: "d1", entries: Self.entries(1...2)))
        let current = try store.deltaSnapshot(channel: "feed")

        let failed = try store.beginSnapshot(channel: "feed")
        try store.appendSnapshotPart(channel: "feed", generation: failed, seq: 0, entries: Self.entries(7...9)[...])
        try store.discardSnapshot(channel: "feed", generation: failed)
        #expect(try store.deltaSnapshot(channel: "feed") == current)
        #expect(try Self.parts(store, "feed") == 1)

        // A worker that died mid-export left parts: the next export of the channel removes them.
        let crashed = try store.beginSnapshot(channel: "feed")
        try store.appendSnapshotPart(channel: "feed", generation: crashed, seq: 0, entries: Self.entries(7...9)[...])
        #expect(try Self.parts(store, "feed") == 2)
        let next = try store.beginSnapshot(channel: "feed")
        #expect(next > crashed)
        try store.appendSnapshotPart(channel: "feed", generation: next, seq: 0, entries: Self.entries(3...4)[...])
        try store.removeStaleSnapshots(channel: "feed", before: next)
        #expect(try Self.parts(store, "feed") == 2, "the current snapshot's part and the new one's")
        #expect(try store.deltaSnapshot(channel: "feed") == current)
    }

    /// Recording an export leaves the previous snapshot's parts; the next snapshot removes
    /// them when it begins, never the channel's current snapshot nor its own parts.
    @Test(arguments: StateBackend.allCases)
    func thePreviousSnapshotGoesWhenTheNextOneBegins(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        // Two exports, each with a snapshot of one part.
        var lastGeneration: Int64 = 0
        for range in [1...2, 3...5] as [ClosedRange<UInt64>] {
            lastGeneration = try store.beginSnapshot(channel: "feed")
            try store.appendSnapshotPart(channel: "feed", generation: lastGeneration, seq: 0, entries: Self.entries(range)[...])
            try store.recordProductExport(Self.record("feed"), generation: lastGeneration, specDigest: "d1", count: range.count, refused: [])
        }
        #expect(try Self.parts(store, "feed") == 2, "the previous snapshot stays until the next one begins")
        let recorded = try #require(try store.deltaSnapshot(channel: "feed"))
        #expect(recorded.entries == Self.entries(3...5))
        let third = try store.beginSnapshot(channel: "feed")
        #expect(third > lastGeneration)
        try store.appendSnapshotPart(channel: "feed", generation: third, seq: 0, entries: Self.entries(6...6)[...])
        try store.removeStaleSnapshots(channel: "feed", before: third)
        #expect(try Self.parts(store, "feed") == 2, "the current snapshot's part and the third one's")
        #expect(try store.deltaSnapshot(channel: "feed") == recorded)
        try store.removeStaleSnapshots(channel: "feed", before: third)
        #expect(try store.deltaSnapshot(channel: "feed") == recorded, "removing again removes nothing more")
    }
}
