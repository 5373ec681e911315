import Foundation
import Testing

/// History and saved plans record the git commit of the configuration directory.
@Suite struct GitHistoryTests {
    @Test func historyAndPlansNameTheCommit() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.use(fixture: "v1")
        try workspace.write(".gitignore", ".syndic/\nplan.json\n")
        _ = try GitRepo.git(["init", "-q"], in: workspace.root)
        _ = try GitRepo.git(["add", "-A"], in: workspace.root)
        _ = try GitRepo.git(["commit", "-q", "-m", "v1"], in: workspace.root)
        let head = try GitRepo.git(["rev-parse", "HEAD"], in: workspace.root)
        let syndic = Scenario.syndic(workspace)

        let planned = try syndic.run(["plan", "--format", "json", "--out", "plan.json"])
        #expect(planned.stdout.contains("\"git_commit\" : \"\(head)\""))
        #expect(try syndic.run(["apply", "plan.json"]).status == 0)
        let history = try syndic.run(["history", "--limit", "1"])
        #expect(history.stdout.hasPrefix("serial 1  2026-03-28T12:00:00Z  apply by tester commit \(head.prefix(12))\n"))

        // An uncommitted edit is recorded as such.
        try workspace.write("channels/extra.yaml", "apiVersion: syndic/v1\nkind: Connection\nmetadata: {name: spare}\nspec: {type: local, path: spare}\n")
        #expect(try syndic.run(["apply"]).status == 0)
        let dirty = try syndic.run(["history", "--limit", "1"])
        #expect(dirty.stdout.hasPrefix("serial 2  2026-03-28T12:00:00Z  apply by tester commit \(head.prefix(12))+dirty\n"))
    }
}
