import Foundation
import Testing

/// `syndic reconcile --watch` on a temporary directory.
@Suite struct ReconcileWatchTests {
    /// Collects a child's standard output as it comes.
    final class Lines: @unchecked Sendable {
        private var text = ""
        private let lock = NSLock()

        init(_ pipe: Pipe) {
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread { [self] in
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { return }
                    lock.withLock { text += String(decoding: chunk, as: UTF8.self) }
                }
            }
        }

        var value: String { lock.withLock { text } }
    }

    @Test func watchAppliesChangesAndKeepsDeletesForPrune() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.use(fixture: "v1")
        let syndic = Scenario.syndic(workspace)
        let (process, out, _) = try syndic.start(["reconcile", "--watch", "--interval", "3s"])
        let lines = Lines(out)
        #expect(RuntimeScenario.eventually(timeout: 30) { lines.value.contains("cycle: serial 0 -> 1, 6 changes applied") })

        // A new file is applied within one interval.
        try workspace.write("channels/spare.yaml", "apiVersion: syndic/v1\nkind: Connection\nmetadata: {name: spare}\nspec: {type: local, path: spare}\n")
        #expect(RuntimeScenario.eventually(timeout: 10) { lines.value.contains("cycle: serial 1 -> 2, 1 change applied") })

        // A removal is not applied without --prune: it stays pending.
        try workspace.write("channels/feeds.yaml", """
            apiVersion: syndic/v1
            kind: Channel
            metadata: {name: feed}
            spec:
              type: flat-file
              status: active
              source: {connection: pim}
              products:
                mapping: {sku: {field: identifier}, title: name~en_GB}
                export:
                  storage: {connection: outbox, folder: /feed}
            """)
        #expect(RuntimeScenario.eventually(timeout: 10) {
            lines.value.contains("cycle: serial 2, 0 changes applied, 1 delete pending (channel.old_partner: needs --prune and --confirm-delete, or the label syndic/prune: allow)")
        })
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(lines.value.hasSuffix("reconcile stopped\n"))
        #expect(try syndic.run(["status", "old_partner"]).status == 0)
    }

    @Test func pruneDeletesConfirmedOrLabelledChannels() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("channels/all.yaml", RuntimeScenario.channels(3)
            .replacingOccurrences(of: "metadata: {name: shop_02}", with: "metadata: {name: shop_02, labels: {syndic/prune: allow}}"))
        #expect(try workspace.syndic.run(["apply"]).status == 0)
        try workspace.write("channels/all.yaml", RuntimeScenario.channels(1))
        let pruned = try workspace.syndic.run(["reconcile", "--prune", "--confirm-delete", "shop_01"])
        #expect(pruned.status == 0, "\(pruned.stderr)")
        #expect(pruned.stdout.hasPrefix("cycle: serial 1 -> 2, 2 changes applied,"))
        #expect(try workspace.syndic.run(["plan", "--detailed-exitcode"]).status == 0)
    }

    @Test func failuresBackOffAndNeverStopTheLoop() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("channels/broken.yaml", "apiVersion: syndic/v1\nkind: Channel\n")
        let (process, out, _) = try workspace.syndic.start(["reconcile", "--watch", "--interval", "1s"])
        let lines = Lines(out)
        #expect(RuntimeScenario.eventually(timeout: 20) {
            lines.value.contains("cycle failed: the configuration has 2 errors; run `syndic validate`; retrying in 1 s")
                && lines.value.contains("retrying in 2 s")
        })
        try workspace.write("channels/broken.yaml", "apiVersion: syndic/v1\nkind: Connection\nmetadata: {name: spare}\nspec: {type: local, path: spare}\n")
        #expect(RuntimeScenario.eventually(timeout: 20) { lines.value.contains("cycle: serial 0 -> 1, 1 change applied") })
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
