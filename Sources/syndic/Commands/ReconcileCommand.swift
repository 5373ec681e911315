import ArgumentParser
import Foundation
import Logging
import SyndicCore
import SyndicEngine
import SyndicFlows

/// `syndic reconcile --watch`: continuous reconcile.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Apply non-destructive changes continuously (at each interval and when a file changes).",
        discussion: """
            Deletes are applied only with --prune, and for a channel only when it is named in \
            --confirm-delete or carried the label `syndic/prune: allow` when last applied. Each \
            cycle logs one line (standard error); failures back off exponentially and never stop the \
            loop. SIGTERM or SIGINT stops it after the current cycle (exit 0; 1 when the metrics \
            endpoint cannot listen). Without --watch, one cycle runs and prints its line on standard \
            output (exit 1 if it fails).
            """)

    @OptionGroup var options: GlobalOptions

    @OptionGroup(title: "Selection") var selection: SelectionOptions

    @OptionGroup(title: "Logging") var logging: LoggingOptions

    @OptionGroup(title: "Metrics") var metricsOptions: MetricsOptions

    @Flag(name: .long, help: "Keep reconciling until stopped.")
    var watch = false

    @Option(name: .long, help: "Time between cycles: 60s, 5m, 1h.")
    var interval: IntervalArgument = IntervalArgument(seconds: 60)

    @Flag(name: .long, help: "Also apply deletes (each channel still needs --confirm-delete or the prune label).")
    var prune = false

    @Option(name: .long, help: "A channel whose deletion --prune may apply (repeatable).")
    var confirmDelete: [String] = []

    func validate() throws {
        if metricsOptions.metricsAddress != nil && !watch {
            throw ValidationError("--metrics-address needs --watch (one cycle has nothing to scrape)")
        }
    }

    func run() async throws {
        let logger = try logging.bootstrap(label: "syndic.reconcile")
        let registry = MetricsOptions.bootstrap()
        let store = try options.openStore()
        let reconciler = ContinuousReconciler(
            directory: ConfigDirectory(path: options.dir), store: store,
            secrets: SecretResolver(),
            options: .init(interval: interval.seconds, prune: prune, confirmedDeletes: Set(confirmDelete),
                           selection: selection.selection),
            user: CommandUser.current(), logger: logger,
            deliver: Self.delivery(AlertDispatcher(store: store), logger: logger))
        guard watch else {
            do {
                Output.print(try reconciler.cycle(now: CommandClock.now()).line)
            } catch {
                throw Failure.exit("\(error)")
            }
            return
        }
        let endpointFailed = OnceFlag()
        let serving = metricsOptions.serve(registry: registry, logger: logger, refresh: nil,
                                           healthy: { await MetricsOptions.offPool { (try? store.ping()) != nil } },
                                           failed: { endpointFailed.set(); reconciler.stop() })
        let signals = SignalWatcher([SIGTERM, SIGINT]) { _ in reconciler.stop() }
        // The loop blocks its thread between cycles: a thread of its own, not the task pool's.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                reconciler.run()
                done.resume()
            }
        }
        serving?.cancel()
        await serving?.value
        withExtendedLifetime(signals) {}
        if endpointFailed.isSet { throw ExitCode(1) }
    }

    /// Delivers the waiting alerts (drift, apply-failed, and any other) after each watch
    /// cycle, logging what it did.
    static func delivery(_ alerts: AlertDispatcher, logger: Logger) -> @Sendable () -> Void {
        {
            let report = alerts.deliver()
            if report.delivered > 0 {
                logger.info("delivered \(report.delivered) alert\(report.delivered == 1 ? "" : "s")")
            }
            for failure in report.failures { logger.error("alert delivery: \(failure)") }
        }
    }
}
