import Foundation
import SyndicCore
import Testing
@testable import SyndicStore

/// The applied configuration in the state (`ConfigurationStore`), on either backend:
/// serials and commits, credentials, suspensions, history, the parse cache, owned data.
struct ConfigurationStoreTests {
    // MARK: - Fixtures

    static let t0 = Date(timeIntervalSince1970: 1_774_000_000)

    static func channel(_ name: String, spec: String = #"{"endpoint":"https://m.example","type":"mirakl"}"#,
                        file: String = "channels/channels.yaml") -> AppliedResource {
        AppliedResource(kind: .channel, name: name, type: "mirakl", specJSON: spec, labelsJSON: "{}", sourceFile: file)
    }

    static func connection(_ name: String) -> AppliedResource {
        AppliedResource(kind: .connection, name: name, type: "local", specJSON: #"{"path":"out","type":"local"}"#,
                        labelsJSON: "{}", sourceFile: "channels/connections.yaml")
    }

    static func batch(serial: Int, upserts: [AppliedResource] = [], deletions: [(kind: ResourceKind, name: String)] = [],
                      fingerprints: [String: [String: String]] = [:],
                      relocated: [(kind: ResourceKind, name: String, sourceFile: String)] = [],
                      changes: [HistoryChange]? = nil, cache: [CompiledFile] = [], user: String = "ci",
                      commit: String? = "abc1234", at: Date = t0) -> ApplyBatch {
        let rows = changes ?? (upserts.map { HistoryChange(address: $0.address, action: "create", field: nil, before: nil, after: nil) }
            + deletions.map { HistoryChange(address: Address.of($0.kind, $0.name), action: "delete", field: nil, before: nil, after: nil) })
        return ApplyBatch(expectedSerial: serial, upserts: upserts, deletions: deletions, fingerprints: fingerprints,
                          relocated: relocated, changes: rows, cache: cache, user: user, gitCommit: commit,
                          configDigest: "digest-\(serial)", at: at)
    }

    /// The status column of one credential, read directly.
    static func credentialStatus(_ store: any StateStore, _ name: String, _ path: String) throws -> String? {
        try RawState.text(store, "SELECT status FROM credential WHERE kind = 'Channel' AND name = ? AND path = ?",
                          [name, path])
    }

    // MARK: - A new state

    @Test(arguments: StateBackend.allCases)
    func newStateStartsAtSerialZeroWithASaltThatSurvivesReopening(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        #expect(try workspace.store.currentSerial() == 0)
        let salt = try workspace.store.fingerprintSalt()
        #expect(salt.count == 32)
        let state = try workspace.store.loadActualState()
        #expect(state.serial == 0)
        #expect(state.resources.isEmpty)
        #expect(try workspace.store.history(address: nil, limit: nil).isEmpty)
        #expect(try workspace.store.loadParseCache(displayPath: { $0 }).isEmpty)

        let reopened = try workspace.reopen()
        #expect(try reopened.fingerprintSalt() == salt)
        let other = try StateWorkspace(backend)
        #expect(try other.store.fingerprintSalt() != salt)
    }

    // MARK: - Commit

    @Test(arguments: StateBackend.allCases)
    func commitCreatesResourcesAndBumpsTheSerial(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        let serial = try store.commit(Self.batch(
            serial: 0, upserts: [Self.connection("outbox"), Self.channel("mirakl_fr")],
            fingerprints: ["channel.mirakl_fr": ["credentials.apiKey": "f1"]]))
        #expect(serial == 1)
        #expect(try store.currentSerial() == 1)

        let state = try store.loadActualState()
        #expect(state.serial == 1)
        #expect(state.resources == ["connection.outbox": Self.connection("outbox"), "channel.mirakl_fr": Self.channel("mirakl_fr")])
        #expect(state.fingerprints == ["channel.mirakl_fr": ["credentials.apiKey": "f1"]])
        #expect(state.suspensions.isEmpty)
        #expect(state.credentialProblems.isEmpty)

        let second = try store.commit(Self.batch(serial: 1, upserts: [Self.channel("mirakl_fr", spec: #"{"type":"mirakl","endpoint":"https://v2.example"}"#)]))
        #expect(second == 2)
        #expect(try store.loadActualState().resources["channel.mirakl_fr"]?.specJSON == #"{"type":"mirakl","endpoint":"https://v2.example"}"#)
    }

    @Test(arguments: StateBackend.allCases)
    func batchWithoutChangesKeepsTheSerialButReplacesTheCache(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        _ = try store.commit(Self.batch(serial: 0, upserts: [Self.channel("a")]))
        let file = CompiledFile(relativePath: "a.yaml", digest: "d1", resources: [], diagnostics: [])
        let serial = try store.commit(Self.batch(serial: 1, cache: [file]))
        #expect(serial == 1)
        #expect(try store.currentSerial() == 1)
        #expect(try store.history(address: nil, limit: nil).map(\.serial) == [1])
        #expect(try store.loadParseCache(displayPath: { $0 }).keys.sorted() == ["a.yaml"])
    }

    @Test(arguments: StateBackend.allCases)
    func staleBatchThrowsAndWritesNothing(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        let cached = CompiledFile(relativePath: "a.yaml", digest: "d1", resources: [], diagnostics: [])
        _ = try store.commit(Self.batch(serial: 0, upserts: [Self.channel("a")], fingerprints: ["channel.a": ["k": "f1"]],
                                        cache: [cached]))
        let before = try store.loadActualState()

        let stale = Self.batch(serial: 0, upserts: [Self.channel("b"), Self.channel("a", spec: #"{"type":"changed"}"#)],
                               deletions: [(kind: .channel, name: "a")], fingerprints: ["channel.a": ["k": "f2"]],
                               relocated: [(kind: .channel, name: "a", sourceFile: "moved.yaml")],
                               cache: [CompiledFile(relativePath: "b.yaml", digest: "d2", resources: [], diagnostics: [])])
        #expect(throws: StoreError.staleSerial(expected: 0, actual: 1)) { try store.commit(stale) }

        let after = try store.loadActualState()
        #expect(after.serial == 1)
        #expect(after.resources == before.resources)
        #expect(after.fingerprints == before.fingerprints)
        #expect(try store.history(address: nil, limit: nil).map(\.serial) == [1])
        #expect(try store.loadParseCache(displayPath: { $0 }).keys.sorted() == ["a.yaml"])
        #expect(StoreError.staleSerial(expected: 0, actual: 1).description
                == "the state changed since the plan was made (serial 0 -> 1); run `syndic plan` again")
    }

    @Test(arguments: StateBackend.allCases)
    func deletingAChannelRemovesItsCredentialsAndSuspension(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        _ = try store.commit(Self.batch(
            serial: 0, upserts: [Self.channel("shop"), Self.channel("kept"), Self.connection("shop")],
            fingerprints: ["channel.shop": ["credentials.apiKey": "f1", "credentials.other": "f2"],
                           "channel.kept": ["credentials.apiKey": "f3"],
                           "connection.shop": ["password": "f4"]]))
        let suspended = try store.suspend(channel: "shop", reason: "outage", by: "ops", at: Self.t0)
        #expect(suspended == 2)

        let serial = try store.commit(Self.batch(serial: 2, deletions: [(kind: .channel, name: "shop")]))
        #expect(serial == 3)
        let state = try store.loadActualState()
        #expect(state.resources.keys.sorted() == ["channel.kept", "connection.shop"])
        #expect(state.fingerprints == ["channel.kept": ["credentials.apiKey": "f3"], "connection.shop": ["password": "f4"]])
        #expect(state.suspensions.isEmpty)
        #expect(state.ownedData["shop"] == nil)

        _ = try store.commit(Self.batch(serial: 3, deletions: [(kind: .connection, name: "shop")]))
        #expect(try store.loadActualState().fingerprints == ["channel.kept": ["credentials.apiKey": "f3"]])
    }

    @Test(arguments: StateBackend.allCases)
    func rotatedFingerprintResetsTheCredentialStatus(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        let channel = Self.channel("mirakl_fr")
        _ = try store.commit(Self.batch(serial: 0, upserts: [channel],
                                        fingerprints: ["channel.mirakl_fr": ["credentials.apiKey": "f1", "credentials.b": "g1"]]))
        try RawState.execute(store, "UPDATE credential SET status = 'invalid', status_message = '401 Unauthorized'")
        #expect(try store.loadActualState().credentialProblems["channel.mirakl_fr"] != nil)

        // Same fingerprints: the status stays.
        let later = Self.t0.addingTimeInterval(60)
        _ = try store.commit(Self.batch(serial: 1, upserts: [channel],
                                        fingerprints: ["channel.mirakl_fr": ["credentials.apiKey": "f1", "credentials.b": "g1"]],
                                        at: later))
        #expect(try Self.credentialStatus(store, "mirakl_fr", "credentials.apiKey") == "invalid")

        // A new fingerprint for one path resets that path only.
        _ = try store.commit(Self.batch(serial: 2, upserts: [channel],
                                        fingerprints: ["channel.mirakl_fr": ["credentials.apiKey": "f2", "credentials.b": "g1"]],
                                        at: later))
        #expect(try Self.credentialStatus(store, "mirakl_fr", "credentials.apiKey") == "unknown")
        #expect(try Self.credentialStatus(store, "mirakl_fr", "credentials.b") == "invalid")
        let state = try store.loadActualState()
        #expect(state.fingerprints["channel.mirakl_fr"] == ["credentials.apiKey": "f2", "credentials.b": "g1"])
        #expect(state.credentialProblems == ["channel.mirakl_fr": "credentials.b: 401 Unauthorized"])
        let credentials = try #require(try store.channelStates(named: "mirakl_fr").first).credentials
        #expect(credentials.map(\.path) == ["credentials.apiKey", "credentials.b"])
        #expect(credentials.map(\.status) == ["unknown", "invalid"])
        #expect(credentials.first?.changedAt == later)
        #expect(credentials.first?.message == nil)

        // A secret no longer declared loses its fingerprint.
        _ = try store.commit(Self.batch(serial: 3, upserts: [channel],
                                        fingerprints: ["channel.mirakl_fr": ["credentials.apiKey": "f2"]]))
        #expect(try store.loadActualState().fingerprints["channel.mirakl_fr"] == ["credentials.apiKey": "f2"])
    }

    @Test(arguments: StateBackend.allCases)
    func relocatedResourceMovesWithoutANewSerial(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        _ = try store.commit(Self.batch(serial: 0, upserts: [Self.channel("a")]))
        let serial = try store.commit(Self.batch(serial: 1, relocated: [(kind: .channel, name: "a", sourceFile: "channels/a.yaml")]))
        #expect(serial == 1)
        #expect(try store.loadActualState().resources["channel.a"]?.sourceFile == "channels/a.yaml")
    }

    // MARK: - Suspend and resume

    @Test(arguments: StateBackend.allCases)
    func aSecondSuspendRecordsTheReasonItReplaces(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        _ = try store.commit(Self.batch(serial: 0, upserts: [Self.channel("mirakl_fr")]))
        _ = try store.suspend(channel: "mirakl_fr", reason: "ERP outage", by: "ops", at: Self.t0)
        _ = try store.suspend(channel: "mirakl_fr", reason: "price error", by: "ops", at: Self.t0)
        let latest = try #require(try store.history(address: "channel.mirakl_fr", limit: 1).first)
        #expect(latest.changes == [HistoryChange(address: "channel.mirakl_fr", action: "suspend", field: "suspension",
                                                 before: "ERP outage", after: "price error")])
    }

    @Test(arguments: StateBackend.allCases)
    func suspendAndResumeBumpTheSerialAndAppearInHistory(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        _ = try store.commit(Self.batch(serial: 0, upserts: [Self.channel("mirakl_fr")]))
        let suspendedAt = Self.t0.addingTimeInterval(3600)
        #expect(try store.suspend(channel: "mirakl_fr", reason: "ERP outage", by: "ops@example", at: suspendedAt) == 2)
        #expect(try store.currentSerial() == 2)
        #expect(try store.loadActualState().suspensions == [
            "mirakl_fr": Suspension(reason: "ERP outage", by: "ops@example", at: suspendedAt),
        ])
        #expect(try store.channelStates(named: "mirakl_fr").first?.suspension?.reason == "ERP outage")

        #expect(try store.resume(channel: "mirakl_fr", by: "ops@example", at: suspendedAt.addingTimeInterval(60)) == 3)
        #expect(try store.loadActualState().suspensions.isEmpty)

        let history = try store.history(address: "channel.mirakl_fr", limit: nil)
        #expect(history.map(\.serial) == [3, 2, 1])
        #expect(history.map(\.operation) == ["resume", "suspend", "apply"])
        // The resume records the reason it lifted.
        #expect(history[0].changes == [HistoryChange(address: "channel.mirakl_fr", action: "resume", field: "suspension",
                                                     before: "ERP outage", after: nil)])
        #expect(history[1].changes == [HistoryChange(address: "channel.mirakl_fr", action: "suspend", field: "suspension",
                                                     before: nil, after: "ERP outage")])
        #expect(history[1].user == "ops@example")
        #expect(history[1].gitCommit == nil)
        #expect(history[1].at == suspendedAt)

        // An apply after a suspension must be planned against the new serial.
        #expect(throws: StoreError.staleSerial(expected: 1, actual: 3)) {
            try store.commit(Self.batch(serial: 1, upserts: [Self.channel("b")]))
        }
    }

    @Test(arguments: StateBackend.allCases)
    func resumeOfANonSuspendedChannelThrows(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        _ = try store.commit(Self.batch(serial: 0, upserts: [Self.channel("mirakl_fr")]))
        #expect(throws: StoreError.notSuspended("mirakl_fr")) {
            try store.resume(channel: "mirakl_fr", by: "ops", at: Self.t0)
        }
        #expect(try store.currentSerial() == 1)
        #expect(StoreError.notSuspended("mirakl_fr").description == #"channel "mirakl_fr" is not suspended"#)
    }

    @Test(arguments: StateBackend.allCases)
    func suspendOrResumeOfAnUnknownChannelThrows(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        _ = try store.commit(Self.batch(serial: 0, upserts: [Self.connection("outbox")]))
        #expect(throws: StoreError.unknownChannel("nope")) {
            try store.suspend(channel: "nope", reason: "x", by: "ops", at: Self.t0)
        }
        // A connection is not a channel.
        #expect(throws: StoreError.unknownChannel("outbox")) {
            try store.suspend(channel: "outbox", reason: "x", by: "ops", at: Self.t0)
        }
        #expect(throws: StoreError.unknownChannel("nope")) {
            try store.resume(channel: "nope", by: "ops", at: Self.t0)
        }
        #expect(throws: StoreError.unknownChannel("nope")) { try store.channelStates(named: "nope") }
        #expect(try store.currentSerial() == 1)
        #expect(try store.loadActualState().suspensions.isEmpty)
    }

    // MARK: - History

    @Test(arguments: StateBackend.allCases)
    func historyIsNewestFirstFilteredByAddressAndLimited(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        _ = try store.commit(Self.batch(serial: 0, upserts: [Self.channel("a"), Self.channel("b")], user: "alice",
                                        commit: "c1"))
        _ = try store.commit(Self.batch(serial: 1, upserts: [Self.channel("a", spec: #"{"type":"mirakl","x":1}"#)], changes: [
            HistoryChange(address: "channel.a", action: "update", field: "x", before: nil, after: "1"),
            HistoryChange(address: "channel.a", action: "update", field: "y", before: "2", after: nil),
        ], user: "bob", commit: "c2"))
        _ = try store.commit(Self.batch(serial: 2, deletions: [(kind: .channel, name: "b")], user: "carol", commit: nil))

        let all = try store.history(address: nil, limit: nil)
        #expect(all.map(\.serial) == [3, 2, 1])
        #expect(all.map(\.user) == ["carol", "bob", "alice"])
        #expect(all.map(\.gitCommit) == [nil, "c2", "c1"])
        #expect(all.map(\.operation) == ["apply", "apply", "apply"])
        #expect(all[2].changes.map(\.address) == ["channel.a", "channel.b"])

        let a = try store.history(address: "channel.a", limit: nil)
        #expect(a.map(\.serial) == [2, 1])
        #expect(a[0].changes.map(\.field) == ["x", "y"])
        #expect(a[1].changes.map(\.address) == ["channel.a"])

        let b = try store.history(address: "channel.b", limit: nil)
        #expect(b.map(\.serial) == [3, 1])
        #expect(b.map { $0.changes.map(\.action) } == [["delete"], ["create"]])

        #expect(try store.history(address: nil, limit: 1).map(\.serial) == [3])
        #expect(try store.history(address: "channel.a", limit: 1).map(\.serial) == [2])
        #expect(try store.history(address: "channel.none", limit: nil).isEmpty)
    }

    // MARK: - Parse cache

    @Test(arguments: StateBackend.allCases)
    func parseCacheRoundTripsCompiledFiles(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        let text = """
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: pim, labels: {team: emea}}
            spec: {type: catalog-file, path: products.jsonl}
            ---
            apiVersion: syndic/v1
            kind: Channel
            metadata:
              name: amazon_de
            spec:
              type: amazon-seller
              credentials: {clientId: {env: AMZ_ID}, refreshToken: {file: ../secrets/amz_token}}
              source: {connection: pim}
              products:
                export: {delta: true}
              orders:
                export:
                  storage: {connection: partner_ftp, folder: /out}
            """
        let compiled = DocumentCompiler.compile(ConfigFile(relativePath: "de/amazon.yaml",
                                                           displayPath: "channels/de/amazon.yaml", text: text))
        #expect(compiled.resources.count == 2)
        #expect(compiled.diagnostics.map(\.severity) == [.warning])
        let empty = DocumentCompiler.compile(ConfigFile(relativePath: "empty.yaml", displayPath: "channels/empty.yaml",
                                                        text: "# nothing\n"))

        _ = try store.commit(Self.batch(serial: 0, upserts: [Self.channel("x")], cache: [compiled, empty]))
        let cache = try store.loadParseCache(displayPath: { "channels/\($0)" })
        #expect(cache.keys.sorted() == ["de/amazon.yaml", "empty.yaml"])

        let cached = try #require(cache["de/amazon.yaml"])
        #expect(cached.relativePath == compiled.relativePath)
        #expect(cached.digest == compiled.digest)
        #expect(cached.diagnostics == compiled.diagnostics)
        #expect(cached.resources == compiled.resources.map { resource in
            var withoutLocations = resource
            withoutLocations.locations = [:]
            withoutLocations.spec = nil
            return withoutLocations
        })
        let channel = try #require(cached.resources.last)
        #expect(channel.secrets.map(\.path) == ["credentials.clientId", "credentials.refreshToken"])
        #expect(channel.references.map(\.name) == ["pim", "partner_ftp"])
        #expect(channel.nameLocation?.description == "channels/de/amazon.yaml:9:9")
        #expect(cache["empty.yaml"]?.resources == [])

        // The next apply replaces the cache wholesale.
        _ = try store.commit(Self.batch(serial: 1, cache: [empty]))
        #expect(try store.loadParseCache(displayPath: { $0 }).keys.sorted() == ["empty.yaml"])
    }

    // MARK: - Owned data and status

    @Test(arguments: StateBackend.allCases)
    func ownedDataCountsEachChannelsRows(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        _ = try store.commit(Self.batch(
            serial: 0, upserts: [Self.channel("shop"), Self.channel("quiet"), Self.connection("shop")],
            fingerprints: ["channel.shop": ["credentials.apiKey": "f1", "credentials.other": "f2"],
                           "connection.shop": ["password": "f3"]]))
        _ = try store.suspend(channel: "shop", reason: "outage", by: "ops", at: Self.t0)

        #expect(try store.loadActualState().ownedData.isEmpty)
        let owned = try store.ownedData(ofChannels: ["quiet", "shop"])
        #expect(owned.keys.sorted() == ["quiet", "shop"])
        let labels = ChannelOwnedTable.all.map(\.label)
        #expect(labels.starts(with: ["credential fingerprints", "suspensions"]))
        func counts(_ channel: String) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: (owned[channel] ?? []).map { ($0.label, $0.count) })
        }
        #expect(owned["shop"]?.map(\.label) == labels)
        #expect(counts("shop")["credential fingerprints"] == 2)
        #expect(counts("shop")["suspensions"] == 1)
        #expect(counts("quiet").values.allSatisfy { $0 == 0 })
        #expect(owned["quiet"]?.count == labels.count)
    }

    @Test(arguments: StateBackend.allCases)
    func channelStatesListAppliedChannelsByName(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        _ = try store.commit(Self.batch(serial: 0, upserts: [Self.channel("zeta"), Self.channel("alpha"),
                                                              Self.connection("outbox")],
                                        fingerprints: ["channel.alpha": ["credentials.apiKey": "f1"]]))
        let states = try store.channelStates(named: nil)
        #expect(states.map(\.resource.name) == ["alpha", "zeta"])
        #expect(states[0].credentials.map(\.status) == ["unknown"])
        #expect(states[0].credentials.first?.changedAt == Self.t0)
        #expect(states[1].credentials.isEmpty)
        #expect(states.allSatisfy { $0.suspension == nil })
    }
}
