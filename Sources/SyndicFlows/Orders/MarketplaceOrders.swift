import Foundation
import SyndicCore
import SyndicStore

/// A marketplace's order API, as the order flows use it: orders updated since a moment,
/// page by page, and shipment confirmations. Mirakl (OR11, OR23, OR24) and Amazon SP-API
/// (getOrders, getOrderItems, confirmShipment) implement it.
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
}
