import Foundation
import Testing

/// GitOps in practice on a real git repository made by the test: plans at a ref, stale
/// saved plans after a new commit, diffs between refs, split pull-request comments.
@Suite struct GitOpsTests {
    /// A repository with fixture v1 committed, then v2 committed on top.
    private func repository() throws -> (Workspace, v1: String, v2: String) {
        let workspace = try Workspace()
        try GitRepo.initialize(workspace)
        try workspace.use(fixture: "v1")
        let v1 = try GitRepo.commitAll(workspace, "v1")
        try Scenario.moveToV2(workspace)
        let v2 = try GitRepo.commitAll(workspace, "v2")
        return (workspace, v1, v2)
    }

    @Test func planAtARefLeavesTheWorkTreeAlone() throws {
        let (workspace, v1, _) = try repository()
        defer { workspace.remove() }
        let syndic = Scenario.syndic(workspace)
        let atRef = try syndic.run(["plan", "--git-ref", "HEAD~1", "--format", "json"])
        #expect(atRef.status == 0, "\(atRef.stderr)")
        #expect(atRef.stdout.contains("\"git_commit\" : \"\(v1)\""))
        #expect(atRef.stdout.contains("\"address\" : \"channel.old_partner\""))
        #expect(!atRef.stdout.contains("channel.amazon_de"))
        // The work tree still holds v2.
        #expect(FileManager.default.fileExists(atPath: workspace.root.appendingPathComponent("channels/amazon_de.yaml").path))
        #expect(try GitRepo.git(["status", "--porcelain"], in: workspace.root) == "")

        let unknown = try syndic.run(["plan", "--git-ref", "no-such-branch"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("cannot read channels at no-such-branch"))
    }

    @Test func aSavedPlanIsStaleAfterANewCommit() throws {
        let (workspace, _, v2) = try repository()
        defer { workspace.remove() }
        let syndic = Scenario.syndic(workspace)
        #expect(try syndic.run(["plan", "--out", "plan.json"]).status == 0)
        try workspace.write("README.md", "unrelated change\n")
        let v3 = try GitRepo.commitAll(workspace, "docs")
        let refused = try syndic.run(["apply", "plan.json"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("stale plan: HEAD moved since the plan was made (\(v2.prefix(12)) -> \(v3.prefix(12)))"))
        #expect(try syndic.run(["status"]).stdout.hasPrefix("No channels applied yet (serial 0)"))
    }

    @Test func diffShowsWhatAMergeWouldChange() throws {
        let (workspace, _, _) = try repository()
        defer { workspace.remove() }
        let diff = try workspace.syndic.run(["diff", "HEAD~1", "HEAD", "--detailed-exitcode"])
        #expect(diff.status == 2, "\(diff.stderr)")
        #expect(diff.stdout.hasPrefix("HEAD~1..HEAD\n"))
        #expect(diff.stdout.contains("  + channel.amazon_de"))
        #expect(diff.stdout.contains("  - channel.old_partner"))
        #expect(diff.stdout.contains("  ▲ channel.mirakl_fr  (activate)"))
        #expect(diff.stdout.contains("Plan: 1 to create, 1 to update, 1 to delete, 0 to rotate, 1 to activate, 1 to deactivate, 1 to schedule, 1 to unschedule."))
        let same = try workspace.syndic.run(["diff", "HEAD", "HEAD", "--detailed-exitcode"])
        #expect(same.status == 0)
        let markdown = try workspace.syndic.run(["diff", "main~1", "main", "--format", "markdown"])
        #expect(markdown.stdout.hasPrefix("#### syndic plan at `main~1..main`"))
    }

    @Test func diffJSONIsThePlanDocumentWithTheRefsAndCannotBeApplied() throws {
        let (workspace, v1, v2) = try repository()
        defer { workspace.remove() }
        let diff = try workspace.syndic.run(["diff", "HEAD~1", "HEAD", "--format", "json"])
        #expect(diff.status == 0, "\(diff.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any])
        #expect(document["format_version"] as? String == "2")
        #expect(document["diff"] as? [String: String]
                == ["base": "HEAD~1", "head": "HEAD", "base_commit": v1, "head_commit": v2])
        #expect((document["summary"] as? [String: Any])?["delete"] as? Int == 1)
        let addresses = (document["changes"] as? [[String: Any]] ?? []).compactMap { $0["address"] as? String }
        #expect(addresses.contains("channel.amazon_de"))
        #expect(addresses.contains("channel.old_partner"))
        // A diff has no state: no serial, digests or single git commit.
        for key in ["serial", "config_digest", "fingerprints_digest", "git_commit", "git_dirty"] {
            #expect(!document.keys.contains(key), "\(key)")
        }

        try workspace.write("diff.json", diff.stdout)
        let refused = try Scenario.syndic(workspace).run(["apply", "diff.json"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("stale plan: diff.json is a diff between two git refs"), "\(refused.stderr)")
    }

    @Test func longMarkdownPlansAreSplitIntoWholeComments() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("channels/all.yaml", RuntimeScenario.channels(40))
        let result = try workspace.syndic.run(["plan", "--format", "markdown", "--max-comment-bytes", "3000",
                                               "--comment-dir", "plan-comments"])
        #expect(result.status == 0, "\(result.stderr)")
        let directory = workspace.root.appendingPathComponent("plan-comments")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted {
            Int($0.filter(\.isNumber))! < Int($1.filter(\.isNumber))!
        }
        #expect(files.count > 3)
        var changes = 0
        for (index, file) in files.enumerated() {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            #expect(text.utf8.count <= 3000)
            #expect(text.components(separatedBy: "```").count == 3, "one closed diff fence in \(file)")
            #expect(text.components(separatedBy: "<details>").count == text.components(separatedBy: "</details>").count)
            #expect(text.contains("part \(index + 1) of \(files.count)"))
            changes += text.split(separator: "\n").filter { $0.hasPrefix("+ channel.") || $0.hasPrefix("+ connection.") }.count
        }
        #expect(changes == 43)
        let first = try String(contentsOf: directory.appendingPathComponent(files[0]), encoding: .utf8)
        #expect(first.contains("**Plan: 43 to create"))
    }
}
