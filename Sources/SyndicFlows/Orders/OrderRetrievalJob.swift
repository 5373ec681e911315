import Foundation
import SyndicCore
import SyndicEngine
import SyndicStore
import SyndicTransfer

/// Order retrieval (seed 001, PRODUCT.md §5): every 5 minutes when `orders.retrieval` is on,
/// the orders the marketplace updated since the last fetch, stored idempotently (the overlap
/// is de-duplicated by order id); cancellation requests become order events and alerts; an
/// order that cannot be read is recorded as an error and the others go on. The cursor moves
/// only when the whole fetch is stored. A dry run fetches and counts, and stores nothing.
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
            return try FlowError.markingCredentials(context, inputs.credentialUse) { try retrieve(context, inputs) }
        }
    }

    private func retrieve(_ context: JobContext, _ inputs: FlowInputs) throws -> JobResult {
        let channel = try Marketplaces.channelSpec(context)
        let marketplace = try Marketplaces.orders(channel, inputs: inputs, http: http, now: context.now)
        let started = context.now()
        let cursor = try context.store.orderCursor(channel: context.channel.name, name: "retrieval").flatMap(ISODate.parse)
        let since = cursor.map { $0.addingTimeInterval(-overlap) }
            ?? started.addingTimeInterval(-Double(channel.orders?.lookbackDays ?? 30) * 86_400)
        var total = OrderUpsertSummary()
        var fetched = 0
        var errors = 0
        // Pages are stored in batches of `batchSize` orders: one transaction each.
        var orders: [Order] = []
        func store() throws {
            guard !context.run.dryRun, !orders.isEmpty else { return orders.removeAll(keepingCapacity: true) }
            let summary = try context.store.upsertOrders(orders, channel: context.channel.name,
                                                         marketplace: marketplace.marketplace, runID: context.run.id,
                                                         at: context.now())
            total.created += summary.created
            total.updated += summary.updated
            total.unchanged += summary.unchanged
            total.cancellations += summary.cancellations
            orders.removeAll(keepingCapacity: true)
        }
        try marketplace.orders(updatedSince: since) { page in
            try inputs.cancellation.check()
            for result in page {
                switch result {
                case .success(let order): orders.append(order)
                case .failure(let problem):
                    errors += 1
                    context.log.error("order \(problem.orderID ?? "without id"): \(problem.message)")
                    if !context.run.dryRun {
                        try context.store.recordOrderError(channel: context.channel.name, marketplaceID: problem.orderID,
                                                           runID: context.run.id, stage: "retrieval", message: problem.message,
                                                           at: context.now())
                    }
                }
            }
            fetched += page.count
            if orders.count >= batchSize { try store() }
            context.progress(fetched, nil)
        }
        try store()
        if !context.run.dryRun {
            try context.store.setOrderCursor(channel: context.channel.name, name: "retrieval", value: ISODate.milliseconds(started))
        }
        let counts = ["fetched": fetched, "created": total.created, "updated": total.updated, "unchanged": total.unchanged,
                      "cancellations": total.cancellations, "errors": errors]
        let report = context.run.dryRun
            ? "dry run: fetched \(fetched) orders updated since \(ISODate.seconds(since)) (\(errors) unreadable); stored nothing"
            : "fetched \(fetched) orders updated since \(ISODate.seconds(since)): \(total.created) new, \(total.updated) updated, "
                + "\(total.unchanged) unchanged, \(total.cancellations) cancellation requests, \(errors) errors"
        return JobResult(counts: counts, report: report)
    }
}
