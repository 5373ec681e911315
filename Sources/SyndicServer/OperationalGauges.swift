import Foundation
import Prometheus
import SyndicCore

/// The gauges `/metrics` reads from the state when it is scraped, set on the server's
/// registry just before it is emitted: finished and failed runs by job kind, orders by
/// channel, shipments by status. They are gauges, not counters: runs are purged after
/// `logs.retainDays` and a channel's orders go with the channel. A label value gone from the
/// state is unregistered, so it does not linger at its last value.
final class OperationalGauges: @unchecked Sendable {
    /// One series: a gauge's name and its one label.
    struct Series: Hashable, Sendable {
        var name: String
        var label: String
        var value: String
    }

    /// Each gauge's help text.
    static let help: [String: String] = [
        "syndic_jobs_run": "Finished job runs kept in the state (logs.retainDays), by job kind.",
        "syndic_jobs_failed": "Failed job runs kept in the state (logs.retainDays), by job kind.",
        "syndic_orders_ingested": "Orders retrieved from the marketplaces and stored, by channel.",
        "syndic_shipments": "Reported shipments by confirmation status.",
    ]

    private let registry: PrometheusCollectorRegistry
    private let lock = NSLock()
    /// The gauges set by the last update, by series.
    private var live: [Series: Gauge] = [:]

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Sets every gauge to what `counts` says and unregisters those it no longer has.
    func update(_ counts: OperationalCounts) {
        let values = Self.values(counts)
        lock.lock()
        defer { lock.unlock() }
        for (series, value) in values {
            let gauge = live[series] ?? makeGauge(series)
            gauge.set(to: value)
            live[series] = gauge
        }
        let gone = live.keys.filter { values[$0] == nil }
        for series in gone {
            if let gauge = live.removeValue(forKey: series) { registry.unregisterGauge(gauge) }
        }
    }

    /// The value of every series `counts` holds: finished runs (and, for the same job
    /// kinds, failed ones, 0 included) by job kind, orders by channel, shipments by status.
    static func values(_ counts: OperationalCounts) -> [Series: Double] {
        var values: [Series: Double] = [:]
        var finished: [String: Int] = [:]
        var failed: [String: Int] = [:]
        for (key, count) in counts.runs {
            if RunStatus(rawValue: key.status)?.isFinished == true { finished[key.job, default: 0] += count }
            if key.status == RunStatus.failed.rawValue { failed[key.job, default: 0] += count }
        }
        for (job, count) in finished {
            values[Series(name: "syndic_jobs_run", label: "job", value: job)] = Double(count)
            values[Series(name: "syndic_jobs_failed", label: "job", value: job)] = Double(failed[job] ?? 0)
        }
        for (channel, count) in counts.orders {
            values[Series(name: "syndic_orders_ingested", label: "channel", value: channel)] = Double(count)
        }
        for (status, count) in counts.shipments {
            values[Series(name: "syndic_shipments", label: "status", value: status)] = Double(count)
        }
        return values
    }

    /// A gauge of the registry for `series`, with its family's help text.
    private func makeGauge(_ series: Series) -> Gauge {
        let help = Self.help[series.name] ?? ""
        return registry.makeGauge(descriptor: MetricNameDescriptor(metricName: series.name, unitName: "", helpText: help),
                                  labels: [(series.label, series.value)])
    }
}
