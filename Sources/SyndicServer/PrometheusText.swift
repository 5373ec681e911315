import Foundation
import SyndicCore

/// The Prometheus text exposition (format 0.0.4) of `/metrics`: the server's request
/// counters and latencies (since the server started), and gauges read from the state when
/// scraped (runs are purged after logs.retainDays and a channel's orders go with it, so
/// those are gauges, not counters).
enum PrometheusText {
    static func render(_ metrics: RequestMetrics, counts: OperationalCounts) -> String {
        var out = ""
        let (requests, latencies) = metrics.snapshot()
        family(&out, "syndic_http_requests_total", "counter", "HTTP requests answered, by route, method and status.")
        for (key, value) in requests.sorted(by: { $0.key < $1.key }) {
            sample(&out, "syndic_http_requests_total",
                   [("route", key.route), ("method", key.method), ("status", String(key.status))], Double(value))
        }
        family(&out, "syndic_http_request_duration_seconds", "histogram", "Time to answer a request, by route and method.")
        for (key, latency) in latencies.sorted(by: { $0.key < $1.key }) {
            let labels = [("route", key.route), ("method", key.method)]
            var cumulative = 0
            for (bound, count) in zip(RequestMetrics.buckets, latency.counts) {
                cumulative += count
                sample(&out, "syndic_http_request_duration_seconds_bucket", labels + [("le", number(bound))], Double(cumulative))
            }
            sample(&out, "syndic_http_request_duration_seconds_bucket", labels + [("le", "+Inf")], Double(latency.total))
            sample(&out, "syndic_http_request_duration_seconds_sum", labels, latency.sum)
            sample(&out, "syndic_http_request_duration_seconds_count", labels, Double(latency.total))
        }
        var run: [String: Int] = [:]
        var failed: [String: Int] = [:]
        for (key, value) in counts.runs {
            if RunStatus(rawValue: key.status)?.isFinished == true { run[key.job, default: 0] += value }
            if key.status == "failed" { failed[key.job, default: 0] += value }
        }
        family(&out, "syndic_jobs_run", "gauge", "Finished job runs kept in the state (logs.retainDays), by job kind.")
        for (job, value) in run.sorted(by: { $0.key < $1.key }) { sample(&out, "syndic_jobs_run", [("job", job)], Double(value)) }
        family(&out, "syndic_jobs_failed", "gauge", "Failed job runs kept in the state (logs.retainDays), by job kind.")
        for job in run.keys.sorted() {
            sample(&out, "syndic_jobs_failed", [("job", job)], Double(failed[job] ?? 0))
        }
        family(&out, "syndic_orders_ingested", "gauge", "Orders retrieved from the marketplaces and stored, by channel.")
        for (channel, value) in counts.orders.sorted(by: { $0.key < $1.key }) {
            sample(&out, "syndic_orders_ingested", [("channel", channel)], Double(value))
        }
        family(&out, "syndic_shipments", "gauge", "Reported shipments by confirmation status.")
        for (status, value) in counts.shipments.sorted(by: { $0.key < $1.key }) {
            sample(&out, "syndic_shipments", [("status", status)], Double(value))
        }
        return out
    }

    private static func family(_ out: inout String, _ name: String, _ type: String, _ help: String) {
        out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    private static func sample(_ out: inout String, _ name: String, _ labels: [(String, String)], _ value: Double) {
        out += name
        if !labels.isEmpty {
            out += "{" + labels.map { "\($0.0)=\"\(escaped($0.1))\"" }.joined(separator: ",") + "}"
        }
        out += " " + number(value) + "\n"
    }

    /// A label value with `\`, `"` and line feeds escaped.
    static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
