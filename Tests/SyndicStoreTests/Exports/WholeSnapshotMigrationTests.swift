import Foundation
import GRDB
import SyndicCore
import Testing
@testable import SyndicStore

/// Snapshots stored whole (before snapshots were stored in parts) are moved into parts by the
/// state's migrations (SQLite `v11-snapshot-whole-to-parts`, PostgreSQL
/// `v4-snapshot-whole-to-parts`); one that cannot be read is deleted, so the channel's next
/// delta export sends every product.
@Suite struct WholeSnapshotMigrationTests {
    static let at = Date(timeIntervalSince1970: 1_790_000_000)
    static let entries = (UInt64(1)...5).map {
        DeltaSnapshot.Entry(rawHash: $0 * 10, keyHash: $0, outputHash: $0 * 100 + 1)
    }
    static let feed = DeltaSnapshot(specDigest: "d-feed", entries: entries)
    static let empty = DeltaSnapshot(specDigest: "d-empty", entries: [])
    static let parted = DeltaSnapshot(specDigest: "d-parted", entries: Array(entries[3...]))
    /// Channels whose whole snapshot cannot be read: a body that is not whole 24-byte words,
    /// no magic, no newline after the digest.
    static let unreadable = ["broken", "garbage", "unterminated"]

    /// Writes the rows a state kept before the migration: whole snapshots (readable or not), a
    /// part an unfinished export left, and a snapshot already stored in parts.
    static func insertOldRows(_ execute: (String, [RawState.Argument]) throws -> Void) throws {
        let whole = """
            INSERT INTO export_snapshot (channel, spec_digest, created_at, products, entries) VALUES (?, ?, ?, ?, ?)
            """
        let part = "INSERT INTO export_snapshot_part (channel, generation, seq, entries) VALUES (?, ?, ?, ?)"
        try execute(part, ["feed", 3, 0, Data(DeltaSnapshot.encode(entries[0..<2]))])
        try execute(whole, ["feed", "d-feed", at, 5, Data(feed.encoded())])
        try execute(whole, ["empty", "d-empty", at, 0, Data(empty.encoded())])
        try execute(whole, ["broken", "d", at, 1, Data("SYNDELTA1\nd\n".utf8) + Data(repeating: 7, count: 23)])
        try execute(whole, ["garbage", "d", at, 1, Data("not a snapshot".utf8)])
        try execute(whole, ["unterminated", "d", at, 0, Data("SYNDELTA1\nd".utf8)])
        try execute("""
            INSERT INTO export_snapshot (channel, spec_digest, created_at, products, entries, generation)
            VALUES (?, ?, ?, ?, ?, ?)
            """, ["parted", "d-parted", at, 2, Data(), 2])
        try execute(part, ["parted", 2, 0, Data(DeltaSnapshot.encode(parted.entries[...]))])
    }

    /// What the migration must leave: the same snapshots, each in parts, and no unreadable one.
    static func expectConverted(_ store: any StateStore) throws {
        #expect(try store.deltaSnapshot(channel: "feed") == feed)
        let header = try #require(try store.snapshotHeader(channel: "feed"))
        #expect(header.generation == 4, "one above the generation the unfinished export used")
        #expect(header.count == 5)
        let blobs = "SELECT COUNT(*) FROM export_snapshot WHERE channel = 'feed' AND length(entries) = 0"
        #expect(try RawState.count(store, blobs) == 1, "the whole blob is dropped")

        #expect(try store.deltaSnapshot(channel: "empty") == empty)
        #expect(try store.snapshotHeader(channel: "empty")?.generation == 1)

        #expect(try store.deltaSnapshot(channel: "parted") == parted)
        #expect(try store.snapshotHeader(channel: "parted")?.generation == 2, "a snapshot in parts is left as it is")

        for channel in unreadable {
            #expect(try store.snapshotHeader(channel: channel) == nil, "\(channel): deleted")
            #expect(try store.deltaSnapshot(channel: channel) == nil, "\(channel): the next export sends everything")
        }
        #expect(try RawState.count(store, "SELECT COUNT(*) FROM export_snapshot WHERE generation IS NULL") == 0)

        // The next export of the channel starts from the converted snapshot and removes the
        // part the unfinished export left.
        let next = try store.beginSnapshot(channel: "feed")
        #expect(next == 5)
        try store.removeStaleSnapshots(channel: "feed", before: next)
        #expect(try SnapshotPartsTests.parts(store, "feed") == 1)
        #expect(try store.deltaSnapshot(channel: "feed") == feed)
    }

    @Test func aSQLiteStateFromBeforeTheMigrationHasItsSnapshotsInParts() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-whole-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("state.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try StateMigrations.migrator.migrate(queue, upTo: "v10-console")
        try queue.write { db in
            try Self.insertOldRows { sql, arguments in
                let values = arguments.map { $0 as (any DatabaseValueConvertible)? }
                try db.execute(sql: sql, arguments: StatementArguments(values))
            }
        }
        try queue.close()
        try Self.expectConverted(try SQLiteStateStore(path: path))
    }

    /// A PostgreSQL state can hold whole snapshots `syndic state migrate` copied from SQLite
    /// before they were converted there: its migration is run again on such rows.
    @Test func aPostgreSQLStateWithWholeSnapshotsHasThemInParts() throws {
        let workspace = try StateWorkspace(.postgres)
        let store = workspace.store
        try RawState.execute(store, "DELETE FROM schema_migration WHERE name = 'v4-snapshot-whole-to-parts'")
        try Self.insertOldRows { sql, arguments in try RawState.execute(store, sql, arguments) }
        #expect(try store.snapshotHeader(channel: "feed")?.generation == nil, "not converted yet")
        try Self.expectConverted(try workspace.reopen())
    }
}
