import Foundation
import Prometheus
import SyndicServer
import SyndicTestSupport
import SyndicTransfer
import Testing

/// The `/metrics` and `/healthz` endpoint of `syndic worker` and `syndic reconcile --watch`,
/// over real HTTP on a free port.
@Suite struct MetricsEndpointTests {
    @Test func servesTheRegistryAfterRefreshing() async throws {
        let registry = PrometheusCollectorRegistry()
        let started = registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "syndic_runs_started", unitName: "total", helpText: "Runs started."),
            labels: [("job", "order-retrieval")])
        started.increment(by: Int64(3))
        let refreshes = Refreshes(registry: registry)
        let endpoint = try await RunningEndpoint(MetricsEndpoint(address: MetricsAddress(host: "127.0.0.1", port: 0),
                                                                 registry: registry, refresh: { await refreshes.run() }))
        defer { endpoint.task.cancel() }

        let response = try await endpoint.get("/metrics")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        let lines = response.text.split(separator: "\n").map(String.init)
        #expect(lines.contains("syndic_runs_started_total{job=\"order-retrieval\"} 3"), "\(lines)")
        #expect(lines.contains("# HELP syndic_runs_started_total Runs started."))
        #expect(lines.contains("# TYPE syndic_runs_started_total counter"))
        #expect(lines.contains("syndic_test_refreshes 1.0"), "refresh ran before the registry was emitted")

        started.increment()
        let again = try await endpoint.get("/metrics").text
        #expect(again.contains("syndic_runs_started_total{job=\"order-retrieval\"} 4\n"))
        #expect(again.contains("syndic_test_refreshes 2.0\n"))
    }

    @Test func healthzSaysWhatTheProcessSays() async throws {
        let health = Health()
        let endpoint = try await RunningEndpoint(MetricsEndpoint(address: MetricsAddress(host: "127.0.0.1", port: 0),
                                                                 registry: PrometheusCollectorRegistry(),
                                                                 healthy: { await health.ok }))
        defer { endpoint.task.cancel() }
        let ok = try await endpoint.get("/healthz")
        #expect(ok.status == 200)
        #expect(ok.text == #"{"status":"ok"}"#)
        #expect(ok.header("Content-Type") == "application/json")
        await health.set(false)
        let unavailable = try await endpoint.get("/healthz")
        #expect(unavailable.status == 503)
        #expect(unavailable.text == #"{"status":"unavailable"}"#)
    }

    @Test func anythingElseIsA404() async throws {
        let endpoint = try await RunningEndpoint(MetricsEndpoint(address: MetricsAddress(host: "127.0.0.1", port: 0),
                                                                 registry: PrometheusCollectorRegistry()))
        defer { endpoint.task.cancel() }
        for (method, path) in [("GET", "/"), ("GET", "/metrics/x"), ("GET", "/api/v1/orders"), ("POST", "/metrics"),
                               ("DELETE", "/healthz")] {
            let response = try await endpoint.send(method, path)
            #expect(response.status == 404, "\(method) \(path)")
        }
        #expect(try await endpoint.get("/metrics").status == 200)
    }

    /// Cancelling the task that runs it closes the port; no signal is involved.
    @Test(.timeLimit(.minutes(1))) func cancellingTheTaskStopsIt() async throws {
        let endpoint = try await RunningEndpoint(MetricsEndpoint(address: MetricsAddress(host: "127.0.0.1", port: 0),
                                                                 registry: PrometheusCollectorRegistry()))
        #expect(try await endpoint.get("/healthz").status == 200)
        endpoint.task.cancel()
        _ = await endpoint.task.result
        await #expect(throws: TransferError.self) { try await endpoint.get("/healthz") }
    }

    /// A port already taken: `run` throws instead of serving.
    @Test func aPortTakenIsAnError() async throws {
        let first = try await RunningEndpoint(MetricsEndpoint(address: MetricsAddress(host: "127.0.0.1", port: 0),
                                                              registry: PrometheusCollectorRegistry()))
        defer { first.task.cancel() }
        let second = MetricsEndpoint(address: MetricsAddress(host: "127.0.0.1", port: first.port),
                                     registry: PrometheusCollectorRegistry())
        await #expect(throws: (any Error).self) { try await second.run() }
    }
}

/// A `MetricsEndpoint` running in a task, once it listens.
private struct RunningEndpoint {
    let task: Task<Void, any Error>
    let port: Int

    init(_ endpoint: MetricsEndpoint) async throws {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        task = Task {
            defer { continuation.finish() }
            try await endpoint.run { continuation.yield($0) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw TestSupportError("the endpoint did not start") }
        self.port = port
    }

    func get(_ path: String) async throws -> HTTPResponse { try await send("GET", path) }

    /// One attempt, off the cooperative pool (libcurl blocks).
    func send(_ method: String, _ path: String) async throws -> HTTPResponse {
        let request = HTTPRequest(method: method, url: "http://127.0.0.1:\(port)\(path)", timeout: 10)
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try HTTPClient(maxAttempts: 1).send(request) })
            }
        }
    }
}

/// Counts the scrapes in a gauge of the registry, as a command sets its queue depth.
private actor Refreshes {
    let gauge: Gauge
    var count = 0

    init(registry: PrometheusCollectorRegistry) {
        gauge = registry.makeGauge(descriptor: MetricNameDescriptor(metricName: "syndic_test_refreshes", unitName: "",
                                                                    helpText: "Scrapes so far."))
    }

    func run() {
        count += 1
        gauge.set(to: Double(count))
    }
}

/// What `/healthz` answers, changed by the test.
private actor Health {
    var ok = true

    func set(_ value: Bool) { ok = value }
}
