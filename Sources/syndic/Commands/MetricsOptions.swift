import ArgumentParser
import CoreMetrics
import Foundation
import Logging
import Prometheus
import SyndicEngine
import SyndicServer

/// `--metrics-address HOST:PORT` of `worker` and `reconcile --watch`: the process's
/// metrics (swift-metrics, in the Prometheus format) and its health, served over HTTP.
struct MetricsOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Serve /metrics (Prometheus) and /healthz on HOST:PORT, such as 127.0.0.1:9464 (port 0: any free port).",
        valueName: "host:port"), transform: { try MetricsAddress(parsing: $0) })
    var metricsAddress: MetricsAddress?

    /// Makes swift-metrics report into a new Prometheus registry for the whole process (the
    /// marketplace connectors' calls among them) and returns that registry.
    static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[WorkerMetrics.Name.runDuration] = WorkerMetrics.durationBuckets
        MetricsSystem.bootstrap(factory)
        return registry
    }

    /// Serves the endpoint, when an address was given, in a task that ends when cancelled.
    /// Prints `metrics: listening on http://HOST:PORT/metrics` once it listens; when it cannot
    /// listen, logs why and calls `failed`.
    func serve(registry: PrometheusCollectorRegistry, logger: Logger, refresh: (@Sendable () async -> Void)?,
               healthy: @escaping @Sendable () async -> Bool, failed: @escaping @Sendable () async -> Void) -> Task<Void, Never>? {
        guard let address = metricsAddress else { return nil }
        let endpoint = MetricsEndpoint(address: address, registry: registry, refresh: refresh, healthy: healthy)
        return Task {
            do {
                try await endpoint.run { port in
                    Output.print("metrics: listening on http://\(MetricsAddress(host: address.host, port: port))/metrics")
                }
            } catch is CancellationError {
            } catch {
                if Task.isCancelled { return }
                logger.critical("cannot serve metrics on \(address): \(error)")
                await failed()
            }
        }
    }

    /// Runs `body`, which may block on the state, on a dispatch thread instead of the task pool.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: body()) }
        }
    }
}
