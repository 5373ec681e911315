import Foundation
import SyndicCore
import SyndicStore

/// Orders for the API tests.
enum APIFixtures {
    /// Monday 2026-03-02 09:00 UTC.
    static let t0 = Date(timeIntervalSince1970: 1_772_442_000)

    /// An order `id` with lines of `quantities` units, bought `purchasedDaysAgo` days before `t0`.
    static func order(_ id: String, status: OrderStatus = .waitingForShipment, quantities: [Int] = [2, 1],
                      purchasedDaysAgo: Int = 1) -> Order {
        Order(marketplaceID: id, rawStatus: status.rawValue, status: status, fulfilledBy: .merchant,
              purchaseDate: t0.addingTimeInterval(Double(-purchasedDaysAgo) * 86_400), currency: "EUR",
              total: Double(quantities.reduce(0, +)) * 10,
              customer: Order.Customer(name: "Jeanne \"JD\" Dupont", email: "jd@example.com"),
              shipping: Order.Address(line1: "13 place Aristide Briand", postalCode: "44000", city: "Nantes", countryCode: "FR"),
              lines: quantities.enumerated().map {
                  OrderLine(number: $0.offset + 1, lineID: "\(id)-\($0.offset + 1)", sku: "SKU-\($0.offset + 1)",
                            quantityOrdered: $0.element, lineTotal: Double($0.element) * 10)
              })
    }

    static func upsert(_ store: SQLiteStateStore, _ orders: [Order], channel: String = "shop",
                       marketplace: String = "mirakl", at date: Date = t0) throws {
        _ = try store.upsertOrders(orders, channel: channel, marketplace: marketplace, runID: nil, at: date)
    }
}
