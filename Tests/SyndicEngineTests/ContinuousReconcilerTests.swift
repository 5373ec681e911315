import Foundation
import SyndicCore
import SyndicStore
import Testing
@testable import SyndicEngine

/// The watch loop's cycles against a real state: drift and failures become alerts in the
/// state once per change, and the delivery runs after every cycle.
struct ContinuousReconcilerTests {
    /// Counts the deliveries the loop asked for.
    final class Deliveries: @unchecked Sendable {
        private let lock = NSLock()
        private var calls = 0

        func add() { lock.withLock { calls += 1 } }
        var count: Int { lock.withLock { calls } }
    }

    /// A loop on the workspace, driven one cycle at a time.
    final class Loop {
        let workspace: EngineWorkspace
        let deliveries: Deliveries
        let reconciler: ContinuousReconciler
        var notifier = WatchNotifier()

        init(_ workspace: EngineWorkspace) {
            let deliveries = Deliveries()
            self.workspace = workspace
            self.deliveries = deliveries
            reconciler = ContinuousReconciler(
                directory: ConfigDirectory(path: workspace.channels), store: workspace.store,
                secrets: SecretResolver(environment: EngineWorkspace.environment), options: .init(),
                user: "watcher", deliver: { deliveries.add() })
        }

        /// One cycle and its notifications; returns `kind channel` of the alerts raised.
        @discardableResult
        func step() -> [String] {
            let outcome = Result { try reconciler.cycle(now: EngineWorkspace.now) }
            return reconciler.notify(outcome, notifier: &notifier, at: EngineWorkspace.now)
                .map { "\($0.kind.rawValue) \($0.channel)" }
        }

        /// The alerts in the state, oldest first.
        func alerts() throws -> [AlertEvent] { try Array(workspace.store.events(channel: nil, limit: 100).reversed()) }
    }

    @Test func aFailureIsNotifiedOnceThenAgainAfterAFix() throws {
        let loop = Loop(try EngineWorkspace())
        #expect(loop.step().isEmpty)
        try loop.workspace.write("broken.yaml", "apiVersion: syndic/v1\nkind: Channel\n")
        #expect(loop.step() == ["apply-failed "])
        #expect(loop.step().isEmpty)
        #expect(loop.step().isEmpty)
        try loop.workspace.remove("broken.yaml")
        #expect(loop.step().isEmpty)
        try loop.workspace.write("broken.yaml", "apiVersion: syndic/v1\nkind: Channel\n")
        #expect(loop.step() == ["apply-failed "])

        let alerts = try loop.alerts()
        #expect(alerts.map(\.kind) == ["apply-failed", "apply-failed"])
        #expect(alerts.allSatisfy { $0.channel == "" && $0.runID == nil })
        let message = try #require(alerts.first?.message)
        #expect(message.hasPrefix("reconcile of \(loop.workspace.channels) failed: the configuration has "), "\(message)")
        #expect(message.contains("broken.yaml"), "\(message)")
        #expect(loop.deliveries.count == 6)
    }

    @Test func aSuspensionIsNotifiedOnceUntilResumed() throws {
        let loop = Loop(try EngineWorkspace())
        loop.step()
        _ = try loop.workspace.store.suspend(channel: "feed", reason: "maintenance", by: "ops", at: EngineWorkspace.now)
        #expect(loop.step() == ["drift feed"])
        #expect(loop.step().isEmpty)
        _ = try loop.workspace.store.resume(channel: "feed", by: "ops", at: EngineWorkspace.now)
        #expect(loop.step().isEmpty)
        _ = try loop.workspace.store.suspend(channel: "feed", reason: "again", by: "ops",
                                             at: EngineWorkspace.now.addingTimeInterval(60))
        #expect(loop.step() == ["drift feed"])

        let alerts = try loop.alerts()
        #expect(alerts.map { "\($0.kind) \($0.channel)" } == ["drift feed", "drift feed"])
        #expect(alerts.last?.message.contains("by ops: again; reconcile keeps the suspension until `syndic resume feed`") == true,
                "\(alerts)")
    }

    @Test func anApplyFromAnotherCheckoutIsDriftAndIsReverted() throws {
        let workspace = try EngineWorkspace()
        let loop = Loop(workspace)
        #expect(loop.step().isEmpty)
        // The same configuration, but for the feed's folder, applied from another directory.
        let other = workspace.root + "/other"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try EngineWorkspace.connections.write(toFile: other + "/connections.yaml", atomically: true, encoding: .utf8)
        try EngineWorkspace.mirakl().write(toFile: other + "/mirakl_fr.yaml", atomically: true, encoding: .utf8)
        try EngineWorkspace.feed.replacingOccurrences(of: "folder: /feed", with: "folder: /elsewhere")
            .write(toFile: other + "/feed.yaml", atomically: true, encoding: .utf8)
        func applyElsewhere() throws {
            let elsewhere = Reconciler(directory: ConfigDirectory(path: other), store: workspace.store,
                                       secrets: SecretResolver(environment: EngineWorkspace.environment),
                                       now: EngineWorkspace.now)
            let planned = try elsewhere.plan()
            try #require(planned.plan.changes.map(\.address) == ["channel.feed"])
            _ = try elsewhere.apply(planned, confirmedDeletes: [], user: "someone")
        }
        try applyElsewhere()

        #expect(loop.step() == ["drift feed"])
        let message = try #require(try loop.alerts().last?.message)
        #expect(message.contains("channel.feed update (products.export.storage.folder)"), "\(message)")
        #expect(message.contains("applied the configuration again"), "\(message)")
        // Reverted: the state matches the watched configuration, and nothing more is raised.
        #expect(try workspace.reconciler().plan().plan.changes.isEmpty)
        #expect(loop.step().isEmpty)
        #expect(loop.step().isEmpty)

        // The same change outside again is drift again.
        try applyElsewhere()
        #expect(loop.step() == ["drift feed"])

        // A change of the watched configuration is no drift.
        try workspace.write("feed.yaml", EngineWorkspace.feed.replacingOccurrences(of: "folder: /feed", with: "folder: /moved"))
        #expect(loop.step().isEmpty)
        #expect(loop.step().isEmpty)
        #expect(try loop.alerts().map(\.kind) == ["drift", "drift"])
    }
}
