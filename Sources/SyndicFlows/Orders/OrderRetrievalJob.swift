import Foundation
import SyndicCore
import SyndicEngine
import SyndicTransfer

/// Order retrieval: every 5 minutes when `orders.retrieval` is on,
/// the orders the marketplace updated since the last fetch, stored idempotently (the overlap
/// is de-duplicated by order id); cancellation requests become order events and alerts; an
/// order that cannot be read is recorded as an error and the others go on. The cursor moves
/// only when the whole fetch is stored, and only as far as the pages proved: the latest update
/// among the orders read, and never past the run's start (an order changed after its page was
/// read is fetched again by the next run). The
/// report says how long the run waited for the marketplace's quota. A dry run fetches and
/// counts, and stores and accepts nothing.
public struct OrderRetrievalJob: Job {
    public let kind = JobKind.orderRetrieval
    public var http: HTTPClient
    /// Fetched again before the cursor, beyond the marketplace's own margin.
    public var overlap: TimeInterval = 300
    /// Orders stored per transaction.
    public var batchSize = 1000

    public init(http: HTTPClient = HTTPClient()) {
        self.http = http
    }

    public func run(_ context: JobContext) async throws -> JobResult {
        try await DedicatedThreads.run { [self] cancellation in
            let inputs = FlowInputs(context, cancellation: cancellation)
            return try FlowError.reportingCredentials(inputs.credentialUse) { try retrieve(context, inputs) }
        }
    }

    private func retrieve(_ context: JobContext, _ inputs: FlowInputs) throws -> JobResult {
        let channel = try Marketplaces.channelSpec(context)
        let marketplace = try Marketplaces.orders(channel, inputs: inputs, http: http, dryRun: context.run.dryRun, now: context.now)
        let started = context.now()
        let cursor = try context.orders.orderCursor(channel: context.channel.name, name: "retrieval").flatMap(ISODate.parse)
        let since = cursor.map { $0.addingTimeInterval(-overlap) }
            ?? started.addingTimeInterval(-Double(channel.orders?.lookbackDays ?? 30) * 86_400)
        var total = OrderUpsertSummary()
        var fetched = 0
        var errors = 0
        // The latest marketplace update among the orders read: what the pages proved.
        var latest: Date?
        // Pages are stored in batches of `batchSize` orders: one transaction each.
        var orders: [Order] = []
        func store() throws {
            guard !context.run.dryRun, !orders.isEmpty else { return orders.removeAll(keepingCapacity: true) }
            let summary = try context.orders.upsertOrders(orders, channel: context.channel.name,
                                                         marketplace: marketplace.marketplace, runID: context.run.id,
                                                         at: context.now())
            total.created += summary.created
            total.updated += summary.updated
            total.unchanged += summary.unchanged
            total.cancellations += summary.cancellations
            orders.removeAll(keepingCapacity: true)
        }
        // Pages and orders so far, reported after each page and while a quota wait lasts.
        let meter = RetrievalProgress(report: context.progress)
        (marketplace as? QuotaWaitReporting)?.observeQuotaWaits { meter.waiting($0) }
        try marketplace.orders(updatedSince: since) { page in
            try inputs.cancellation.check()
            for result in page {
                switch result {
                case .success(let order):
                    orders.append(order)
                    if let updated = order.marketplaceUpdatedAt, updated > latest ?? .distantPast { latest = updated }
                case .failure(let problem):
                    errors += 1
                    context.log.error("order \(problem.orderID ?? "without id"): \(problem.message)")
                    if !context.run.dryRun {
                        try context.orders.recordOrderError(channel: context.channel.name, marketplaceID: problem.orderID,
                                                           runID: context.run.id, stage: "retrieval", message: problem.message,
                                                           at: context.now())
                    }
                }
            }
            fetched += page.count
            if orders.count >= batchSize { try store() }
            meter.page(orders: page.count)
        }
        try store()
        // Only as far as the pages proved: every update before the run started was on them
        // (in creation order an update cannot move an order out of the pages), and none after
        // `latest` was read; an order changed after its page was read is fetched next time.
        if !context.run.dryRun, let latest, case let proved = min(latest, started), proved > cursor ?? .distantPast {
            try context.orders.setOrderCursor(channel: context.channel.name, name: "retrieval", value: ISODate.milliseconds(proved))
        }
        let warnings = try warn(marketplace.warnings, context)
        let quota = marketplace.quota
        var counts = ["fetched": fetched, "created": total.created, "updated": total.updated, "unchanged": total.unchanged,
                      "cancellations": total.cancellations, "errors": errors]
        if !warnings.isEmpty { counts["warnings"] = warnings.count }
        if marketplace.accepted > 0 { counts["accepted"] = marketplace.accepted }
        counts.merge(quota.counts) { _, new in new }
        var report = context.run.dryRun
            ? "dry run: fetched \(fetched) orders updated since \(ISODate.seconds(since)) (\(errors) unreadable); stored nothing"
            : "fetched \(fetched) orders updated since \(ISODate.seconds(since)): \(total.created) new, \(total.updated) updated, "
                + "\(total.unchanged) unchanged, \(total.cancellations) cancellation requests, \(errors) errors"
        if marketplace.accepted > 0 { report += "; accepted \(marketplace.accepted) orders" }
        if let waited = quota.summary { report += "; " + waited }
        for warning in warnings { report += "\nwarning: " + warning.message }
        return JobResult(counts: counts, report: report)
    }

    /// Logs each warning and raises its alert, at most once a day per channel and kind (a
    /// missing role would otherwise alert every five minutes). A dry run raises none.
    private func warn(_ warnings: [MarketplaceNotice], _ context: JobContext) throws -> [MarketplaceNotice] {
        for warning in warnings {
            context.log.warning(warning.message)
            guard let alert = warning.alert, !context.run.dryRun else { continue }
            let marker = "alert." + alert.rawValue
            let now = context.now()
            if let last = try context.orders.orderCursor(channel: context.channel.name, name: marker).flatMap(ISODate.parse),
               now.timeIntervalSince(last) < 86_400 { continue }
            try context.orders.raiseAlert(channel: context.channel.name, kind: alert.rawValue, message: warning.message,
                                         runID: context.run.id, at: now)
            try context.orders.setOrderCursor(channel: context.channel.name, name: marker, value: ISODate.milliseconds(now))
        }
        return warnings
    }
}

/// A marketplace client that can tell how long it waits for quota (Amazon's usage plans), for
/// the run's progress.
protocol QuotaWaitReporting: AnyObject {
    /// Tells `observer` of every quota wait while it lasts (what is left of it and what it is
    /// for), then of its end (nil).
    func observeQuotaWaits(_ observer: @escaping @Sendable (RunProgress.Wait?) -> Void)
}

extension AmazonOrders: QuotaWaitReporting {}

/// The progress of an order retrieval: pages and orders read so far, and the quota wait
/// under way, reported from the thread that reads pages and from the one that waits.
private final class RetrievalProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var pages = 0
    private var orders = 0
    private let report: @Sendable (RunProgress) -> Void

    init(report: @escaping @Sendable (RunProgress) -> Void) {
        self.report = report
    }

    /// A page of `count` orders was read.
    func page(orders count: Int) {
        // Reported under the lock, so that a page and a wait never arrive out of order.
        lock.withLock {
            pages += 1
            orders += count
            report(progress(waiting: nil))
        }
    }

    /// A quota wait goes on (what is left of it), or ended (nil).
    func waiting(_ wait: RunProgress.Wait?) {
        lock.withLock { report(progress(waiting: wait)) }
    }

    private func progress(waiting: RunProgress.Wait?) -> RunProgress {
        RunProgress(done: pages, unit: .pages, items: orders, noun: "orders", waiting: waiting)
    }
}
