import Foundation
import Testing

/// `syndic apply`: confirmation of deletes, saved plans, idempotence.
@Suite struct ApplyCommandTests {
    @Test func secondApplyChangesNothing() throws {
        let workspace = try Scenario.appliedV1()
        defer { workspace.remove() }
        let result = try Scenario.syndic(workspace).run(["apply"])
        #expect(result.status == 0)
        #expect(result.stdout == "No changes. The state matches the configuration (serial 1).\n")
    }

    @Test func deleteNeedsTheTypedName() throws {
        let workspace = try Scenario.appliedV1()
        defer { workspace.remove() }
        try Scenario.moveToV2(workspace)
        let syndic = Scenario.syndic(workspace)
        let refused = try syndic.run(["apply"])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasSuffix("""
            error: the plan deletes a channel with all its data; nothing was applied.
              channel.old_partner: credential fingerprints 0, suspensions 0, job schedules 1, runs 0, run log lines 0, events 0, delta snapshots 0, delta snapshot parts 0, export records 0, run files 0, marketplace requirements 0, orders 0, order lines 0, shipments 0, shipment items 0, shipment requests 0, order events 0, order errors 0, order cursors 0
            To confirm, type the name: --confirm-delete old_partner

            """))
        // Nothing at all was applied: the serial did not move and mirakl_fr is still inactive.
        let status = try syndic.run(["status"])
        #expect(status.stdout.contains("serial 1"))
        #expect(status.stdout.contains("mirakl_fr    mirakl     inactive"))

        let wrongName = try syndic.run(["apply", "--confirm-delete", "old_partne"])
        #expect(wrongName.status == 1)
        #expect(wrongName.stderr.contains("--confirm-delete old_partne: the plan does not delete channel old_partne"))

        let confirmed = try syndic.run(["apply", "--confirm-delete", "old_partner"])
        #expect(confirmed.status == 0, "\(confirmed.stderr)")
        #expect(confirmed.stdout.contains("serial 1 -> 2"))
        let gone = try syndic.run(["status", "old_partner"])
        #expect(gone.status == 1)
        #expect(gone.stderr.contains("no channel \"old_partner\" in the state"))
        #expect(try syndic.run(["plan", "--detailed-exitcode"]).status == 0)
    }

    @Test func savedPlanIsAppliedWhenFresh() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.use(fixture: "v1")
        let syndic = Scenario.syndic(workspace)
        let planned = try syndic.run(["plan", "--out", "plan.json"])
        #expect(planned.status == 0)
        #expect(planned.stdout.contains("Saved the plan to plan.json"))
        let applied = try syndic.run(["apply", "plan.json"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("serial 0 -> 1"))
    }

    @Test func stalePlansAreRefused() throws {
        let workspace = try Scenario.appliedV1()
        defer { workspace.remove() }
        try Scenario.moveToV2(workspace)
        let syndic = Scenario.syndic(workspace)
        #expect(try syndic.run(["plan", "--out", "plan.json"]).status == 0)

        // The state moved (a suspension bumps the serial).
        #expect(try syndic.run(["suspend", "feed", "--reason", "supplier outage"]).status == 0)
        let movedState = try syndic.run(["apply", "plan.json", "--confirm-delete", "old_partner"])
        #expect(movedState.status == 1)
        #expect(movedState.stderr.contains("stale plan: the state changed since the plan was made (serial 1 -> 2); nothing was applied"))

        // The configuration changed.
        #expect(try syndic.run(["plan", "--out", "plan.json"]).status == 0)
        try workspace.write("channels/extra.yaml", "apiVersion: syndic/v1\nkind: Connection\nmetadata: {name: spare}\nspec: {type: local, path: spare}\n")
        let movedConfig = try syndic.run(["apply", "plan.json", "--confirm-delete", "old_partner"])
        #expect(movedConfig.status == 1)
        #expect(movedConfig.stderr.contains("stale plan: the configuration files changed since the plan was made"))

        // A secret's value changed.
        #expect(try syndic.run(["plan", "--out", "plan.json"]).status == 0)
        let rotated = try syndic.run(["apply", "plan.json", "--confirm-delete", "old_partner"],
                                     extra: ["MIRAKL_FR_KEY": "mirakl-key-3"])
        #expect(rotated.status == 1)
        #expect(rotated.stderr.contains("stale plan: a secret's value changed since the plan was made"))

        let status = try syndic.run(["status"])
        #expect(status.stdout.contains("serial 2"))
    }

    @Test func suspensionSurvivesApply() throws {
        let workspace = try Scenario.appliedV1()
        defer { workspace.remove() }
        let syndic = Scenario.syndic(workspace)
        #expect(try syndic.run(["suspend", "feed", "--reason", "supplier outage"]).status == 0)
        let plan = try syndic.run(["plan"])
        #expect(plan.stdout.contains("channel.feed is suspended since 2026-03-28T12:00:00Z by tester: supplier outage"))
        #expect(try syndic.run(["apply"]).status == 0)
        let status = try syndic.run(["status", "feed"])
        #expect(status.stdout.contains("status:      active, suspended"))
        #expect(try syndic.run(["resume", "feed"]).status == 0)
        let resumed = try syndic.run(["status", "feed"])
        #expect(resumed.stdout.contains("status:      active\n"))
        let again = try syndic.run(["resume", "feed"])
        #expect(again.status == 1)
        #expect(again.stderr == "error: channel \"feed\" is not suspended\n")
    }

    @Test func historyNamesWhoChangedWhat() throws {
        let workspace = try Scenario.appliedV1()
        defer { workspace.remove() }
        try Scenario.moveToV2(workspace)
        let syndic = Scenario.syndic(workspace, extra: ["MIRAKL_FR_KEY": "mirakl-key-2"])
        #expect(try syndic.run(["apply", "--confirm-delete", "old_partner"]).status == 0)
        #expect(try syndic.run(["suspend", "mirakl_fr", "--reason", "price error"]).status == 0)
        let history = try syndic.run(["history", "mirakl_fr"])
        #expect(history.status == 0)
        try Golden.check(history.stdout, "history-mirakl_fr.txt")
    }
}
