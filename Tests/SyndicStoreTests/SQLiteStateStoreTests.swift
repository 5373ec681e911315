import Foundation
import GRDB
import Testing
import SyndicCore
@testable import SyndicStore

/// What only a SQLite state has: its files and their modes.
struct SQLiteStateStoreTests {
    static func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int ?? -1) & 0o777
    }

    /// The state holds export records, orders with buyers' addresses and token hashes: its
    /// folder and files (the WAL and shared memory too) are its owner's only.
    @Test func theStateIsReadableByItsOwnerOnly() throws {
        let workspace = try StateWorkspace(.sqlite)
        let statePath = workspace.location
        _ = try workspace.store.commit(ConfigurationStoreTests.batch(serial: 0,
                                                                     upserts: [ConfigurationStoreTests.channel("a")]))
        #expect(Self.mode((statePath as NSString).deletingLastPathComponent) == 0o700)
        for file in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: statePath + file) {
            #expect(Self.mode(statePath + file) == 0o600, "state.sqlite\(file)")
        }
        #expect(FileManager.default.fileExists(atPath: statePath + "-wal"))

        // A state made before (or copied in) with wider modes is tightened when opened.
        for file in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: statePath + file) {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: statePath + file)
        }
        _ = try SQLiteStateStore(path: statePath)
        #expect(Self.mode(statePath) == 0o600)
    }

    /// Every connection, writer and readers, zeroes deleted rows only where that costs no
    /// extra write (`secure_delete = FAST` reads back as 2), and keeps its durability setting.
    @Test func connectionsDeleteWithoutRewritingFreedPages() throws {
        let workspace = try StateWorkspace(.sqlite)
        let store = try SQLiteStateStore(path: workspace.location)
        #expect(try store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA secure_delete") } == 2)
        #expect(try store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA secure_delete") } == 2)
        #expect(try store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 1, "NORMAL")
    }

    /// A new state has 16 KiB pages (in WAL mode); a state made with 4 KiB pages keeps them
    /// when syndic opens and migrates it, and works.
    @Test func aNewStateHasLargePagesAnOldOneKeepsItsOwn() throws {
        let workspace = try StateWorkspace(.sqlite)
        let store = try SQLiteStateStore(path: workspace.location)
        #expect(try store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } == 16_384)
        #expect(try store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")

        let old = workspace.location + ".old"
        let queue = try DatabaseQueue(path: old)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE kept (x)")
        }
        try queue.close()
        let reopened = try SQLiteStateStore(path: old)
        #expect(try reopened.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } == 4_096)
        _ = try reopened.commit(ConfigurationStoreTests.batch(serial: 0, upserts: [ConfigurationStoreTests.channel("a")]))
        #expect(try reopened.currentSerial() == 1)
    }

    /// An import's transaction syncs its commit and does not check foreign keys; the writing
    /// connection has its usual settings back after it, whether it committed or failed.
    @Test func anImportSyncsItsCommitWithoutKeyChecksThenTheSettingsComeBack() throws {
        let workspace = try StateWorkspace(.sqlite)
        let store = try SQLiteStateStore(path: workspace.location)
        func settings(_ db: Database) throws -> [Int?] {
            [try Int.fetchOne(db, sql: "PRAGMA synchronous"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys")]
        }
        #expect(try store.writeImport(settings) == [2, 0], "FULL, no key checks")
        #expect(try store.pool.write(settings) == [1, 1], "NORMAL, key checks")
        struct Refused: Error {}
        #expect(throws: Refused.self) { try store.writeImport { _ in throw Refused() } }
        #expect(try store.pool.write(settings) == [1, 1], "NORMAL, key checks")
    }

    /// A state a newer syndic migrated is refused, and left as it is.
    @Test func aStateFromANewerSyndicIsRefused() throws {
        let workspace = try StateWorkspace(.sqlite)
        let store = try SQLiteStateStore(path: workspace.location)
        try store.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')")
        }
        #expect {
            _ = try SQLiteStateStore(path: workspace.location)
        } throws: { error in
            guard case StoreError.unavailable(_, let reason) = error else { return false }
            return reason.contains("written by a newer syndic (migration v99-future)")
        }
        let kept = try store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
        #expect(kept.contains("v99-future") && kept.contains("v8-shipment-intent"))
    }

    @Test func unopenableStateIsUnavailable() throws {
        let workspace = try StateWorkspace(.sqlite)
        let path = (workspace.location as NSString).deletingLastPathComponent + "/not-a-database"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        #expect {
            _ = try SQLiteStateStore(path: path)
        } throws: { error in
            guard case StoreError.unavailable(let failedPath, _) = error else { return false }
            return failedPath == path
        }
    }
}
