import Foundation
import Testing

/// Renames and targeted plans through the shipped binary: a renamed channel keeps its runs and
/// history without a delete confirmation; a targeted plan shows its selection and what it left
/// out, and its saved form applies that selection only.
@Suite struct RenameAndTargetTests {
    @Test func aRenamedChannelKeepsItsRunsAndNeedsNoConfirmation() throws {
        let workspace = try RuntimeScenario.applied(1)
        defer { workspace.remove() }
        let syndic = workspace.syndic
        #expect(try syndic.run(["run", "shop_00", "product-export"]).status == 0)
        #expect(try syndic.run(["suspend", "shop_00", "--reason", "partner outage"]).status == 0)

        try workspace.write("channels/all.yaml", RuntimeScenario.channels(1).replacingOccurrences(
            of: "metadata: {name: shop_00}", with: "metadata: {name: shop_fr, formerNames: [shop_00]}"))
        let plan = try syndic.run(["plan"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("» channel.shop_00 → channel.shop_fr  (renamed)"), "\(plan.stdout)")
        #expect(plan.stdout.contains("Plan: 0 to create, 1 to rename, 0 to update, 0 to delete"), "\(plan.stdout)")
        #expect(!plan.stdout.contains("--confirm-delete"))
        let json = try syndic.run(["plan", "--format", "json"])
        #expect(json.stdout.contains(#""former_address" : "channel.shop_00""#), "\(json.stdout)")

        let apply = try syndic.run(["apply"])
        #expect(apply.status == 0, "\(apply.stderr)")
        let runs = try syndic.run(["runs", "shop_fr"])
        #expect(runs.stdout.contains("product-export"), "\(runs.stdout)")
        #expect(try syndic.run(["status", "shop_00"]).status == 1)
        let status = try syndic.run(["status", "shop_fr"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("partner outage"), "the suspension moved: \(status.stdout)")
        let history = try syndic.run(["history", "shop_fr"])
        #expect(history.stdout.contains("shop_00"), "\(history.stdout)")
        #expect(try syndic.run(["plan", "--detailed-exitcode"]).status == 0)
    }

    @Test func aRenameKilledMidTransactionLeavesTheStateWhollyBefore() throws {
        let workspace = try RuntimeScenario.applied(1)
        defer { workspace.remove() }
        let syndic = workspace.syndic
        #expect(try syndic.run(["run", "shop_00", "product-export"]).status == 0)
        try workspace.write("channels/all.yaml", RuntimeScenario.channels(1).replacingOccurrences(
            of: "metadata: {name: shop_00}", with: "metadata: {name: shop_fr, formerNames: [shop_00]}"))
        // The apply pauses inside its transaction, after the rename's statements ran.
        let (process, _, err) = try syndic.start(["apply"], extra: ["SYNDIC_FAULT_APPLY_PAUSE_MS": "20000"])
        var seen = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !seen.contains("transaction open") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        #expect(seen.contains("transaction open"), "\(seen)")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        #expect(try syndic.run(["status", "shop_00"]).status == 0)
        #expect(try syndic.run(["status", "shop_fr"]).status == 1)
        #expect(try syndic.run(["runs", "shop_00"]).stdout.contains("product-export"))
        let retry = try syndic.run(["apply"])
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(try syndic.run(["runs", "shop_fr"]).stdout.contains("product-export"))
    }

    @Test func aTargetedPlanShowsOnlyItsTargetAndWhatItLeftOut() throws {
        let workspace = try RuntimeScenario.applied(2)
        defer { workspace.remove() }
        let syndic = workspace.syndic
        try workspace.write("channels/all.yaml", RuntimeScenario.channels(2)
            .replacingOccurrences(of: "folder: /shop_00", with: "folder: /fr")
            .replacingOccurrences(of: "folder: /shop_01", with: "folder: /de"))

        let plan = try syndic.run(["plan", "--target", "channel.shop_00"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("~ channel.shop_00"), "\(plan.stdout)")
        #expect(!plan.stdout.contains("~ channel.shop_01"), "\(plan.stdout)")
        #expect(plan.stdout.contains("This plan is partial (--target channel.shop_00)"), "\(plan.stdout)")
        #expect(plan.stdout.contains("Left out, with changes of their own (1 resource): channel.shop_01."), "\(plan.stdout)")
        let json = try syndic.run(["plan", "--target", "channel.shop_00", "--format", "json"])
        #expect(json.stdout.contains(#""left_out" : ["#), "\(json.stdout)")

        let unknown = try syndic.run(["plan", "--target", "channel.nope"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("--target channel.nope: no such resource in the configuration or the state"),
                "\(unknown.stderr)")

        // A saved targeted plan applies its selection only.
        #expect(try syndic.run(["plan", "--exclude", "channel.shop_01", "--out", "fr.plan"]).status == 0)
        let refused = try syndic.run(["apply", "fr.plan", "--target", "channel.shop_01"])
        #expect(refused.status != 0)
        let apply = try syndic.run(["apply", "fr.plan"])
        #expect(apply.status == 0, "\(apply.stderr)")
        let rest = try syndic.run(["plan"])
        #expect(rest.stdout.contains("~ channel.shop_01"), "\(rest.stdout)")
        #expect(!rest.stdout.contains("~ channel.shop_00"), "\(rest.stdout)")
    }
}
