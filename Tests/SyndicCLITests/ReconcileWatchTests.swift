import Foundation
import SyndicTestSupport
import Testing

/// `syndic reconcile --watch` on a temporary directory.
@Suite struct ReconcileWatchTests {
    /// Collects a child's output (its log on standard error) as it comes.
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
        let (process, _, out) = try syndic.start(["reconcile", "--watch", "--interval", "3s"])
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
        let (process, _, out) = try workspace.syndic.start(["reconcile", "--watch", "--interval", "1s"])
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

    /// A webhook (webhook_sink.py) taking `drift` and `apply-failed` of one channel hears once
    /// of a suspension, once of an apply from another checkout (reverted), and once of a
    /// failing configuration (an alert about no channel reaches it too), again after a fix.
    @Test func watchNotifiesDriftAndFailuresOncePerChange() throws {
        let sink = try LocalServer(simulator: "webhook_sink.py")
        defer { sink.kill() }
        let workspace = try Workspace()
        defer { workspace.remove() }
        let configuration = RuntimeScenario.channels(1) + """
            ---
            apiVersion: syndic/v1
            kind: Notification
            metadata: {name: ops}
            spec:
              type: webhook
              url: \(sink.baseURL)/hooks/syndic
              events: [drift, apply-failed]
              channels: [shop_00]

            """
        try workspace.write("channels/all.yaml", configuration)
        let (process, _, out) = try workspace.syndic.start(["reconcile", "--watch", "--interval", "1s"])
        let lines = Lines(out)
        /// `event channel` of each POST received.
        func received() -> [String] {
            ((try? sink.control.get("received"))?.listValue ?? []).map {
                "\($0.value(at: "body.event")?.stringValue ?? "?") \($0.value(at: "body.channel")?.stringValue ?? "?")"
            }
        }
        func cycles() -> Int {
            lines.value.split(separator: "\n").filter { $0.contains(" cycle: ") || $0.contains(" cycle failed: ") }.count
        }
        /// Waits until `count` more cycles (and so the deliveries of the cycles before) ended.
        func waitCycles(_ count: Int) {
            let start = cycles()
            #expect(RuntimeScenario.eventually(timeout: 30) { cycles() >= start + count })
        }
        #expect(RuntimeScenario.eventually(timeout: 30) { lines.value.contains("cycle: serial 0 -> 1, ") })

        // A suspension: one drift event, however many cycles see it.
        #expect(try workspace.syndic.run(["suspend", "shop_00", "--reason", "maintenance"]).status == 0)
        #expect(RuntimeScenario.eventually(timeout: 30) { received() == ["drift shop_00"] }, "\(received())")
        waitCycles(3)
        #expect(received() == ["drift shop_00"])
        #expect(try workspace.syndic.run(["resume", "shop_00"]).status == 0)
        waitCycles(2)

        // An apply from another checkout: one drift event, and the watched configuration is applied again.
        try workspace.write("other/all.yaml", configuration.replacingOccurrences(of: "folder: /shop_00", with: "folder: /elsewhere"))
        let elsewhere = try workspace.syndic.run(["apply", "--dir", "other", "--lock-timeout", "30"])
        #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
        #expect(RuntimeScenario.eventually(timeout: 30) { received().count == 2 }, "\(received())")
        waitCycles(3)
        #expect(received() == ["drift shop_00", "drift shop_00"])
        let drift = try #require(try sink.control.get("received").listValue?.last)
        #expect(drift.value(at: "body.message")?.stringValue?
                    .contains("channel.shop_00 update (products.export.storage.folder)") == true, "\(drift)")
        #expect(try workspace.syndic.run(["plan", "--detailed-exitcode"]).status == 0)

        // A failing configuration: one apply-failed event (channel ""), then one more after a fix and a new failure.
        try workspace.write("channels/broken.yaml", "apiVersion: syndic/v1\nkind: Channel\n")
        #expect(RuntimeScenario.eventually(timeout: 30) { lines.value.contains("retrying in 2 s") })
        waitCycles(1)
        #expect(received() == ["drift shop_00", "drift shop_00", "apply-failed "])
        let failed = try #require(try sink.control.get("received").listValue?.last)
        #expect(failed.value(at: "body.message")?.stringValue?.contains("failed: the configuration has 2 errors") == true,
                "\(failed)")
        try FileManager.default.removeItem(at: workspace.root.appendingPathComponent("channels/broken.yaml"))
        let good = lines.value.components(separatedBy: " cycle: serial").count
        #expect(RuntimeScenario.eventually(timeout: 30) { lines.value.components(separatedBy: " cycle: serial").count > good })
        try workspace.write("channels/broken.yaml", "apiVersion: syndic/v1\nkind: Channel\n")
        #expect(RuntimeScenario.eventually(timeout: 30) { received().count == 4 }, "\(received())")
        #expect(received().last == "apply-failed ")
        #expect(lines.value.contains("alert apply-failed: reconcile of channels failed: the configuration has 2 errors"))
        #expect(lines.value.contains("delivered 1 alert\n"))

        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
