import Foundation
import SyndicCore
import Testing
@testable import SyndicStore

private typealias Fixtures = RuntimeFixtures

/// Renames: everything a channel owns moves to its new name in the apply's transaction, or
/// nothing does.
struct ResourceRenameTests {
    /// A channel "shop" with rows in most owned tables, and a channel "kept" beside it.
    static func populated(_ backend: StateBackend) throws -> StateWorkspace {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        let schedules: [JobKind: JobScheduleEntry] = [.orderExport: Fixtures.every(15)]
        try Fixtures.apply(store, [Fixtures.channel("shop"), Fixtures.channel("kept")],
                           schedules: ["shop": schedules, "kept": schedules], at: Fixtures.t0)
        _ = try store.commit(ApplyBatch(
            expectedSerial: try store.currentSerial(), upserts: [Fixtures.channel("shop")], deletions: [],
            fingerprints: ["channel.shop": ["credentials.apiKey": "f1"]], jobSchedules: ["shop": schedules],
            changes: [HistoryChange(address: "channel.shop", action: "update", field: "credentials.apiKey", before: nil,
                                    after: "{env: KEY}")],
            cache: [], user: "test", gitCommit: nil, configDigest: "d", at: Fixtures.t0))
        for channel in ["shop", "kept"] {
            let run = try Fixtures.finished(store, channel, .orderExport, at: Fixtures.t0,
                                            outcome: .failed(error: "x", counts: [:], report: nil))
            try store.saveArtifact(runID: run.id, channel: channel, name: "errors.csv", content: Data("a;b\n".utf8),
                                   at: Fixtures.t0)
            try Fixtures.enqueue(store, channel, .productExport, at: Fixtures.t0)
            try OrderFixtures.upsert(store, [OrderFixtures.order("\(channel)-1")], channel: channel)
        }
        _ = try store.suspend(channel: "shop", reason: "outage", by: "ops", at: Fixtures.t0)
        return workspace
    }

    static func counts(_ store: any StateStore, _ channel: String) throws -> [Int] {
        try ChannelOwnedTable.all.map { try Fixtures.count(store, $0, channel) }
    }

    static func batch(_ store: any StateStore, renames: [ResourceRename], upserts: [AppliedResource],
                      fingerprints: [String: [String: String]] = [:]) throws -> ApplyBatch {
        var batch = ApplyBatch(expectedSerial: try store.currentSerial(), upserts: upserts, deletions: [],
                               fingerprints: fingerprints,
                               changes: renames.map { HistoryChange(address: Address.of($0.kind, $0.to), action: "rename",
                                                                    field: "name", before: $0.from, after: $0.to) },
                               cache: [], user: "test", gitCommit: nil, configDigest: "d", at: Fixtures.t0.addingTimeInterval(60))
        batch.renames = renames
        return batch
    }

    @Test(arguments: StateBackend.allCases)
    func aRenameMovesEverythingTheChannelOwns(_ backend: StateBackend) throws {
        let workspace = try Self.populated(backend)
        let store = workspace.store
        let before = try Self.counts(store, "shop")
        let kept = try Self.counts(store, "kept")
        for label in ["runs", "run log lines", "events", "run files", "job schedules", "suspensions",
                      "credential fingerprints", "orders", "order lines"] {
            let index = try #require(ChannelOwnedTable.all.firstIndex { $0.label == label })
            #expect(before[index] > 0, "the fixture has \(label)")
        }
        let historyBefore = try store.history(address: "channel.shop", limit: nil).count

        _ = try store.commit(try Self.batch(store, renames: [ResourceRename(kind: .channel, from: "shop", to: "boutique")],
                                            upserts: [Fixtures.channel("boutique")],
                                            fingerprints: ["channel.boutique": ["credentials.apiKey": "f1"]]))

        #expect(try Self.counts(store, "boutique") == before)
        #expect(try Self.counts(store, "shop").allSatisfy { $0 == 0 })
        #expect(try Self.counts(store, "kept") == kept)
        let state = try store.loadActualState()
        #expect(state.resources["channel.shop"] == nil)
        #expect(state.resources["channel.boutique"]?.name == "boutique")
        #expect(state.fingerprints["channel.boutique"] == ["credentials.apiKey": "f1"])
        #expect(state.suspensions["boutique"]?.reason == "outage")
        #expect(try store.history(address: "channel.boutique", limit: nil).count == historyBefore + 1)
        #expect(try store.history(address: "channel.shop", limit: nil).isEmpty)
        #expect(try store.runs(RunFilter(channel: "boutique")).count == 2)
        #expect(try Fixtures.jobSchedules(store, ofChannel: "boutique").map(\.job) == [.orderExport])
    }

    @Test(arguments: StateBackend.allCases)
    func aFailureMidRenameLeavesTheStateWhollyBefore(_ backend: StateBackend) throws {
        let workspace = try Self.populated(backend)
        let store = workspace.store
        let serial = try store.currentSerial()
        let shop = try Self.counts(store, "shop"), kept = try Self.counts(store, "kept")
        // The first rename moves every row; the second collides with it, so the commit fails
        // after the first rename's statements ran.
        let batch = try Self.batch(store, renames: [ResourceRename(kind: .channel, from: "shop", to: "boutique"),
                                                    ResourceRename(kind: .channel, from: "kept", to: "boutique")],
                                   upserts: [])
        #expect(throws: (any Error).self) { _ = try store.commit(batch) }
        #expect(try store.currentSerial() == serial)
        #expect(try Self.counts(store, "shop") == shop)
        #expect(try Self.counts(store, "kept") == kept)
        #expect(try Self.counts(store, "boutique").allSatisfy { $0 == 0 })
        #expect(try store.loadActualState().resources.keys.sorted() == ["channel.kept", "channel.shop"])
    }

    @Test(arguments: StateBackend.allCases)
    func aChannelWithARunningRunIsNotRenamed(_ backend: StateBackend) throws {
        let workspace = try Self.populated(backend)
        let store = workspace.store
        // "kept" is not suspended: its run can be claimed.
        let running = try Fixtures.claimed(store, "kept", .orderRetrieval, lease: 3600, at: Fixtures.t0)
        let kept = try Self.counts(store, "kept")
        do {
            _ = try store.commit(try Self.batch(store, renames: [ResourceRename(kind: .channel, from: "kept", to: "boutique")],
                                                upserts: [Fixtures.channel("boutique")]))
            Issue.record("the rename was committed")
        } catch let error as StoreError {
            #expect(error == .renameWhileRunning(channel: "kept", runIDs: [running.id]))
        }
        #expect(try Self.counts(store, "kept") == kept)
        #expect(try store.loadActualState().resources["channel.kept"] != nil)
    }

    @Test(arguments: StateBackend.allCases)
    func aConnectionRenameMovesItsCredentialsAndHistoryAndRewritesSnapshotDigests(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        let pim = AppliedResource(kind: .connection, name: "pim", type: "akeneo", specJSON: #"{"type":"akeneo"}"#,
                                  labelsJSON: "{}", sourceFile: "channels/c.yaml")
        _ = try store.commit(ApplyBatch(
            expectedSerial: 0, upserts: [pim, Fixtures.channel("shop")], deletions: [],
            fingerprints: ["connection.pim": ["clientSecret": "f9"]],
            changes: [HistoryChange(address: "connection.pim", action: "create", field: nil, before: nil, after: nil)],
            cache: [], user: "test", gitCommit: nil, configDigest: "d", at: Fixtures.t0))
        try RawState.execute(store, """
            INSERT INTO export_snapshot (channel, spec_digest, created_at, products, entries)
            VALUES ('shop', 'old-digest', ?, 0, ?)
            """, [Fixtures.t0, Data()])
        var renamed = pim
        renamed.name = "akeneo"
        var batch = try Self.batch(store, renames: [ResourceRename(kind: .connection, from: "pim", to: "akeneo")],
                                   upserts: [renamed], fingerprints: ["connection.akeneo": ["clientSecret": "f9"]])
        batch.digestRewrites = [DigestRewrite(channel: "shop", from: "old-digest", to: "new-digest")]
        _ = try store.commit(batch)
        let state = try store.loadActualState()
        #expect(state.resources.keys.sorted() == ["channel.shop", "connection.akeneo"])
        #expect(state.fingerprints["connection.akeneo"] == ["clientSecret": "f9"])
        #expect(try store.history(address: "connection.akeneo", limit: nil).count == 2)
        #expect(try RawState.text(store, "SELECT spec_digest FROM export_snapshot WHERE channel = 'shop'") == "new-digest")
    }
}
