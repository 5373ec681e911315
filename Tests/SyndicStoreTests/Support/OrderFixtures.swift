import Foundation
import SyndicCore
@testable import SyndicStore

/// Orders, shipments and a scratch state for the order store tests. Every instant is a
/// whole second: the state keeps dates to the millisecond.
enum OrderFixtures {
    /// A fresh state of one backend, removed with the workspace.
    typealias Workspace = StateWorkspace

    /// Monday 2026-03-02 09:00 UTC.
    static let t0 = Date(timeIntervalSince1970: 1_772_442_000)

    static func at(_ minutes: Int) -> Date { t0.addingTimeInterval(Double(minutes) * 60) }

    /// A line `number` (id `<order>-<number>`), `ordered` units of which `shipped` shipped.
    static func line(_ order: String, _ number: Int, ordered: Int, shipped: Int = 0, canceled: Int = 0,
                     total: Double? = nil) -> OrderLine {
        OrderLine(number: number, lineID: "\(order)-\(number)", sku: "SKU-\(number)", quantityOrdered: ordered,
                  quantityShipped: shipped, quantityCanceled: canceled, lineTotal: total ?? Double(ordered) * 10)
    }

    /// An order `id` with lines of `quantities` units (nothing shipped), bought `purchasedDaysAgo`
    /// days before `t0`.
    static func order(_ id: String, status: OrderStatus = .waitingForShipment, rawStatus: String? = nil,
                      fulfilledBy: FulfilledBy? = .merchant, quantities: [Int] = [2, 1], purchasedDaysAgo: Int = 1,
                      cancellations: [Order.Cancellation] = []) -> Order {
        Order(marketplaceID: id, rawStatus: rawStatus ?? status.rawValue, status: status, fulfilledBy: fulfilledBy,
              purchaseDate: t0.addingTimeInterval(Double(-purchasedDaysAgo) * 86_400), currency: "EUR",
              total: Double(quantities.reduce(0, +)) * 10,
              customer: Order.Customer(name: "John Doe", phone: "0102030405"),
              shipping: Order.Address(line1: "13 place Aristide Briand", postalCode: "44000", city: "Nantes", countryCode: "FR"),
              lines: quantities.enumerated().map { line(id, $0.offset + 1, ordered: $0.element) },
              cancellations: cancellations)
    }

    static let shippedAt = Date(timeIntervalSince1970: 1_772_460_000)

    /// A shipment of order `id` (marketplace id), of `item` (all when nil) in `quantity`.
    static func shipment(_ id: String, item: ShipmentRequest.ItemReference? = nil, quantity: Int? = nil,
                         package: String = "1", tracking: String? = "T-1", byInternalID: Bool = false) -> ShipmentRequest {
        ShipmentRequest(order: byInternalID ? .internalID(id) : .marketplaceID(id), packageID: package, trackingNumber: tracking,
                        carrierCode: "UPS", shippingDate: shippedAt, item: item, quantity: quantity)
    }

    @discardableResult
    static func upsert(_ store: any StateStore, _ orders: [Order], channel: String = "shop", marketplace: String = "mirakl",
                       at date: Date = t0) throws -> OrderUpsertSummary {
        try store.upsertOrders(orders, channel: channel, marketplace: marketplace, runID: nil, at: date)
    }

    /// The one stored order of marketplace id `id`.
    static func stored(_ store: any StateStore, _ id: String) throws -> StoredOrder {
        let details = try store.orderDetail(id)
        guard details.count == 1 else { throw RuntimeFixtures.FixtureError("\(details.count) orders named \(id)") }
        return details[0].stored
    }

    static func detail(_ store: any StateStore, _ id: String) throws -> OrderDetail {
        let details = try store.orderDetail(id)
        guard details.count == 1 else { throw RuntimeFixtures.FixtureError("\(details.count) orders named \(id)") }
        return details[0]
    }

    /// Every order of `channel` changed after `sequence`, and the newest sequence.
    static func changed(_ store: any StateStore, channel: String = "shop", after sequence: Int64 = 0,
                        statuses: Set<OrderStatus> = []) throws -> (orders: [StoredOrder], newest: Int64) {
        var orders: [StoredOrder] = []
        let newest = try store.forEachChangedOrder(channel: channel, after: sequence, statuses: statuses) { orders.append($0) }
        return (orders, newest)
    }

    /// The count of `label` rows the state holds for `channel`.
    static func owned(_ store: any StateStore, _ channel: String, _ label: String) throws -> Int {
        try store.ownedData(ofChannels: [channel])[channel]?.first { $0.label == label }?.count ?? -1
    }

    static let orderLabels = ["orders", "order lines", "shipments", "shipment items", "shipment requests", "order events",
                              "order errors", "order cursors"]
}
