import Foundation
import Testing

/// `syndic plan` in its three formats, compared whole with golden files.
@Suite struct PlanCommandTests {
    @Test(arguments: ["text", "json", "markdown"])
    func initialPlan(format: String) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.use(fixture: "v1")
        let result = try Scenario.syndic(workspace).run(["plan", "--format", format])
        #expect(result.status == 0, "\(result.stderr)")
        try Golden.check(result.stdout, "plan-v1.\(format == "markdown" ? "md" : format)")
    }

    @Test(arguments: ["text", "json", "markdown"])
    func planOfChanges(format: String) throws {
        let workspace = try Scenario.appliedV1()
        defer { workspace.remove() }
        try Scenario.moveToV2(workspace)
        let syndic = Scenario.syndic(workspace, extra: ["MIRAKL_FR_KEY": "mirakl-key-2"])
        let result = try syndic.run(["plan", "--format", format])
        #expect(result.status == 0, "\(result.stderr)")
        try Golden.check(result.stdout, "plan-v1-to-v2.\(format == "markdown" ? "md" : format)")
    }

    @Test func detailedExitCodes() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.use(fixture: "v1")
        let syndic = Scenario.syndic(workspace)
        #expect(try syndic.run(["plan", "--detailed-exitcode"]).status == 2)
        #expect(try syndic.run(["apply"]).status == 0)
        let unchanged = try syndic.run(["plan", "--detailed-exitcode"])
        #expect(unchanged.status == 0)
        #expect(unchanged.stdout == "No changes. The state matches the configuration (serial 1).\n")
        try workspace.write("channels/broken.yaml", "apiVersion: syndic/v1\nkind: Channel\n")
        #expect(try syndic.run(["plan", "--detailed-exitcode"]).status == 1)
    }

    @Test func schemaIsJSON() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try workspace.syndic.run(["schema"])
        #expect(result.status == 0)
        let schema = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let defs = schema?["$defs"] as? [String: Any]
        #expect(defs?["ChannelSpec"] != nil)
        #expect(defs?["ConnectionSpec"] != nil)
    }
}
