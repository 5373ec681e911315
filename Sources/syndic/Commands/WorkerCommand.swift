import ArgumentParser
import Dispatch
import Foundation
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
            then gives their runs back to the queue. Exit 0 after a clean stop.
            """)

    @OptionGroup var options: GlobalOptions

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
        let store = try options.openStore()
        let alerts = AlertDispatcher(store: store)
        let worker = Worker(store: store, registry: .shipped,
                            options: WorkerOptions(concurrency: concurrency, lease: lease, pollInterval: poll,
                                                   grace: grace, once: once),
                            workDirectory: options.workDirectory,
                            report: { Output.error("\(Timestamp.now()) \($0)") },
                            housekeeping: {
                                let report = alerts.deliver()
                                if report.delivered > 0 { Output.error("\(Timestamp.now()) delivered \(report.delivered) alerts") }
                                for failure in report.failures { Output.error("\(Timestamp.now()) alert delivery: \(failure)") }
                            })
        let signals = SignalWatcher([SIGTERM, SIGINT]) { _ in Task { await worker.stop() } }
        await worker.run()
        withExtendedLifetime(signals) {}
    }
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
