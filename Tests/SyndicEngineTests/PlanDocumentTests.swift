import Foundation
import SyndicCore
import SyndicStore
import Testing
@testable import SyndicEngine

struct PlanDocumentTests {
    @Test func freshPlanIsNotStale() throws {
        let workspace = try EngineWorkspace()
        let document = PlanDocument(try workspace.reconciler().plan(), generatedAt: EngineWorkspace.now)
        #expect(document.staleness(against: try workspace.reconciler().plan()) == nil)
    }

    @Test func serialChangeMakesASavedPlanStale() throws {
        let workspace = try EngineWorkspace()
        try workspace.apply()
        let document = PlanDocument(try workspace.reconciler().plan(), generatedAt: EngineWorkspace.now)
        #expect(document.serial == 1)
        _ = try workspace.store.suspend(channel: "feed", reason: "outage", by: "ops", at: EngineWorkspace.now)
        #expect(document.staleness(against: try workspace.reconciler().plan())
                == "the state changed since the plan was made (serial 1 -> 2)")
    }

    @Test func configChangeMakesASavedPlanStale() throws {
        let workspace = try EngineWorkspace()
        let document = PlanDocument(try workspace.reconciler().plan(), generatedAt: EngineWorkspace.now)
        try workspace.write("mirakl_fr.yaml", EngineWorkspace.mirakl(schedule: "04:00"))
        #expect(document.staleness(against: try workspace.reconciler().plan())
                == "the configuration files changed since the plan was made")
    }

    @Test func newFileMakesASavedPlanStale() throws {
        let workspace = try EngineWorkspace()
        let document = PlanDocument(try workspace.reconciler().plan(), generatedAt: EngineWorkspace.now)
        try workspace.write("more/notes.yaml", "# only a comment\n")
        #expect(document.staleness(against: try workspace.reconciler().plan())
                == "the configuration files changed since the plan was made")
    }

    @Test func secretChangeMakesASavedPlanStale() throws {
        let workspace = try EngineWorkspace()
        let document = PlanDocument(try workspace.reconciler().plan(), generatedAt: EngineWorkspace.now)
        let planned = try workspace.reconciler(environment: ["MIRAKL_FR_KEY": "another value"]).plan()
        #expect(document.staleness(against: planned) == "a secret's value changed since the plan was made")
    }

    @Test func serialIsCheckedBeforeConfigAndSecrets() throws {
        let workspace = try EngineWorkspace()
        let document = PlanDocument(try workspace.reconciler().plan(), generatedAt: EngineWorkspace.now)
        try workspace.apply()
        try workspace.write("mirakl_fr.yaml", EngineWorkspace.mirakl(schedule: "04:00"))
        let planned = try workspace.reconciler(environment: ["MIRAKL_FR_KEY": "another value"]).plan()
        #expect(document.staleness(against: planned) == "the state changed since the plan was made (serial 0 -> 1)")
    }

    @Test func savedPlanRoundTripsThroughJSON() throws {
        let workspace = try EngineWorkspace()
        let planned = try workspace.reconciler().plan()
        let document = PlanDocument(planned, generatedAt: EngineWorkspace.now)
        #expect(document.formatVersion == PlanDocument.currentFormatVersion)
        #expect(document.generatedAt == "2026-03-27T12:00:00Z")
        #expect(document.summary["create"] == 4)
        #expect(document.summary["delete"] == 0)
        #expect(document.configDigest == planned.loaded.configDigest)
        #expect(document.fingerprintsDigest == planned.fingerprintsDigest)

        let data = try document.encoded()
        let read = try PlanDocument.read(from: data, path: "plan.json")
        #expect(read == document)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys).isSuperset(of: ["format_version", "generated_at", "serial", "config_digest",
                                                 "fingerprints_digest", "summary", "changes", "diagnostics", "notes"]))
    }

    @Test func notesAreSavedAsTheirTextAndReadBackWithTheSameWords() throws {
        let confirm = "deletes the channel and all its data; apply needs --confirm-delete feed"
        let change = Change(address: "channel.feed", kind: .channel, name: "feed", action: .delete,
                            notes: [.deleteNeedsConfirmation(channel: "feed")])
        let plan = Plan(changes: [change], notes: [.invalidCredentials(address: "connection.outbox", problem: "401")])
        var document = PlanDocument(plan: plan, generatedAt: EngineWorkspace.now)
        document.serial = 1
        document.configDigest = "config"
        document.fingerprintsDigest = "fingerprints"
        let data = try document.encoded()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["notes"] as? [String] == ["connection.outbox has invalid credentials: 401 — rotate the secret"])
        let changes = try #require(object["changes"] as? [[String: Any]])
        #expect(changes.first?["notes"] as? [String] == [confirm])

        let read = try PlanDocument.read(from: data, path: "plan.json")
        #expect(read.changes.first?.notes == [ChangeNote.recorded(confirm)])
        #expect(read.notes == document.notes)
        #expect(try read.encoded() == data)
    }

    @Test func otherFormatVersionsAndGarbageAreRefused() throws {
        let workspace = try EngineWorkspace()
        var document = PlanDocument(try workspace.reconciler().plan(), generatedAt: EngineWorkspace.now)
        document.formatVersion = "0"
        #expect {
            _ = try PlanDocument.read(from: try document.encoded(), path: "old.json")
        } throws: { error in
            "\(error)" == "stale plan: old.json has plan format 0; this syndic reads 2; nothing was applied. Run `syndic plan --out FILE` again, review it, then apply it"
        }
        #expect {
            _ = try PlanDocument.read(from: Data("{}".utf8), path: "junk.json")
        } throws: { error in
            "\(error)".hasPrefix("stale plan: junk.json is not a syndic plan file (")
        }
    }

    @Test func aDiffCarriesItsRefsInsteadOfTheStateAndCannotBeApplied() throws {
        let refs = PlanDocument.DiffRefs(base: "main", head: "topic", baseCommit: String(repeating: "a", count: 40),
                                         headCommit: String(repeating: "b", count: 40))
        let document = PlanDocument(diff: Plan(changes: []), refs: refs, generatedAt: EngineWorkspace.now)
        let data = try document.encoded()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["format_version", "generated_at", "summary", "changes", "diagnostics", "notes", "diff"])
        #expect(object["diff"] as? [String: String] == ["base": "main", "head": "topic",
                                                         "base_commit": String(repeating: "a", count: 40),
                                                         "head_commit": String(repeating: "b", count: 40)])
        #expect(document.summary["create"] == 0)
        #expect {
            _ = try PlanDocument.read(from: data, path: "diff.json")
        } throws: { error in
            "\(error)".hasPrefix("stale plan: diff.json is a diff between two git refs, made without the state")
        }
    }

    @Test func aPlanWithoutTheStateFactsIsRefused() throws {
        let workspace = try EngineWorkspace()
        let data = try PlanDocument(try workspace.reconciler().plan(), generatedAt: EngineWorkspace.now).encoded()
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object["config_digest"] = nil
        #expect {
            _ = try PlanDocument.read(from: try JSONSerialization.data(withJSONObject: object), path: "edited.json")
        } throws: { error in
            "\(error)".hasPrefix("stale plan: edited.json is not a saved plan: it lacks serial, config_digest or fingerprints_digest")
        }
    }
}
