import Foundation
import Testing

/// `syndic run` and `syndic runs` on the shipped binary.
@Suite struct RunCommandTests {
    @Test func manualRunRules() throws {
        let workspace = try RuntimeScenario.applied(1)
        defer { workspace.remove() }
        let syndic = workspace.syndic

        let queued = try syndic.run(["run", "shop_00", "product-export"])
        #expect(queued.status == 0)
        #expect(queued.stdout == "Queued run 1: shop_00 product-export.\n")
        let twice = try syndic.run(["run", "shop_00", "product-export", "--full"])
        #expect(twice.status == 1)
        #expect(twice.stderr == "error: product-export of channel shop_00 is already queued (run 1); the same job never runs twice at once\n")

        let inactive = try syndic.run(["run", "idle", "product-export"])
        #expect(inactive.status == 1)
        #expect(inactive.stderr == "error: channel idle is inactive; activate it (status: active) and apply, or run a dry-run export with --dry-run\n")
        let dryRun = try syndic.run(["run", "idle", "product-export", "--dry-run"])
        #expect(dryRun.status == 0)
        #expect(dryRun.stdout == "Queued run 2: idle product-export (dry run).\n")

        let notConfigured = try syndic.run(["run", "shop_00", "order-export"])
        #expect(notConfigured.status == 1)
        #expect(notConfigured.stderr == "error: channel shop_00 has no order-export job (configured: product-export)\n")
        let dryOrders = try syndic.run(["run", "shop_00", "order-export", "--dry-run"])
        #expect(dryOrders.stderr == "error: --dry-run applies to product-export only\n")
        let unknown = try syndic.run(["run", "nope", "product-export"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no channel \"nope\" in the state"))

        #expect(try syndic.run(["suspend", "shop_00", "--reason", "audit"]).status == 0)
        let suspended = try syndic.run(["run", "shop_00", "requirements-sync"])
        #expect(suspended.stderr == "error: channel shop_00 has no requirements-sync job (configured: product-export)\n")

        let list = try syndic.run(["runs"])
        #expect(list.stdout.contains("2    idle     product-export (dry run)  manual   queued"))
        #expect(list.stdout.contains("1    shop_00  product-export            manual   queued"))
        let filtered = try syndic.run(["runs", "idle"])
        #expect(filtered.stdout.split(separator: "\n").count == 2)
        let missing = try syndic.run(["runs", "show", "99"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: no run 99; `syndic runs` lists the runs\n")
    }

    @Test func deletingAChannelCancelsItsQueuedRunsAndDeletesThem() throws {
        let workspace = try RuntimeScenario.applied(2)
        defer { workspace.remove() }
        #expect(try workspace.syndic.run(["run", "shop_01", "product-export"]).status == 0)
        try workspace.write("channels/all.yaml", RuntimeScenario.channels(1))
        let plan = try workspace.syndic.run(["plan"])
        #expect(plan.stdout.contains("data deleted with it: credential fingerprints 0, suspensions 0, job schedules 0, runs 1, run log lines 1, events 0"))
        let applied = try workspace.syndic.run(["apply", "--confirm-delete", "shop_01"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(try workspace.syndic.run(["runs"]).stdout == "No runs.\n")
    }
}
