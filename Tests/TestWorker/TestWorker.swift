import Dispatch
import Foundation
import Logging
import SyndicLogging
import SyndicCore
import SyndicEngine
import SyndicStore

/// `syndic-test-worker --state PATH|URL [--concurrency N] [--once] [--lease S] [--poll S] [--grace S]`:
/// the shipped worker runtime with probe jobs for every job kind.
@main
struct TestWorker {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            return arguments[index + 1]
        }
        let statePath = option("--state") ?? ".syndic/state.sqlite"
        let options = WorkerOptions(concurrency: Int(option("--concurrency") ?? "") ?? 2,
                                    lease: Double(option("--lease") ?? "") ?? 60,
                                    pollInterval: Double(option("--poll") ?? "") ?? 0.1,
                                    grace: Double(option("--grace") ?? "") ?? 30,
                                    once: arguments.contains("--once"))
        let registry = JobRegistry(JobKind.allCases.map { ProbeJob(kind: $0) })
        let location = try StateLocation(statePath)
        let store = try location.open()
        let workDirectory = location.hostDirectory.appendingPathComponent("work")
        let worker = Worker(store: store, registry: registry, options: options, workDirectory: workDirectory,
                            logger: Logger(label: "syndic.test-worker", factory: { _ in LineLogHandler(format: .text, level: .info) }))
        let signals = watchSignals { Task { await worker.stop() } }
        await worker.run()
        withExtendedLifetime(signals) {}
    }

    /// Turns SIGTERM and SIGINT into a call of `handler`.
    static func watchSignals(_ handler: @escaping @Sendable () -> Void) -> [DispatchSourceSignal] {
        [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }
}
