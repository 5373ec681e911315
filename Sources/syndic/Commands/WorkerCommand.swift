import ArgumentParser
import Dispatch
import Foundation
import Logging
import SyndicCore
import SyndicEngine
import SyndicFlows

/// `syndic worker`: runs the scheduler and the jobs.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the scheduler and execute due jobs (several workers may share one state).",
        discussion: """
            SIGTERM or SIGINT stops claiming, lets running jobs finish within --grace seconds, \
            then gives their runs back to the queue. Exit 0 after a clean stop; 1 when the metrics \
            endpoint cannot listen. Log lines go to standard error.
            """)

    @OptionGroup var options: GlobalOptions

    @OptionGroup(title: "Logging") var logging: LoggingOptions

    @OptionGroup(title: "Metrics") var metricsOptions: MetricsOptions

    @Option(name: .long, help: "Jobs run at the same time.")
    var concurrency: Int = 2

    @Flag(name: .long, help: "Queue what is due, run it, and exit.")
    var once = false

    @Option(name: .long, help: "Lease length in seconds: a crashed worker's run is retried after this long.")
    var lease: Double = 60

    @Option(name: .long, help: "Seconds between scheduler ticks when idle.")
    var poll: Double = 1

    @Option(name: .long, help: "Seconds running jobs get to finish on shutdown.")
    var grace: Double = 30

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        guard lease >= 1 else { throw ValidationError("--lease must be at least 1 second") }
        guard poll > 0 else { throw ValidationError("--poll must be positive") }
        guard grace >= 0 else { throw ValidationError("--grace must not be negative") }
    }

    func run() async throws {
        let logger = try logging.bootstrap(label: "syndic.worker")
        let registry = MetricsOptions.bootstrap()
        let store = try options.openStore()
        let alerts = AlertDispatcher(store: store)
        let worker = Worker(store: store, registry: .shipped,
                            options: WorkerOptions(concurrency: concurrency, lease: lease, pollInterval: poll,
                                                   grace: grace, once: once),
                            workDirectory: options.workDirectory, logger: logger,
                            housekeeping: {
                                let report = alerts.deliver()
                                if report.delivered > 0 { logger.info("delivered \(report.delivered) alerts") }
                                for failure in report.failures { logger.error("alert delivery: \(failure)") }
                            })
        let endpointFailed = OnceFlag()
        let serving = metricsOptions.serve(registry: registry, logger: logger, refresh: { await MetricsOptions.offPool { worker.measureQueue() } },
                                           healthy: { await MetricsOptions.offPool { worker.isHealthy() } },
                                           failed: { endpointFailed.set(); await worker.stop() })
        let signals = SignalWatcher([SIGTERM, SIGINT]) { _ in Task { await worker.stop() } }
        await worker.run()
        serving?.cancel()
        await serving?.value
        withExtendedLifetime(signals) {}
        if endpointFailed.isSet { throw ExitCode(1) }
    }
}

/// A flag set once, readable from any thread.
final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// Delivers SIGTERM/SIGINT to a handler instead of killing the process.
final class SignalWatcher: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            sources.append(source)
        }
    }
}
