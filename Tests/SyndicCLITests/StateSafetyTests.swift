import Foundation
import Testing

/// Crash safety, locking and secret hygiene of the state, on the built binary.
@Suite(.serialized) struct StateSafetyTests {
    /// Waits until `pipe` has printed `marker` on standard error.
    private func waitFor(_ marker: String, in pipe: Pipe) -> Bool {
        var seen = ""
        let handle = pipe.fileHandleForReading
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { return false }
            seen += String(decoding: chunk, as: UTF8.self)
            if seen.contains(marker) { return true }
        }
        return false
    }

    @Test func killedApplyLeavesStateWhollyBefore() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.use(fixture: "v1")
        let syndic = Scenario.syndic(workspace)
        let (process, _, err) = try syndic.start(["apply"], extra: ["SYNDIC_FAULT_APPLY_PAUSE_MS": "20000"])
        #expect(waitFor("transaction open", in: err))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let status = try syndic.run(["status"])
        #expect(status.stdout == "No channels applied yet (serial 0). Run `syndic apply`.\n")
        #expect(try syndic.run(["history"]).stdout == "No history yet. Run `syndic apply`.\n")
        // No stale lock: the next apply takes the lock at once and commits everything.
        let retry = try syndic.run(["apply"])
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(retry.stdout.contains("6 changes committed, serial 0 -> 1"))
    }

    @Test func concurrentApplyFailsFastOrWaits() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.use(fixture: "v1")
        let syndic = Scenario.syndic(workspace)
        let (first, _, err) = try syndic.start(["apply"], extra: ["SYNDIC_FAULT_APPLY_PAUSE_MS": "3000"])
        #expect(waitFor("transaction open", in: err))
        let second = try syndic.run(["apply"])
        #expect(second.status == 1)
        #expect(second.stderr.contains("another syndic process holds the state lock"))
        #expect(second.stderr.contains("syndic apply by tester, pid \(first.processIdentifier)"))
        let waiting = try syndic.run(["apply", "--lock-timeout", "30"])
        #expect(waiting.status == 0, "\(waiting.stderr)")
        #expect(waiting.stdout == "No changes. The state matches the configuration (serial 1).\n")
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
    }

    @Test func secretValuesNeverLeak() throws {
        let marker = "SECRET-MARKER-\(UUID().uuidString)"
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.use(fixture: "v1")
        let syndic = Scenario.syndic(workspace, extra: ["MIRAKL_FR_KEY": marker, "PARTNER_FTP_PASSWORD": marker + "-ftp"])
        var outputs: [String] = []
        for arguments in [["validate"], ["plan"], ["plan", "--format", "json"], ["plan", "--format", "markdown"],
                          ["plan", "--out", "plan.json"], ["apply"], ["status"], ["status", "mirakl_fr"], ["history"]] {
            let result = try syndic.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            outputs += [result.stdout, result.stderr]
        }
        // Rotation shows fingerprints, never values.
        let rotated = try syndic.run(["plan"], extra: ["MIRAKL_FR_KEY": marker + "-2"])
        outputs += [rotated.stdout, rotated.stderr]
        #expect(rotated.stdout.contains("⟳ channel.mirakl_fr  (rotate)"))
        // An inline secret is refused without being echoed.
        try workspace.write("channels/inline.yaml", """
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: leaky}
            spec: {type: ftp, host: h, username: u, password: \(marker)-inline}
            """)
        let inline = try syndic.run(["validate"])
        #expect(inline.status == 1)
        #expect(inline.stderr.contains("password is a secret and must not be written inline"))
        outputs += [inline.stdout, inline.stderr]

        for output in outputs { #expect(!output.contains(marker)) }
        let plan = try String(contentsOf: workspace.root.appendingPathComponent("plan.json"), encoding: .utf8)
        #expect(!plan.contains(marker))
        let state = try workspace.stateBytes()
        #expect(state.range(of: Data(marker.utf8)) == nil)
        #expect(!state.isEmpty)
    }
}
