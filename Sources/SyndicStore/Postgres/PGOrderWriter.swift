import Foundation
import SyndicCore

/// Writes fetched orders inside one transaction: inserts new ones, updates changed ones
/// (keeping the shipments reported to syndic), records new cancellation requests. The twin
/// of `OrderWriter` on PostgreSQL.
struct PGOrderWriter {
    private let session: PGSession
    private let channel: String
    private let marketplace: String
    private let date: Date
    private var identifiers = OrderIdentifier()

    init(_ session: PGSession, channel: String, marketplace: String, at date: Date) {
        self.session = session
        self.channel = channel
        self.marketplace = marketplace
        self.date = date
    }

    /// Inserts or updates a line of an order, with the marketplace's quantities (the
    /// quantities reported to syndic are kept).
    private static let upsertLine = """
        INSERT INTO order_line (order_id, channel, line_number, line_id, sku, product_reference, gtin, title,
          quantity_ordered, quantity_shipped, quantity_canceled, line_total, raw_state)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (order_id, line_number) DO UPDATE SET line_id = excluded.line_id, sku = excluded.sku,
          product_reference = excluded.product_reference, gtin = excluded.gtin, title = excluded.title,
          quantity_ordered = excluded.quantity_ordered, quantity_shipped = excluded.quantity_shipped,
          quantity_canceled = excluded.quantity_canceled, line_total = excluded.line_total,
          raw_state = excluded.raw_state
        """

    /// Stores `order`, counted in `summary` as created, updated or unchanged.
    mutating func upsert(_ order: Order, runID: Int64?, summary: inout OrderUpsertSummary) throws {
        let hash = OrderRows.contentHash(order)
        let existing = try session.row("""
            SELECT id, content_hash, local_shipped FROM orders WHERE channel = ? AND marketplace_id = ?
            """, [channel, order.marketplaceID])
        if let existing, try existing.get("content_hash", as: Int64.self) == hash {
            summary.unchanged += 1
            return
        }
        let id = try existing?.get("id", as: String.self) ?? identifiers.make(at: date)
        let sequence = try ChangeSequence.next(session)
        let fields: [(any PGBind)?] = [
            order.status.rawValue, order.rawStatus, order.fulfilledBy?.rawValue, order.purchaseDate,
            order.marketplaceUpdatedAt, date, sequence, order.currency, order.total, order.payment,
            order.customer.name, order.customer.email, order.customer.phone, order.shipping.line1,
            order.shipping.line2, order.shipping.postalCode, order.shipping.city, order.shipping.countryCode, hash,
        ]
        if existing != nil {
            try session.execute("""
                UPDATE orders SET status = ?, raw_status = ?, fulfilled_by = ?, purchase_date = ?,
                  marketplace_updated_at = ?, updated_at = ?, change_seq = ?, currency = ?, total = ?, payment = ?,
                  customer_name = ?, customer_email = ?, customer_phone = ?, ship_line1 = ?, ship_line2 = ?,
                  ship_postal_code = ?, ship_city = ?, ship_country = ?, content_hash = ?
                WHERE id = ?
                """, fields + [id])
            summary.updated += 1
        } else {
            try session.execute("""
                INSERT INTO orders (status, raw_status, fulfilled_by, purchase_date, marketplace_updated_at, updated_at,
                  change_seq, currency, total, payment, customer_name, customer_email, customer_phone, ship_line1,
                  ship_line2, ship_postal_code, ship_city, ship_country, content_hash, id, channel, marketplace,
                  marketplace_id, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, fields + [id, channel, marketplace, order.marketplaceID, date])
            summary.created += 1
        }
        for line in order.lines {
            try session.execute(Self.upsertLine, [
                id, channel, line.number, line.lineID, line.sku, line.productReference, line.gtin, line.title,
                line.quantityOrdered, line.quantityShipped, line.quantityCanceled, line.lineTotal, line.rawState,
            ])
        }
        if let existing {
            // The lines the marketplace no longer lists go (PostgreSQL has no empty `IN ()`).
            let kept = order.lines.map { String($0.number) }.joined(separator: ",")
            let dropped = kept.isEmpty ? "" : " AND line_number NOT IN (\(kept))"
            try session.execute("DELETE FROM order_line WHERE order_id = ?\(dropped)", [id])
            if try existing.get("local_shipped", as: Int.self) != 0 {
                try Self.refreshStatus(session, orderID: id, marketplace: order.status)
            }
        }
        for cancel in order.cancellations {
            try recordCancellation(cancel, orderID: id, order: order, runID: runID, summary: &summary)
        }
    }

    /// Records a cancellation request not seen before as an order event and an alert.
    private func recordCancellation(_ cancel: Order.Cancellation, orderID: String, order: Order, runID: Int64?,
                                    summary: inout OrderUpsertSummary) throws {
        var detail = "\(cancel.quantity) canceled"
        if let line = cancel.lineID { detail += " on line \(line)" }
        if let reason = cancel.reason { detail += " (\(reason))" }
        let recorded = try session.execute("""
            INSERT INTO order_event (channel, order_id, kind, reference, detail, at)
            VALUES (?, ?, 'cancellation-requested', ?, ?, ?) ON CONFLICT DO NOTHING
            """, [channel, orderID, cancel.id, detail, cancel.at ?? date])
        guard recorded > 0 else { return }
        summary.cancellations += 1
        try session.execute("UPDATE orders SET cancel_requested = 1 WHERE id = ?", [orderID])
        try Self.alert(session, channel: channel, kind: "cancellation-requested",
                       message: "order \(order.marketplaceID): cancellation requested, \(detail)", runID: runID,
                       at: date)
    }

    /// Recomputes the status of an order from its lines (marketplace and reported shipments).
    static func refreshStatus(_ session: PGSession, orderID: String, marketplace: OrderStatus) throws {
        let lines = try session.rows("""
            SELECT quantity_ordered, quantity_canceled, GREATEST(quantity_shipped, quantity_shipped_local) AS shipped
            FROM order_line WHERE order_id = ?
            """, [orderID]).map(PGOrderRows.progress)
        let status = OrderProgress.status(marketplace: marketplace, lines: lines)
        try session.execute("UPDATE orders SET status = ? WHERE id = ?", [status.rawValue, orderID])
    }

    /// Records an order error (of the run when `orderID` is nil) and counts it on the order.
    static func recordError(_ session: PGSession, channel: String, orderID: String?, runID: Int64?, stage: String,
                            message: String, at date: Date) throws {
        try session.execute("""
            INSERT INTO order_error (channel, order_id, run_id, stage, message, at) VALUES (?, ?, ?, ?, ?, ?)
            """, [channel, orderID, runID, stage, message, date])
        if let orderID {
            try session.execute("UPDATE orders SET error_count = error_count + 1 WHERE id = ?", [orderID])
        }
    }

    /// Queues an alert for the Notification resources.
    static func alert(_ session: PGSession, channel: String, kind: String, message: String, runID: Int64?,
                      at date: Date) throws {
        try session.execute("INSERT INTO event (channel, kind, message, run_id, at) VALUES (?, ?, ?, ?, ?)",
                            [channel, kind, message, runID, date])
    }
}

extension ChangeSequence {
    /// The next number, taken inside the caller's transaction. The counter's row stays locked
    /// until that transaction ends, so writers take their numbers in the order they commit
    /// (a serializable writer that waited on the row runs again): no reader ever sees a
    /// number before a lower one that will still appear.
    static func next(_ session: PGSession) throws -> Int64 {
        guard let value = try session.value("UPDATE counter SET value = value + 1 WHERE name = ? RETURNING value",
                                            [name], as: Int64.self) else {
            throw PGError(message: "the order change counter is missing", sqlState: nil, detail: nil)
        }
        return value
    }
}
