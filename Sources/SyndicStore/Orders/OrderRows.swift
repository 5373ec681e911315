import Foundation
import GRDB
import SyndicCore

/// Orders to and from rows.
enum OrderRows {
    /// The order of a row of `orders` (lines not included).
    static func stored(_ row: Row) -> StoredOrder {
        let order = Order(
            marketplaceID: row["marketplace_id"], rawStatus: row["raw_status"],
            status: OrderStatus(rawValue: row["status"]) ?? .unknown,
            fulfilledBy: (row["fulfilled_by"] as String?).flatMap(FulfilledBy.init(rawValue:)),
            purchaseDate: row["purchase_date"], marketplaceUpdatedAt: row["marketplace_updated_at"], currency: row["currency"],
            total: row["total"], payment: row["payment"],
            customer: Order.Customer(name: row["customer_name"], email: row["customer_email"], phone: row["customer_phone"]),
            shipping: Order.Address(line1: row["ship_line1"], line2: row["ship_line2"], postalCode: row["ship_postal_code"],
                                    city: row["ship_city"], countryCode: row["ship_country"]))
        return StoredOrder(id: row["id"], channel: row["channel"], marketplace: row["marketplace"], order: order,
                           receivedAt: row["received_at"], updatedAt: row["updated_at"], changeSequence: row["change_seq"],
                           errorCount: row["error_count"], cancellationRequested: (row["cancel_requested"] as Int? ?? 0) != 0)
    }

    /// The line of a row holding `order_line` columns; nil when there is none (an order
    /// without lines in a LEFT JOIN). Quantities shipped count the reported shipments.
    static func line(_ row: Row) -> OrderLine? {
        guard let number = row["line_number"] as Int? else { return nil }
        let shipped: Int = row["quantity_shipped"]
        let local: Int = row["quantity_shipped_local"]
        return OrderLine(number: number, lineID: row["line_id"], sku: row["sku"], productReference: row["product_reference"],
                         gtin: row["gtin"], title: row["title"], quantityOrdered: row["quantity_ordered"],
                         quantityShipped: max(shipped, local), quantityCanceled: row["quantity_canceled"],
                         lineTotal: row["line_total"], rawState: row["raw_state"])
    }

    /// A hash of everything the marketplace said of an order: an order fetched again
    /// unchanged (the overlap of OR11) changes nothing.
    static func contentHash(_ order: Order) -> Int64 {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        func add(_ text: String?) {
            if let text { bytes.append(contentsOf: text.utf8) }
            bytes.append(0x1F)
        }
        func add(_ number: Double?) { add(number.map { String($0) }) }
        func add(_ date: Date?) { add(date.map { String($0.timeIntervalSince1970) }) }
        add(order.marketplaceID); add(order.rawStatus); add(order.status.rawValue); add(order.fulfilledBy?.rawValue)
        add(order.purchaseDate); add(order.marketplaceUpdatedAt); add(order.currency); add(order.total); add(order.payment)
        add(order.customer.name); add(order.customer.email); add(order.customer.phone)
        add(order.shipping.line1); add(order.shipping.line2); add(order.shipping.postalCode); add(order.shipping.city)
        add(order.shipping.countryCode)
        for line in order.lines {
            add(String(line.number)); add(line.lineID); add(line.sku); add(line.productReference); add(line.gtin)
            add(line.title); add(String(line.quantityOrdered)); add(String(line.quantityShipped))
            add(String(line.quantityCanceled)); add(line.lineTotal); add(line.rawState)
        }
        for cancel in order.cancellations {
            add(cancel.id); add(cancel.lineID); add(String(cancel.quantity)); add(cancel.reason)
        }
        return Int64(bitPattern: FastHash.hash(bytes))
    }
}
