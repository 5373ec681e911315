import Foundation
import SyndicCore
import Testing
@testable import SyndicEngine

/// The watch loop's memory of what it notified: each drift, suspension and failure once,
/// again when it changes or comes back.
struct WatchNotifierTests {
    static let at = Date(timeIntervalSince1970: 1_774_612_800)

    static func update(_ channel: String, folder: String) -> Change {
        Change(address: "channel.\(channel)", kind: .channel, name: channel, action: .update,
               fields: [FieldChange(path: "products.export.storage.folder", before: "/\(channel)", after: folder)])
    }

    static func observation(_ configuration: String = "A", _ changes: [Change] = [], pending: Set<String> = [],
                            suspensions: [String: Suspension] = [:]) -> WatchNotifier.Observation {
        WatchNotifier.Observation(configuration: configuration, changes: changes, pending: pending, suspensions: suspensions)
    }

    /// kind, channel of each event.
    static func summary(_ events: [WatchNotifier.Event]) -> [String] {
        events.map { "\($0.kind.rawValue) \($0.channel)" }
    }

    @Test func aFailureIsNotifiedOncePerMessageAndAgainAfterAGoodCycle() {
        var notifier = WatchNotifier()
        let first = notifier.failed("reconcile of channels failed: the configuration has 1 error")
        #expect(Self.summary(first) == ["apply-failed "])
        #expect(first.first?.message == "reconcile of channels failed: the configuration has 1 error")
        #expect(notifier.failed("reconcile of channels failed: the configuration has 1 error").isEmpty)
        #expect(notifier.failed("reconcile of channels failed: the configuration has 1 error").isEmpty)
        // Another error is another failure.
        #expect(Self.summary(notifier.failed("reconcile of channels failed: the configuration has 2 errors"))
                    == ["apply-failed "])
        // A good cycle clears it: the same failure afterwards is notified again.
        #expect(notifier.succeeded(Self.observation()).isEmpty)
        #expect(Self.summary(notifier.failed("reconcile of channels failed: the configuration has 2 errors"))
                    == ["apply-failed "])
    }

    @Test func aSuspensionIsDriftUntilResumed() {
        var notifier = WatchNotifier()
        let suspension = Suspension(reason: "maintenance", by: "ops", at: Self.at)
        let first = notifier.succeeded(Self.observation(suspensions: ["feed": suspension]))
        #expect(Self.summary(first) == ["drift feed"])
        #expect(first.first?.message == "channel feed was suspended outside git at 2026-03-27T12:00:00Z by ops: "
                    + "maintenance; reconcile keeps the suspension until `syndic resume feed`")
        #expect(notifier.succeeded(Self.observation(suspensions: ["feed": suspension])).isEmpty)
        // A failed cycle sees no suspension and forgets none.
        #expect(Self.summary(notifier.failed("locked out")) == ["apply-failed "])
        #expect(notifier.succeeded(Self.observation(suspensions: ["feed": suspension])).isEmpty)
        // Resumed, then suspended again: a new suspension.
        #expect(notifier.succeeded(Self.observation()).isEmpty)
        let again = Suspension(reason: "maintenance", by: "ops", at: Self.at.addingTimeInterval(60))
        #expect(Self.summary(notifier.succeeded(Self.observation(suspensions: ["feed": again]))) == ["drift feed"])
        // Another channel's suspension is notified on its own.
        #expect(Self.summary(notifier.succeeded(Self.observation(suspensions: ["feed": again, "shop": suspension])))
                    == ["drift shop"])
    }

    @Test func changesUnderAnUnchangedConfigurationAreDriftOncePerChange() {
        var notifier = WatchNotifier()
        // The first cycle of a configuration applies it: not drift.
        #expect(notifier.succeeded(Self.observation("A", [Self.update("feed", folder: "/feed")])).isEmpty)
        #expect(notifier.succeeded(Self.observation("A")).isEmpty)

        let drifted = notifier.succeeded(Self.observation("A", [Self.update("feed", folder: "/elsewhere")]))
        #expect(Self.summary(drifted) == ["drift feed"])
        #expect(drifted.first?.message.contains("applied the configuration again: channel.feed update (products.export.storage.folder)") == true,
                "\(drifted)")
        // The same drift seen again (the revert failed, say) is not notified twice.
        #expect(notifier.succeeded(Self.observation("A", [Self.update("feed", folder: "/elsewhere")])).isEmpty)
        // Another value is another drift.
        #expect(Self.summary(notifier.succeeded(Self.observation("A", [Self.update("feed", folder: "/third")])))
                    == ["drift feed"])
        // Cleared, then back: notified again.
        #expect(notifier.succeeded(Self.observation("A")).isEmpty)
        #expect(Self.summary(notifier.succeeded(Self.observation("A", [Self.update("feed", folder: "/third")])))
                    == ["drift feed"])
    }

    @Test func aNewConfigurationIsNotDrift() {
        var notifier = WatchNotifier()
        #expect(notifier.succeeded(Self.observation("A")).isEmpty)
        #expect(notifier.succeeded(Self.observation("B", [Self.update("feed", folder: "/new")])).isEmpty)
        #expect(Self.summary(notifier.succeeded(Self.observation("B", [Self.update("feed", folder: "/other")])))
                    == ["drift feed"])
    }

    @Test func pendingDeletesOfTheConfigurationAreNotDriftButNewOnesAre() {
        var notifier = WatchNotifier()
        let old = Change(address: "channel.old", kind: .channel, name: "old", action: .delete,
                         data: [DataCount(label: "runs", count: 1)])
        #expect(notifier.succeeded(Self.observation("A", [old], pending: ["channel.old"])).isEmpty)
        #expect(notifier.succeeded(Self.observation("A", [old], pending: ["channel.old"])).isEmpty)

        // A channel created outside the configuration stays pending for deletion.
        var extra = Change(address: "channel.extra", kind: .channel, name: "extra", action: .delete,
                           data: [DataCount(label: "runs", count: 1)])
        let drifted = notifier.succeeded(Self.observation("A", [old, extra], pending: ["channel.old", "channel.extra"]))
        #expect(Self.summary(drifted) == ["drift extra"])
        #expect(drifted.first?.message.contains("; pending (a delete needs --prune") == true, "\(drifted)")
        #expect(drifted.first?.message.contains("channel.extra delete") == true, "\(drifted)")
        #expect(drifted.first?.message.contains("channel.old") == false, "\(drifted)")
        // Its data growing is the same drift.
        extra.data = [DataCount(label: "runs", count: 5)]
        #expect(notifier.succeeded(Self.observation("A", [old, extra], pending: ["channel.old", "channel.extra"])).isEmpty)
    }

    @Test func connectionsAndNotificationsDriftWithNoChannel() {
        var notifier = WatchNotifier()
        #expect(notifier.succeeded(Self.observation("A")).isEmpty)
        let connection = Change(address: "connection.outbox", kind: .connection, name: "outbox", action: .update,
                                fields: [FieldChange(path: "path", before: "out", after: "elsewhere")])
        let events = notifier.succeeded(Self.observation("A", [connection, Self.update("feed", folder: "/x"),
                                                               Self.update("shop", folder: "/y")]))
        #expect(Self.summary(events) == ["drift ", "drift feed", "drift shop"])
        #expect(events.first?.message.contains("connection.outbox update (path)") == true, "\(events)")
    }

    @Test func aForgottenEventIsRaisedAgain() {
        var notifier = WatchNotifier()
        let failure = notifier.failed("the state is unavailable")
        #expect(failure.count == 1)
        notifier.forget(failure[0])
        #expect(notifier.failed("the state is unavailable").count == 1)
        #expect(notifier.failed("the state is unavailable").isEmpty)
    }
}
