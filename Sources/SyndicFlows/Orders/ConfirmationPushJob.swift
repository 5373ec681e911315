import Foundation
import SyndicCore
import SyndicEngine
import SyndicTransfer

/// The confirmation push: every 15 minutes when
/// `orders.confirmations` is on, the shipments reported to syndic (FTP import, Orders API)
/// and not yet confirmed go to the marketplace — Mirakl OR23 + OR24, Amazon
/// confirmShipment. A shipment the marketplace refuses (4xx) fails for good with an order
/// error and a `push-failed` alert; one that could not get through is tried again later
/// with a growing delay, until `maxAttempts`. Orders fulfilled by the marketplace never get
/// here. A dry run lists what it would send.
public struct ConfirmationPushJob: Job {
    public let kind = JobKind.confirmationPush
    public var http: HTTPClient
    /// Attempts per shipment before it fails for good, and the delays between them (1 min,
    /// doubling, at most 6 h).
    public var retry = RetryPolicy(maxAttempts: 8, baseDelay: 60, maxDelay: 6 * 3600)

    public init(http: HTTPClient = HTTPClient()) {
        self.http = http
    }

    public func run(_ context: JobContext) async throws -> JobResult {
        try await DedicatedThreads.run { [self] cancellation in
            let inputs = FlowInputs(context, cancellation: cancellation)
            return try FlowError.reportingCredentials(inputs.credentialUse) { try push(context, inputs) }
        }
    }

    private func push(_ context: JobContext, _ inputs: FlowInputs) throws -> JobResult {
        let channel = try Marketplaces.channelSpec(context)
        let marketplace = try Marketplaces.orders(channel, inputs: inputs, http: http, now: context.now)
        let name = context.channel.name
        var confirmed = 0
        var retrying = 0
        var failed = 0
        var reconciled = 0
        var seen: Set<Int64> = []
        var pending = try context.orders.dueShipments(channel: name, now: context.now(), limit: 500)
        if context.run.dryRun {
            let lines = pending.map { "  order \($0.marketplaceOrderID) package \($0.packageID): \($0.items.count) item(s)" }
            return JobResult(counts: ["due": pending.count],
                             report: (["dry run: \(pending.count) shipments due; sent nothing"] + lines).joined(separator: "\n"))
        }
        while !pending.isEmpty {
            for shipment in pending where seen.insert(shipment.id).inserted {
                try inputs.cancellation.check()
                // The intent first: if the call goes through but recording it fails, the next
                // run knows the shipment is uncertain and asks the marketplace before sending it
                // again. Store errors are not push failures: they fail the run and leave the
                // intent in place.
                if !shipment.uncertain { try context.orders.markShipmentSending(id: shipment.id, at: context.now()) }
                let taken: Bool
                do {
                    if shipment.uncertain, try marketplace.hasConfirmed(shipment) {
                        // Sent before, taken by the marketplace, never recorded.
                        reconciled += 1
                    } else {
                        try marketplace.confirm(shipment)
                    }
                    taken = true
                } catch let failure as FlowError where failure.kind == .authentication || failure.kind == .configuration {
                    throw failure
                } catch let stop as CancellationError {
                    // Stopped while waiting for quota: the shipment was not sent.
                    throw stop
                } catch let failure as FlowError where failure.isRejection {
                    try context.orders.markShipmentAttemptFailed(id: shipment.id, error: failure.message, retryAt: nil,
                                                                runID: context.run.id, at: context.now())
                    context.log.error("order \(shipment.marketplaceOrderID) package \(shipment.packageID): \(failure.message)")
                    failed += 1
                    taken = false
                } catch {
                    let retryAt = retry.nextAttempt(after: shipment.attempts + 1, failedAt: context.now())
                    try context.orders.markShipmentAttemptFailed(id: shipment.id, error: "\(error)", retryAt: retryAt,
                                                                runID: context.run.id, at: context.now())
                    if retryAt == nil { failed += 1 } else { retrying += 1 }
                    if let failure = error as? FlowError, failure.kind == .connectivity {
                        // The marketplace cannot be reached: the others would fail the same way.
                        throw failure
                    }
                    taken = false
                }
                if taken {
                    try context.orders.markShipmentConfirmed(id: shipment.id, at: context.now())
                    confirmed += 1
                }
            }
            pending = try context.orders.dueShipments(channel: name, now: context.now(), limit: 500)
                .filter { !seen.contains($0.id) }
        }
        var report = "confirmed \(confirmed) shipments to \(marketplace.marketplace); \(retrying) to try again, \(failed) failed"
        var counts = ["confirmed": confirmed, "retrying": retrying, "failed": failed]
        if reconciled > 0 {
            counts["reconciled"] = reconciled
            report += "; \(reconciled) found confirmed on \(marketplace.marketplace) already (sent before, never recorded)"
        }
        let quota = marketplace.quota
        if let waited = quota.summary { report += "; " + waited }
        counts.merge(quota.counts) { _, new in new }
        return JobResult(counts: counts, report: report)
    }
}
