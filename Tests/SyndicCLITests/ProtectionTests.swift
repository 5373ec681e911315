import Foundation
import Testing

/// The protection label: a protected channel is deleted by no apply and no prune, whatever
/// is confirmed; removing the label first, in its own apply, lets the delete through.
@Suite struct ProtectionTests {
    static func channel(protected: Bool) -> String {
        RuntimeScenario.channels(1).replacingOccurrences(
            of: "metadata: {name: shop_00}",
            with: protected ? #"metadata: {name: shop_00, labels: {"syndic/protect": "true"}}"# : "metadata: {name: shop_00}")
    }

    @Test func aProtectedChannelIsNotDeletedEvenWhenConfirmed() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("channels/all.yaml", Self.channel(protected: true))
        #expect(try workspace.syndic.run(["apply"]).status == 0)
        // The channel is removed from the files (the connections and the idle channel stay).
        let without = Self.channel(protected: true).components(separatedBy: "\n---\n")
            .filter { !$0.contains("name: shop_00") }.joined(separator: "\n---\n")
        try workspace.write("channels/all.yaml", without)

        let plan = try workspace.syndic.run(["plan"])
        #expect(plan.stdout.contains(#"! blocked: protected by the label syndic/protect: "true""#), "\(plan.stdout)")
        let json = try workspace.syndic.run(["plan", "--format", "json"])
        #expect(json.stdout.contains(#""blocked" : "protected by the label syndic/protect"#), "\(json.stdout)")
        let markdown = try workspace.syndic.run(["plan", "--format", "markdown"])
        #expect(markdown.stdout.contains("!     blocked: protected by the label syndic/protect"), "\(markdown.stdout)")

        let refused = try workspace.syndic.run(["apply", "--confirm-delete", "shop_00"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the plan deletes protected resources; nothing was applied."), "\(refused.stderr)")
        #expect(refused.stderr.contains(#"channel.shop_00: protected by the label syndic/protect: "true""#))
        #expect(try workspace.syndic.run(["status", "shop_00"]).status == 0)
        let pruned = try workspace.syndic.run(["reconcile", "--prune", "--confirm-delete", "shop_00"])
        #expect(pruned.status == 0, "\(pruned.stderr)")
        #expect(pruned.stdout.contains("channel.shop_00 (protected)"), "\(pruned.stdout)")
        #expect(try workspace.syndic.run(["status", "shop_00"]).status == 0)

        // Removing the label is a change of its own; then the delete goes through.
        try workspace.write("channels/all.yaml", Self.channel(protected: false))
        #expect(try workspace.syndic.run(["apply"]).status == 0)
        try workspace.write("channels/all.yaml", without)
        let deleted = try workspace.syndic.run(["apply", "--confirm-delete", "shop_00"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(try workspace.syndic.run(["status", "shop_00"]).status == 1)
    }
}
