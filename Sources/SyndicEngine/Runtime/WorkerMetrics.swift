import CoreMetrics
import Foundation
import SyndicCore

/// What the worker counts, through swift-metrics (exposed by `syndic worker
/// --metrics-address` in the Prometheus format): runs started and finished by job and
/// status, run durations, the queue's depth, leases lost, and orders ingested and
/// products exported by channel.
public struct WorkerMetrics: Sendable {
    /// The metric names, in one place (docs/runtime.md lists them).
    public enum Name {
        public static let runsStarted = "syndic_runs_started_total"
        public static let runsFinished = "syndic_runs_finished_total"
        public static let runDuration = "syndic_run_duration_seconds"
        public static let queueDepth = "syndic_queue_depth"
        public static let leasesLost = "syndic_leases_lost_total"
        public static let ordersIngested = "syndic_orders_ingested_total"
        public static let productsExported = "syndic_products_exported_total"
    }

    /// The buckets of the run duration histogram: a second to two hours.
    public static let durationBuckets: [Duration] = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200].map { .seconds($0) }

    private let factory: any MetricsFactory

    /// Metrics made by `factory` (by default the process's, `MetricsSystem.factory`).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// A run was claimed and starts.
    func started(_ run: RunInfo) {
        Counter(label: Name.runsStarted, dimensions: [("kind", run.job.rawValue)], factory: factory).increment()
    }

    /// A run ended (`result` nil: its lease was lost or it was given back). A failed run that
    /// will be retried has status `queued`.
    func finished(_ run: RunInfo, result: RunInfo?, seconds: Double) {
        let status = result?.status.rawValue ?? "given-back"
        Counter(label: Name.runsFinished, dimensions: [("kind", run.job.rawValue), ("status", status)], factory: factory)
            .increment()
        Timer(label: Name.runDuration, dimensions: [("kind", run.job.rawValue)], factory: factory)
            .recordNanoseconds(Int64((seconds * 1e9).rounded()))
        guard let result, !result.dryRun else { return }
        // A retrieval's new orders; an export's products the destination took.
        if let orders = result.counts["created"], orders > 0, run.job == .orderRetrieval {
            Counter(label: Name.ordersIngested, dimensions: [("channel", run.channel)], factory: factory).increment(by: orders)
        }
        if let exported = result.counts["sent"], exported > 0, run.job == .productExport {
            Counter(label: Name.productsExported, dimensions: [("channel", run.channel)], factory: factory)
                .increment(by: exported)
        }
    }

    /// Another worker took the run over: this one's lease ran out.
    func leaseLost(_ run: RunInfo) {
        Counter(label: Name.leasesLost, dimensions: [("kind", run.job.rawValue)], factory: factory).increment()
    }

    /// Runs queued and due now, by job, for every kind the worker runs (0 included).
    public func queueDepth(_ depth: [JobKind: Int], kinds: Set<JobKind>) {
        for kind in kinds {
            Gauge(label: Name.queueDepth, dimensions: [("kind", kind.rawValue)], factory: factory).record(depth[kind] ?? 0)
        }
    }
}
