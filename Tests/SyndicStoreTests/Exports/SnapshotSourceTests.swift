import Foundation
import GRDB
import SyndicCore
import Testing
@testable import SyndicStore

/// A snapshot keeps when the export that wrote it started reading from Akeneo (the PIM's clock)
/// and the PIM's UTC offset, recorded with the export; a snapshot without them (a catalog file,
/// or one a syndic stored before they were kept) reads as having no watermark.
@Suite struct SnapshotSourceTests {
    static let since = Date(timeIntervalSince1970: 1_790_000_123)

    static func record(_ channel: String) -> ProductExportRecord {
        SnapshotPartsTests.record(channel)
    }

    @Test(arguments: StateBackend.allCases)
    func theWatermarkIsRecordedWithTheExportAndReplacedByTheNext(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        let generation = try store.beginSnapshot(channel: "feed")
        try store.appendSnapshotPart(channel: "feed", generation: generation, seq: 0,
                                     entries: SnapshotPartsTests.entries(1...3)[...])
        try store.recordProductExport(Self.record("feed"), generation: generation, specDigest: "d1", count: 3, refused: [],
                                      sourceSince: Self.since, sourceOffset: -18_000, sourceOrigin: "https://pim.example.com")
        let header = try #require(try store.snapshotHeader(channel: "feed"))
        #expect(header.sourceSince == Self.since)
        #expect(header.sourceOffset == -18_000)
        #expect(header == SnapshotHeader(specDigest: "d1", generation: generation, count: 3, refused: [],
                                         sourceSince: Self.since, sourceOffset: -18_000,
                                         sourceOrigin: "https://pim.example.com"))
        #expect(try workspace.reopen().snapshotHeader(channel: "feed") == header)

        // The next export read a catalog file: no watermark any more.
        let next = try store.beginSnapshot(channel: "feed")
        try store.appendSnapshotPart(channel: "feed", generation: next, seq: 0, entries: SnapshotPartsTests.entries(1...2)[...])
        try store.recordProductExport(Self.record("feed"), generation: next, specDigest: "d1", count: 2, refused: [])
        let after = try #require(try store.snapshotHeader(channel: "feed"))
        #expect(after.sourceSince == nil && after.sourceOffset == nil)
        #expect(after.count == 2)
    }

    /// A snapshot a syndic stored before watermarks were kept: its new columns are NULL.
    @Test(arguments: StateBackend.allCases)
    func anOlderSnapshotHasNoWatermark(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        try RawState.execute(store, """
            INSERT INTO export_snapshot (channel, spec_digest, created_at, products, entries, generation)
            VALUES (?, ?, ?, ?, ?, ?)
            """, ["old", "d-old", Self.since, 2, Data(), 1])
        let header = try #require(try store.snapshotHeader(channel: "old"))
        #expect(header.generation == 1)
        #expect(header.sourceSince == nil)
        #expect(header.sourceOffset == nil)
    }

    /// A SQLite state from before `v12-snapshot-source` keeps its snapshots, without a watermark.
    @Test func aSQLiteStateFromBeforeTheMigrationKeepsItsSnapshots() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-source-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("state.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try StateMigrations.migrator.migrate(queue, upTo: "v11-snapshot-whole-to-parts")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO export_snapshot (channel, spec_digest, created_at, products, entries, generation)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: ["feed", "d1", Self.since, 2, Data(), 7])
        }
        try queue.close()
        let store = try SQLiteStateStore(path: path)
        let header = try #require(try store.snapshotHeader(channel: "feed"))
        #expect(header.generation == 7 && header.count == 2 && header.specDigest == "d1")
        #expect(header.sourceSince == nil && header.sourceOffset == nil)
    }
}
