import Foundation
import SyndicCore

/// A marketplace's order API, as the order flows use it: orders updated since a moment,
/// page by page, and shipment confirmations. Mirakl (OR11, OR21, OR23, OR24) and Amazon
/// SP-API (getOrders, getOrderItems, confirmShipment) implement it. One client serves one run.
protocol MarketplaceOrders: Sendable {
    /// `mirakl` or `amazon`: stored with each order.
    var marketplace: String { get }
    /// Reads the orders updated at or after `since`, handing each page to `page` (orders
    /// that cannot be read come as failures, the others go on). Marketplaces answer with an
    /// overlap: the store de-duplicates by order id.
    func orders(updatedSince since: Date, page: ([Result<Order, OrderReadError>]) throws -> Void) throws
    /// Confirms a shipment to the marketplace. Throws a `FlowError`; a rejection
    /// (`isRejection`) will not be retried.
    func confirm(_ shipment: PendingShipment) throws
    /// Whether the marketplace already has `shipment` confirmed (an earlier attempt whose
    /// answer was never recorded): asked before an uncertain shipment is sent again.
    func hasConfirmed(_ shipment: PendingShipment) throws -> Bool
    /// How long the run waited for quota so far, and how often the marketplace refused for it.
    var quota: MarketplaceQuota { get }
    /// What the run should report and alert about without failing.
    var warnings: [MarketplaceNotice] { get }
    /// Orders the run accepted on the marketplace.
    var accepted: Int { get }
}

extension MarketplaceOrders {
    var quota: MarketplaceQuota { MarketplaceQuota(waited: 0, refusals: 0) }
    var warnings: [MarketplaceNotice] { [] }
    var accepted: Int { 0 }
}

/// Time a run spent waiting for a marketplace's usage plans.
struct MarketplaceQuota: Hashable, Sendable {
    /// Seconds waited before calls, for quota.
    var waited: TimeInterval
    /// Answers refused for quota (429), each waited out.
    var refusals: Int

    /// `quota_wait_ms` and `quota_refusals` for a run's counts, when it waited at all.
    var counts: [String: Int] {
        guard summary != nil else { return [:] }
        return ["quota_wait_ms": Int((waited * 1000).rounded()), "quota_refusals": refusals]
    }

    /// "waited 12.4 s for quota (2 calls refused for quota)", or nil when it never waited.
    var summary: String? {
        guard waited >= 0.05 || refusals > 0 else { return nil }
        let seconds = waited < 10 ? String(format: "%.1f", waited) : String(Int(waited.rounded()))
        return "waited \(seconds) s for quota" + (refusals > 0 ? " (\(refusals) call\(refusals == 1 ? "" : "s") refused for quota)" : "")
    }
}

/// Something a marketplace run reports and alerts about, without failing.
enum MarketplaceNotice: Hashable, Sendable {
    /// Amazon withheld buyer data: the application lacks the restricted role.
    case restrictedRoleMissing(String)
    /// Mirakl refused to accept an order (OR21): it waits for acceptance elsewhere.
    case acceptRefused(String)

    /// The alert it raises, if any.
    var alert: AlertKind? {
        switch self {
        case .restrictedRoleMissing: .restrictedRoleMissing
        case .acceptRefused: nil
        }
    }

    var message: String {
        switch self {
        case .restrictedRoleMissing(let message), .acceptRefused(let message): message
        }
    }
}
