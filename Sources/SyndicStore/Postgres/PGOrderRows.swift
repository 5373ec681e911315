import Foundation
import SyndicCore

/// Orders from rows of the PostgreSQL state: the twin of `OrderRows`'s decoding (the content
/// hash is `OrderRows.contentHash`, shared by both states).
enum PGOrderRows {
    /// The order of a row of `orders` (lines not included).
    static func stored(_ row: PGRow) throws -> StoredOrder {
        let status = try OrderStatus(rawValue: row.get("status", as: String.self)) ?? .unknown
        let fulfilledBy = try row.get("fulfilled_by", as: String?.self).flatMap(FulfilledBy.init(rawValue:))
        let customer = try Order.Customer(name: row.get("customer_name"), email: row.get("customer_email"),
                                          phone: row.get("customer_phone"))
        let shipping = try Order.Address(line1: row.get("ship_line1"), line2: row.get("ship_line2"),
                                         postalCode: row.get("ship_postal_code"), city: row.get("ship_city"),
                                         countryCode: row.get("ship_country"))
        let order = try Order(
            marketplaceID: row.get("marketplace_id"), rawStatus: row.get("raw_status"), status: status,
            fulfilledBy: fulfilledBy, purchaseDate: row.get("purchase_date"),
            marketplaceUpdatedAt: row.get("marketplace_updated_at"), currency: row.get("currency"),
            total: row.get("total"), payment: row.get("payment"), customer: customer, shipping: shipping)
        let cancellationRequested = try row.get("cancel_requested", as: Int.self) != 0
        return try StoredOrder(id: row.get("id"), channel: row.get("channel"), marketplace: row.get("marketplace"),
                               order: order, receivedAt: row.get("received_at"), updatedAt: row.get("updated_at"),
                               changeSequence: row.get("change_seq"), errorCount: row.get("error_count"),
                               cancellationRequested: cancellationRequested)
    }

    /// The line of a row holding `order_line` columns; nil when there is none (an order
    /// without lines in a LEFT JOIN). Quantities shipped count the reported shipments.
    static func line(_ row: PGRow) throws -> OrderLine? {
        if row.isNull("line_number") { return nil }
        let shipped: Int = try row.get("quantity_shipped")
        let local: Int = try row.get("quantity_shipped_local")
        return try OrderLine(number: row.get("line_number"), lineID: row.get("line_id"), sku: row.get("sku"),
                             productReference: row.get("product_reference"), gtin: row.get("gtin"),
                             title: row.get("title"), quantityOrdered: row.get("quantity_ordered"),
                             quantityShipped: max(shipped, local), quantityCanceled: row.get("quantity_canceled"),
                             lineTotal: row.get("line_total"), rawState: row.get("raw_state"))
    }

    /// What a line counts, from a row holding `quantity_ordered`, `quantity_canceled` and
    /// `shipped` (the greater of the marketplace's and the reported quantities shipped).
    static func progress(_ row: PGRow) throws -> OrderProgress.Line {
        try OrderProgress.Line(ordered: row.get("quantity_ordered"), canceled: row.get("quantity_canceled"),
                               shipped: row.get("shipped"))
    }

    /// A shipment of `orderDetail`, from a row of `shipment`, with its items.
    static func shipment(_ row: PGRow, items: [OrderDetail.Shipment.Item]) throws -> OrderDetail.Shipment {
        try OrderDetail.Shipment(id: row.get("id"), packageID: row.get("package_id"),
                                 trackingNumber: row.get("tracking_number"), carrierCode: row.get("carrier_code"),
                                 shippingDate: row.get("shipping_date"), source: row.get("source"),
                                 status: row.get("status"), attempts: row.get("attempts"),
                                 lastError: row.get("last_error"), confirmedAt: row.get("confirmed_at"), items: items)
    }

    /// An item of a shipment, from a row holding `line_number` and `quantity`.
    static func item(_ row: PGRow) throws -> OrderDetail.Shipment.Item {
        try OrderDetail.Shipment.Item(lineNumber: row.get("line_number"), quantity: row.get("quantity"))
    }

    /// An order event, from a row of `order_event`.
    static func event(_ row: PGRow) throws -> OrderDetail.Event {
        try OrderDetail.Event(kind: row.get("kind"), reference: row.get("reference"), detail: row.get("detail"),
                              at: row.get("at"))
    }

    /// An order error, from a row of `order_error`.
    static func error(_ row: PGRow) throws -> OrderDetail.OrderError {
        try OrderDetail.OrderError(stage: row.get("stage"), message: row.get("message"), runID: row.get("run_id"),
                                   at: row.get("at"))
    }

    /// An alert, from a row of `event`.
    static func alert(_ row: PGRow) throws -> AlertEvent {
        try AlertEvent(id: row.get("id"), channel: row.get("channel"), kind: row.get("kind"),
                       message: row.get("message"), runID: row.get("run_id"), at: row.get("at"))
    }
}
