import CoreMetrics
import Foundation
import SyndicCore

/// What `syndic reconcile --watch` counts, through swift-metrics (exposed by
/// `--metrics-address` in the Prometheus format): cycles by result, drift and failures
/// raised, and when the last cycle succeeded.
public struct ReconcileMetrics: Sendable {
    /// The metric names, in one place (docs/runtime.md lists them).
    public enum Name {
        public static let cycles = "syndic_reconcile_cycles_total"
        public static let drift = "syndic_reconcile_drift_total"
        public static let failures = "syndic_reconcile_failures_total"
        public static let lastSuccess = "syndic_reconcile_last_success_timestamp_seconds"
    }

    private let factory: any MetricsFactory

    /// Metrics made by `factory` (by default the process's, `MetricsSystem.factory`).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// A cycle ended: `ok`, `failed`, or `skipped` (another process held the apply lock).
    func cycle(_ result: String, at date: Date) {
        Counter(label: Name.cycles, dimensions: [("result", result)], factory: factory).increment()
        if result == "failed" { Counter(label: Name.failures, factory: factory).increment() }
        if result == "ok" { Gauge(label: Name.lastSuccess, factory: factory).record(date.timeIntervalSince1970) }
    }

    /// Drift alerts raised (one per drifted channel, and one for connections and notifications).
    func drift(_ count: Int) {
        guard count > 0 else { return }
        Counter(label: Name.drift, factory: factory).increment(by: count)
    }
}
