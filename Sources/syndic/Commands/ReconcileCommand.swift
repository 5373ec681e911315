import ArgumentParser
import Foundation
import SyndicCore
import SyndicEngine
import SyndicFlows

/// `syndic reconcile --watch`: continuous reconcile.
struct ReconcileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Apply non-destructive changes continuously (at each interval and when a file changes).",
        discussion: """
            Deletes are applied only with --prune, and for a channel only when it is named in \
            --confirm-delete or carried the label `syndic/prune: allow` when last applied. Each \
            cycle prints one line; failures back off exponentially and never stop the loop. \
            SIGTERM or SIGINT stops it after the current cycle (exit 0). Without --watch, one \
            cycle runs (exit 1 if it fails).
            """)

    @OptionGroup var options: GlobalOptions

    @OptionGroup(title: "Selection") var selection: SelectionOptions

    @Flag(name: .long, help: "Keep reconciling until stopped.")
    var watch = false

    @Option(name: .long, help: "Time between cycles: 60s, 5m, 1h.")
    var interval: IntervalArgument = IntervalArgument(seconds: 60)

    @Flag(name: .long, help: "Also apply deletes (each channel still needs --confirm-delete or the prune label).")
    var prune = false

    @Option(name: .long, help: "A channel whose deletion --prune may apply (repeatable).")
    var confirmDelete: [String] = []

    func run() throws {
        let store = try options.openStore()
        let reconciler = ContinuousReconciler(
            directory: ConfigDirectory(path: options.dir), store: store,
            secrets: SecretResolver(),
            options: .init(interval: interval.seconds, prune: prune, confirmedDeletes: Set(confirmDelete),
                           selection: selection.selection),
            user: CommandUser.current(), report: { Output.print("\(Timestamp.now()) \($0)") },
            deliver: Self.delivery(AlertDispatcher(store: store)))
        guard watch else {
            do {
                Output.print(try reconciler.cycle(now: CommandClock.now()).line)
            } catch {
                throw Failure.exit("\(error)")
            }
            return
        }
        let signals = SignalWatcher([SIGTERM, SIGINT]) { _ in reconciler.stop() }
        reconciler.run()
        withExtendedLifetime(signals) {}
    }

    /// Delivers the waiting alerts (drift, apply-failed, and any other) after each watch
    /// cycle, logging what it did.
    static func delivery(_ alerts: AlertDispatcher) -> @Sendable () -> Void {
        {
            let report = alerts.deliver()
            if report.delivered > 0 {
                Output.print("\(Timestamp.now()) delivered \(report.delivered) alert\(report.delivered == 1 ? "" : "s")")
            }
            for failure in report.failures { Output.print("\(Timestamp.now()) alert delivery: \(failure)") }
        }
    }
}
