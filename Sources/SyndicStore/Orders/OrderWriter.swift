import Foundation
import GRDB
import SyndicCore

/// Writes fetched orders inside one transaction: inserts new ones, updates changed ones
/// (keeping the shipments reported to syndic), records new cancellation requests.
struct OrderWriter {
    private let db: Database
    private let channel: String
    private let marketplace: String
    private let date: Date
    private var identifiers = OrderIdentifier()

    init(_ db: Database, channel: String, marketplace: String, at date: Date) throws {
        self.db = db
        self.channel = channel
        self.marketplace = marketplace
        self.date = date
    }

    mutating func upsert(_ order: Order, runID: Int64?, summary: inout OrderUpsertSummary) throws {
        let hash = OrderRows.contentHash(order)
        let existing = try Row.fetchOne(try db.cachedStatement(sql: """
            SELECT id, content_hash, local_shipped FROM orders WHERE channel = ? AND marketplace_id = ?
            """), arguments: [channel, order.marketplaceID])
        if let existing, (existing["content_hash"] as Int64) == hash {
            summary.unchanged += 1
            return
        }
        let id = (existing?["id"] as String?) ?? identifiers.make(at: date)
        let sequence = try ChangeSequence.next(db)
        let fields: [(any DatabaseValueConvertible)?] = [
            order.status.rawValue, order.rawStatus, order.fulfilledBy?.rawValue, order.purchaseDate, order.marketplaceUpdatedAt,
            date, sequence, order.currency, order.total, order.payment, order.customer.name, order.customer.email,
            order.customer.phone, order.shipping.line1, order.shipping.line2, order.shipping.postalCode, order.shipping.city,
            order.shipping.countryCode, hash,
        ]
        if existing != nil {
            try db.cachedStatement(sql: """
                UPDATE orders SET status = ?, raw_status = ?, fulfilled_by = ?, purchase_date = ?, marketplace_updated_at = ?,
                  updated_at = ?, change_seq = ?, currency = ?, total = ?, payment = ?, customer_name = ?, customer_email = ?,
                  customer_phone = ?, ship_line1 = ?, ship_line2 = ?, ship_postal_code = ?, ship_city = ?, ship_country = ?,
                  content_hash = ?
                WHERE id = ?
                """).execute(arguments: StatementArguments(fields + [id]))
            summary.updated += 1
        } else {
            try db.cachedStatement(sql: """
                INSERT INTO orders (status, raw_status, fulfilled_by, purchase_date, marketplace_updated_at, updated_at,
                  change_seq, currency, total, payment, customer_name, customer_email, customer_phone, ship_line1, ship_line2,
                  ship_postal_code, ship_city, ship_country, content_hash, id, channel, marketplace, marketplace_id, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: StatementArguments(fields + [id, channel, marketplace, order.marketplaceID, date]))
            summary.created += 1
        }
        let upsertLine = try db.cachedStatement(sql: """
            INSERT INTO order_line (order_id, channel, line_number, line_id, sku, product_reference, gtin, title,
              quantity_ordered, quantity_shipped, quantity_canceled, line_total, raw_state)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (order_id, line_number) DO UPDATE SET line_id = excluded.line_id, sku = excluded.sku,
              product_reference = excluded.product_reference, gtin = excluded.gtin, title = excluded.title,
              quantity_ordered = excluded.quantity_ordered, quantity_shipped = excluded.quantity_shipped,
              quantity_canceled = excluded.quantity_canceled, line_total = excluded.line_total, raw_state = excluded.raw_state
            """)
        for line in order.lines {
            try upsertLine.execute(arguments: [id, channel, line.number, line.lineID, line.sku, line.productReference, line.gtin,
                                               line.title, line.quantityOrdered, line.quantityShipped, line.quantityCanceled,
                                               line.lineTotal, line.rawState])
        }
        if let existing {
            let kept = order.lines.map { String($0.number) }.joined(separator: ",")
            try db.execute(sql: "DELETE FROM order_line WHERE order_id = ? AND line_number NOT IN (\(kept))", arguments: [id])
            if (existing["local_shipped"] as Int) != 0 {
                try Self.refreshStatus(db, orderID: id, marketplace: order.status)
            }
        }
        for cancel in order.cancellations {
            try recordCancellation(cancel, orderID: id, order: order, runID: runID, summary: &summary)
        }
    }

    private func recordCancellation(_ cancel: Order.Cancellation, orderID: String, order: Order, runID: Int64?,
                                    summary: inout OrderUpsertSummary) throws {
        var detail = "\(cancel.quantity) canceled"
        if let line = cancel.lineID { detail += " on line \(line)" }
        if let reason = cancel.reason { detail += " (\(reason))" }
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO order_event (channel, order_id, kind, reference, detail, at)
            VALUES (?, ?, 'cancellation-requested', ?, ?, ?)
            """).execute(arguments: [channel, orderID, cancel.id, detail, cancel.at ?? date])
        guard db.changesCount > 0 else { return }
        summary.cancellations += 1
        try db.execute(sql: "UPDATE orders SET cancel_requested = 1 WHERE id = ?", arguments: [orderID])
        try Self.alert(db, channel: channel, kind: "cancellation-requested",
                       message: "order \(order.marketplaceID): cancellation requested, \(detail)", runID: runID, at: date)
    }

    /// Recomputes the status of an order from its lines (marketplace and reported shipments).
    static func refreshStatus(_ db: Database, orderID: String, marketplace: OrderStatus) throws {
        let lines = try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT quantity_ordered, quantity_canceled, MAX(quantity_shipped, quantity_shipped_local) AS shipped
            FROM order_line WHERE order_id = ?
            """), arguments: [orderID]).map {
            OrderProgress.Line(ordered: $0["quantity_ordered"], canceled: $0["quantity_canceled"], shipped: $0["shipped"])
        }
        let status = OrderProgress.status(marketplace: marketplace, lines: lines)
        try db.execute(sql: "UPDATE orders SET status = ? WHERE id = ?", arguments: [status.rawValue, orderID])
    }

    /// Records an order error (of the run when `orderID` is nil) and counts it on the order.
    static func recordError(_ db: Database, channel: String, orderID: String?, runID: Int64?, stage: String, message: String,
                            at date: Date) throws {
        try db.execute(sql: """
            INSERT INTO order_error (channel, order_id, run_id, stage, message, at) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [channel, orderID, runID, stage, message, date])
        if let orderID {
            try db.execute(sql: "UPDATE orders SET error_count = error_count + 1 WHERE id = ?", arguments: [orderID])
        }
    }

    /// Queues an alert for the Notification resources.
    static func alert(_ db: Database, channel: String, kind: String, message: String, runID: Int64?, at date: Date) throws {
        try db.execute(sql: "INSERT INTO event (channel, kind, message, run_id, at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [channel, kind, message, runID, date])
    }
}
