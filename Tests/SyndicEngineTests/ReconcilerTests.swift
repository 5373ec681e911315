import Foundation
import SyndicCore
import SyndicStore
import Testing
@testable import SyndicEngine

struct ReconcilerTests {
    // MARK: - Plan, apply, plan again

    @Test func planApplyThenPlanAgainIsEmpty() throws {
        let workspace = try EngineWorkspace()
        let reconciler = workspace.reconciler()
        let planned = try reconciler.plan()
        #expect(planned.serial == 0)
        #expect(planned.plan.changes.map { "\($0.action.symbol) \($0.address)" } == [
            "+ connection.catalog", "+ connection.outbox", "+ channel.feed", "+ channel.mirakl_fr",
        ])
        #expect(planned.plan.diagnostics.isEmpty)
        #expect(planned.git == nil)

        #expect(try reconciler.apply(planned, confirmedDeletes: [], user: "alice") == 1)
        let state = try workspace.store.loadActualState()
        #expect(state.serial == 1)
        #expect(state.resources.keys.sorted() == ["channel.feed", "channel.mirakl_fr", "connection.catalog", "connection.outbox"])
        #expect(state.resources["channel.mirakl_fr"]?.sourceFile == workspace.channels + "/mirakl_fr.yaml")
        #expect(state.fingerprints["channel.mirakl_fr"]?.keys.sorted() == ["credentials.apiKey"])

        let again = try workspace.reconciler().plan()
        #expect(again.serial == 1)
        #expect(again.plan.changes.isEmpty)
        // Applying the empty plan changes nothing either.
        #expect(try workspace.reconciler().apply(again, confirmedDeletes: [], user: "alice") == 1)
        #expect(try workspace.store.history(address: nil, limit: nil).map(\.serial) == [1])
    }

    @Test func applyRecordsHistoryWithTheUser() throws {
        let workspace = try EngineWorkspace()
        try workspace.apply()
        try workspace.write("mirakl_fr.yaml", EngineWorkspace.mirakl(endpoint: "https://mirakl-v2.example/api"))
        #expect(try workspace.apply() == 2)
        let history = try workspace.store.history(address: "channel.mirakl_fr", limit: nil)
        #expect(history.map(\.serial) == [2, 1])
        #expect(history.allSatisfy { $0.user == "test" && $0.operation == "apply" })
        #expect(history[0].changes == [HistoryChange(address: "channel.mirakl_fr", action: "update", field: "endpoint",
                                                     before: "https://mirakl.example/api",
                                                     after: "https://mirakl-v2.example/api")])
    }

    @Test func staleApplyIsRefusedByTheStore() throws {
        let workspace = try EngineWorkspace()
        let first = try workspace.reconciler().plan()
        let second = try workspace.reconciler().plan()
        #expect(try workspace.reconciler().apply(first, confirmedDeletes: [], user: "a") == 1)
        #expect(throws: StoreError.staleSerial(expected: 0, actual: 1)) {
            try workspace.reconciler().apply(second, confirmedDeletes: [], user: "b")
        }
        #expect(try workspace.store.currentSerial() == 1)
    }

    // MARK: - Parse cache

    @Test func unchangedFilesComeFromTheParseCacheAndChangedOnesAreReparsed() throws {
        let workspace = try EngineWorkspace()
        let fresh = try workspace.reconciler().load()
        #expect(fresh.compiled.map(\.relativePath) == ["connections.yaml", "feed.yaml", "mirakl_fr.yaml"])
        #expect(fresh.compiled.allSatisfy { $0.resources.allSatisfy { !$0.locations.isEmpty } })

        try workspace.apply()
        let cached = try workspace.reconciler().load()
        // Cached resources carry no location map.
        #expect(cached.compiled[0].resources[0].locations.isEmpty)
        #expect(cached.compiled.allSatisfy { $0.resources.allSatisfy { $0.locations.isEmpty } })
        // But the same facts: specs, secrets, references and their locations.
        #expect(cached.validated.resources.map(\.specJSON) == fresh.validated.resources.map(\.specJSON))
        #expect(cached.validated.resources.map(\.secrets) == fresh.validated.resources.map(\.secrets))
        #expect(cached.validated.resources.map(\.references) == fresh.validated.resources.map(\.references))
        #expect(cached.configDigest == fresh.configDigest)

        try workspace.write("feed.yaml", EngineWorkspace.feed.replacingOccurrences(of: "/feed", with: "/feed2"))
        let modified = try workspace.reconciler().load()
        let byPath = Dictionary(uniqueKeysWithValues: modified.compiled.map { ($0.relativePath, $0) })
        #expect(byPath["feed.yaml"]?.resources.first?.locations.isEmpty == false)
        #expect(byPath["mirakl_fr.yaml"]?.resources.first?.locations.isEmpty == true)
        #expect(modified.configDigest != fresh.configDigest)

        let plan = try workspace.reconciler().plan().plan
        #expect(plan.changes == [Change(address: "channel.feed", kind: .channel, name: "feed", action: .update,
                                        fields: [FieldChange(path: "products.export.storage.folder", before: "/feed",
                                                             after: "/feed2")])])
    }

    @Test func cachedWarningsAreStillReportedAtTheirLocation() throws {
        let amazon = """
            apiVersion: syndic/v1
            kind: Channel
            metadata: {name: amazon_de}
            spec:
              type: amazon-seller
              source: {connection: catalog}
              products:
                export: {delta: true}

            """
        let workspace = try EngineWorkspace(files: ["connections.yaml": EngineWorkspace.connections, "amazon.yaml": amazon])
        let expected = ["\(workspace.channels)/amazon.yaml:8:21: warning: delta export is not recommended on Amazon channels: features such as A+ content can be lost when only changed products are sent; prefer full exports"]
        let first = try workspace.reconciler().plan()
        #expect(first.plan.diagnostics.map(\.description) == expected)
        _ = try workspace.reconciler().apply(first, confirmedDeletes: [], user: "test")
        let cached = try workspace.reconciler().load()
        #expect(cached.compiled.first { $0.relativePath == "amazon.yaml" }?.resources.first?.locations.isEmpty == true)
        #expect(cached.validated.diagnostics.map(\.description) == expected)
    }

    @Test func secretsOfCachedFilesAreCheckedAgain() throws {
        let workspace = try EngineWorkspace()
        try workspace.apply()
        #expect {
            _ = try workspace.reconciler(environment: [:]).plan()
        } throws: { error in
            guard let failed = error as? ValidationFailed else { return false }
            return failed.diagnostics.map(\.description) == [
                "\(workspace.channels)/mirakl_fr.yaml:11:25: error: credentials.apiKey: environment variable MIRAKL_FR_KEY is not set",
            ]
        }
    }

    @Test func loadWithoutCacheParsesEverything() throws {
        let workspace = try EngineWorkspace()
        try workspace.apply()
        let loaded = try workspace.reconciler().load(useCache: false)
        #expect(loaded.compiled.allSatisfy { $0.resources.allSatisfy { !$0.locations.isEmpty } })
    }

    // MARK: - Deletes

    @Test func removedChannelIsNotDeletedWithoutConfirmation() throws {
        let workspace = try EngineWorkspace()
        try workspace.apply()
        try workspace.remove("feed.yaml")
        let reconciler = workspace.reconciler()
        let planned = try reconciler.plan()
        #expect(planned.plan.changes.map { "\($0.action.symbol) \($0.address)" } == ["- channel.feed"])
        #expect(planned.plan.deletedChannels == ["feed"])

        for confirmed: Set<String> in [[], ["other"], ["mirakl_fr"]] {
            #expect {
                _ = try reconciler.apply(planned, confirmedDeletes: confirmed, user: "test")
            } throws: { error in
                guard let refused = error as? DeleteNotConfirmed else { return false }
                return refused.channels == ["feed"]
            }
        }
        #expect(try workspace.store.currentSerial() == 1)
        #expect(try workspace.store.loadActualState().resources["channel.feed"] != nil)

        #expect(try reconciler.apply(planned, confirmedDeletes: ["feed"], user: "test") == 2)
        let state = try workspace.store.loadActualState()
        #expect(state.resources["channel.feed"] == nil)
        #expect(state.resources.count == 3)
        #expect(try workspace.reconciler().plan().plan.changes.isEmpty)
    }

    @Test func deleteRefusalSaysWhatToPass() throws {
        let workspace = try EngineWorkspace()
        try workspace.apply()
        _ = try workspace.store.suspend(channel: "feed", reason: "r", by: "ops", at: EngineWorkspace.now)
        try workspace.remove("feed.yaml")
        let planned = try workspace.reconciler().plan()
        do {
            _ = try workspace.reconciler().apply(planned, confirmedDeletes: [], user: "test")
            Issue.record("the delete was applied without confirmation")
        } catch let refused as DeleteNotConfirmed {
            #expect(refused.description == """
                the plan deletes a channel with all its data; nothing was applied.
                  channel.feed: credential fingerprints 0, suspensions 1, job schedules 0, runs 0, run log lines 0, events 0, delta snapshots 0, delta snapshot parts 0, export records 0, run files 0, marketplace requirements 0, orders 0, order lines 0, shipments 0, shipment items 0, shipment requests 0, order events 0, order errors 0, order cursors 0
                To confirm, type the name: --confirm-delete feed
                """)
        }
        #expect(try workspace.store.currentSerial() == 2)
    }

    @Test func applyDoesNotLiftASuspension() throws {
        let workspace = try EngineWorkspace()
        try workspace.apply()
        #expect(try workspace.store.suspend(channel: "mirakl_fr", reason: "ERP outage", by: "ops",
                                            at: EngineWorkspace.now) == 2)
        try workspace.write("mirakl_fr.yaml", EngineWorkspace.mirakl(endpoint: "https://mirakl-v2.example/api"))
        let planned = try workspace.reconciler().plan()
        #expect(planned.plan.notes.map(\.text) == [
            "channel.mirakl_fr is suspended since 2026-03-27T12:00:00Z by ops: ERP outage — apply does not lift it; run `syndic resume mirakl_fr`",
        ])
        #expect(try workspace.reconciler().apply(planned, confirmedDeletes: [], user: "test") == 3)
        #expect(try workspace.store.loadActualState().suspensions["mirakl_fr"]?.reason == "ERP outage")
    }

    // MARK: - Secrets

    @Test func newSecretValueIsARotationWithoutTheValue() throws {
        let workspace = try EngineWorkspace()
        try workspace.apply()
        let rotated = ["MIRAKL_FR_KEY": "mirakl-key-value-2"]
        let planned = try workspace.reconciler(environment: rotated).plan()
        #expect(planned.plan.changes.count == 1)
        let change = try #require(planned.plan.changes.first)
        #expect(change.address == "channel.mirakl_fr")
        #expect(change.action == .rotate)
        #expect(change.fields.map(\.path) == ["credentials.apiKey"])
        #expect(change.fields.allSatisfy { $0.before != $0.after })
        #expect(change.fields.allSatisfy { $0.before?.hasPrefix("fingerprint ") == true && $0.after?.hasPrefix("fingerprint ") == true })

        let json = String(decoding: try PlanDocument(planned, generatedAt: EngineWorkspace.now).encoded(), as: UTF8.self)
        #expect(!json.contains("mirakl-key-value-1"))
        #expect(!json.contains("mirakl-key-value-2"))

        #expect(try workspace.reconciler(environment: rotated).apply(planned, confirmedDeletes: [], user: "test") == 2)
        #expect(try workspace.reconciler(environment: rotated).plan().plan.changes.isEmpty)
        #expect(try workspace.reconciler().plan().plan.changes.map(\.action) == [.rotate])
    }

    @Test func fingerprintsAreSaltedPerState() throws {
        let one = try EngineWorkspace(), two = try EngineWorkspace()
        let first = try one.reconciler().plan().desired.fingerprints
        let second = try two.reconciler().plan().desired.fingerprints
        #expect(first.keys.sorted() == ["channel.mirakl_fr"])
        #expect(first != second)
        #expect(try one.reconciler().plan().desired.fingerprints == first)
    }

    // MARK: - Validation and files

    @Test func invalidConfigurationIsNeitherPlannedNorApplied() throws {
        let workspace = try EngineWorkspace()
        try workspace.write("broken.yaml", "apiVersion: syndic/v1\nkind: Channel\nmetadata: {name: broken}\nspec: {type: mirakll}\n")
        do {
            _ = try workspace.reconciler().plan()
            Issue.record("an invalid configuration was planned")
        } catch let failed as ValidationFailed {
            #expect(failed.diagnostics.map(\.description) == [
                #"\#(workspace.channels)/broken.yaml:4:14: error: type: "mirakll" is not one of mirakl, amazon-seller, flat-file, akeneo-api (did you mean "mirakl"?)"#,
            ])
            #expect(failed.description == "the configuration has 1 error; run `syndic validate`")
        }
        #expect(try workspace.store.currentSerial() == 0)
    }

    @Test func movingAResourceToAnotherFileOnlyUpdatesItsSource() throws {
        let workspace = try EngineWorkspace()
        try workspace.apply()
        try workspace.remove("feed.yaml")
        try workspace.write("partners/feed.yaml", EngineWorkspace.feed)
        let planned = try workspace.reconciler().plan()
        #expect(planned.plan.changes.isEmpty)
        #expect(try workspace.reconciler().apply(planned, confirmedDeletes: [], user: "test") == 1)
        #expect(try workspace.store.loadActualState().resources["channel.feed"]?.sourceFile
                == workspace.channels + "/partners/feed.yaml")
    }

    @Test func missingDirectorySaysWhatToPass() throws {
        let workspace = try EngineWorkspace()
        let reconciler = Reconciler(directory: ConfigDirectory(path: workspace.root + "/nope"), store: workspace.store,
                                    secrets: SecretResolver(environment: [:]), now: EngineWorkspace.now)
        #expect {
            _ = try reconciler.load()
        } throws: { error in
            "\(error)" == "configuration directory \(workspace.root)/nope does not exist (pass --dir)"
        }
    }

    @Test func hiddenAndNonYAMLFilesAreIgnored() throws {
        let workspace = try EngineWorkspace(files: ["connections.yml": EngineWorkspace.connections])
        try workspace.write(".hidden/x.yaml", "not: [valid")
        try workspace.write(".draft.yaml", "not: [valid")
        try workspace.write("README.md", "# notes")
        try workspace.write("nested/deeper/feed.yaml", EngineWorkspace.feed)
        let loaded = try workspace.reconciler().load()
        #expect(loaded.files.map(\.relativePath) == ["connections.yml", "nested/deeper/feed.yaml"])
        #expect(loaded.files.map(\.displayPath) == [workspace.channels + "/connections.yml",
                                                    workspace.channels + "/nested/deeper/feed.yaml"])
        #expect(!loaded.validated.hasErrors)
    }
}
