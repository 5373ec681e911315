import CoreMetrics
import Prometheus

/// The requests the server answered, as swift-metrics metrics on the server's own Prometheus
/// registry (never the process-wide `MetricsSystem`, so that several servers can share a
/// process): the counter `syndic_http_requests_total{route,method,status}` and the histogram
/// `syndic_http_request_duration_seconds{route,method}`.
struct RequestMetrics: Sendable {
    /// Requests answered, by route, method and status.
    static let requestsName = "syndic_http_requests_total"
    /// Time to answer a request, by route and method.
    static let durationName = "syndic_http_request_duration_seconds"
    /// Upper bounds of the latency buckets: 1 ms to 5 s.
    static let buckets: [Duration] = [
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5),
    ]

    /// Makes the metrics on the registry, the latency histogram with `buckets`.
    let factory: PrometheusMetricsFactory

    init(registry: PrometheusCollectorRegistry) {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[Self.durationName] = Self.buckets
        self.factory = factory
    }

    /// Counts one answered request and its latency. `route` is the route's template
    /// (`unmatched` when none matched), so the label values stay few.
    func record(route: String, method: String, status: Int, seconds: Double) {
        CoreMetrics.Counter(label: Self.requestsName,
                            dimensions: [("route", route), ("method", method), ("status", String(status))],
                            factory: factory).increment()
        CoreMetrics.Timer(label: Self.durationName, dimensions: [("route", route), ("method", method)],
                          factory: factory).recordSeconds(max(0, seconds))
    }
}
