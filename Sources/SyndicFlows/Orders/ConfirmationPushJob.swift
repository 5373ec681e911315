import Foundation
import SyndicCore
import SyndicEngine
import SyndicStore
import SyndicTransfer

/// The confirmation push (seed 001, PRODUCT.md §5): every 15 minutes when
/// `orders.confirmations` is on, the shipments reported to syndic (FTP import, Orders API)
/// and not yet confirmed go to the marketplace — Mirakl OR23 + OR24, Amazon
/// confirmShipment. A shipment the marketplace refuses (4xx) fails for good with an order
/// error and a `push-failed` alert; one that could not get through is tried again later
/// with a growing delay, until `maxAttempts`. Orders fulfilled by the marketplace never get
/// here. A dry run lists what it would send.
public struct ConfirmationPushJob: Job {
    public let kind = JobKind.confirmationPush
    public var http: HTTPClient
    /// Attempts per shipment before it fails for good.
    public var maxAttempts = 8
    /// The delay before the second attempt; it doubles after each, up to `maxDelay`.
    public var baseDelay: TimeInterval = 60
    public var maxDelay: TimeInterval = 6 * 3600

    public init(http: HTTPClient = HTTPClient()) {
        self.http = http
    }

    public func run(_ context: JobContext) async throws -> JobResult {
        try await DedicatedThreads.run { [self] cancellation in
            let inputs = FlowInputs(context, cancellation: cancellation)
            return try FlowError.markingCredentials(context, inputs.credentialUse) { try push(context, inputs) }
        }
    }

    /// The delay after `attempts` failed attempts.
    func delay(after attempts: Int) -> TimeInterval {
        min(maxDelay, baseDelay * pow(2, Double(max(0, attempts - 1))))
    }

    private func push(_ context: JobContext, _ inputs: FlowInputs) throws -> JobResult {
        let channel = try Marketplaces.channelSpec(context)
        let marketplace = try Marketplaces.orders(channel, inputs: inputs, http: http, now: context.now)
        let name = context.channel.name
        var confirmed = 0
        var retrying = 0
        var failed = 0
        var seen: Set<Int64> = []
        var pending = try context.store.dueShipments(channel: name, now: context.now(), limit: 500)
        if context.run.dryRun {
            let lines = pending.map { "  order \($0.marketplaceOrderID) package \($0.packageID): \($0.items.count) item(s)" }
            return JobResult(counts: ["due": pending.count],
                             report: (["dry run: \(pending.count) shipments due; sent nothing"] + lines).joined(separator: "\n"))
        }
        while !pending.isEmpty {
            for shipment in pending where seen.insert(shipment.id).inserted {
                try inputs.cancellation.check()
                do {
                    try marketplace.confirm(shipment)
                    try context.store.markShipmentConfirmed(id: shipment.id, at: context.now())
                    confirmed += 1
                } catch let failure as FlowError where failure.kind == .authentication || failure.kind == .configuration {
                    throw failure
                } catch let failure as FlowError where failure.isRejection {
                    try context.store.markShipmentAttemptFailed(id: shipment.id, error: failure.message, retryAt: nil,
                                                                runID: context.run.id, at: context.now())
                    context.log.error("order \(shipment.marketplaceOrderID) package \(shipment.packageID): \(failure.message)")
                    failed += 1
                } catch {
                    let attempts = shipment.attempts + 1
                    let retryAt = attempts < maxAttempts ? context.now().addingTimeInterval(delay(after: attempts)) : nil
                    try context.store.markShipmentAttemptFailed(id: shipment.id, error: "\(error)", retryAt: retryAt,
                                                                runID: context.run.id, at: context.now())
                    if retryAt == nil { failed += 1 } else { retrying += 1 }
                    if let failure = error as? FlowError, failure.kind == .connectivity {
                        // The marketplace cannot be reached: the others would fail the same way.
                        throw failure
                    }
                }
            }
            pending = try context.store.dueShipments(channel: name, now: context.now(), limit: 500)
                .filter { !seen.contains($0.id) }
        }
        let report = "confirmed \(confirmed) shipments to \(marketplace.marketplace); \(retrying) to try again, \(failed) failed"
        return JobResult(counts: ["confirmed": confirmed, "retrying": retrying, "failed": failed], report: report)
    }
}
