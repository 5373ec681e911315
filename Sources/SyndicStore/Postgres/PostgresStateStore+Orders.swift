import Foundation
import SyndicCore

/// `OrderStore` on PostgreSQL: orders with their lines, shipments and their confirmations,
/// order events and errors, the flows' cursors, and alerts.
extension PostgresStateStore {
    public func upsertOrders(_ orders: [Order], channel: String, marketplace: String, runID: Int64?,
                             at date: Date) throws -> OrderUpsertSummary {
        try write { session in
            var writer = PGOrderWriter(session, channel: channel, marketplace: marketplace, at: date)
            var summary = OrderUpsertSummary()
            for order in orders {
                try writer.upsert(order, runID: runID, summary: &summary)
            }
            return summary
        }
    }

    public func recordOrderError(channel: String, marketplaceID: String?, runID: Int64?, stage: String, message: String,
                                 at date: Date) throws {
        try write { session in
            var orderID: String?
            if let marketplaceID {
                orderID = try session.value("SELECT id FROM orders WHERE channel = ? AND marketplace_id = ?",
                                            [channel, marketplaceID], as: String.self)
            }
            let text = if let marketplaceID, orderID == nil { "order \(marketplaceID): \(message)" } else { message }
            try PGOrderWriter.recordError(session, channel: channel, orderID: orderID, runID: runID, stage: stage,
                                          message: text, at: date)
        }
    }

    public func orderCursor(channel: String, name: String) throws -> String? {
        try read { session in
            try session.value("SELECT value FROM order_cursor WHERE channel = ? AND name = ?", [channel, name],
                              as: String.self)
        }
    }

    public func setOrderCursor(channel: String, name: String, value: String) throws {
        try write { session in
            _ = try session.execute("""
                INSERT INTO order_cursor (channel, name, value) VALUES (?, ?, ?)
                ON CONFLICT (channel, name) DO UPDATE SET value = excluded.value
                """, [channel, name, value])
        }
    }

    /// How many orders a page of `forEachChangedOrder` reads.
    private static let changedOrdersPage = 500

    public func forEachChangedOrder(channel: String, after sequence: Int64, statuses: Set<OrderStatus>,
                                    _ body: (StoredOrder) throws -> Void) throws -> Int64 {
        // Pages are read in transactions of their own and handed to `body` outside them (a
        // transaction may run again; `body` must not). Only the changes numbered up to the
        // counter's value at the start are read: an order changed meanwhile takes a higher
        // number and waits for the next stream, so no order comes twice. None is missed: a
        // number is taken under the counter's row lock, so numbers commit in order.
        let ceiling = try read { session in
            try session.value("SELECT value FROM counter WHERE name = ?", [ChangeSequence.name], as: Int64.self)
        } ?? .max
        var newest = sequence
        while true {
            let page = try read { session in
                try Self.changedOrders(session, channel: channel, after: newest, through: ceiling, statuses: statuses)
            }
            for order in page.orders { try body(order) }
            newest = page.newest ?? newest
            if page.count < Self.changedOrdersPage { return newest }
        }
    }

    /// A page of the channel's orders changed in `(after, ceiling]`, oldest change first, those
    /// of `statuses` (all when empty) with their lines; the newest change sequence read and
    /// how many orders were read (orders outside `statuses` are read too: the sequence
    /// returned moves past them).
    private static func changedOrders(_ session: PGSession, channel: String, after: Int64, through ceiling: Int64,
                                      statuses: Set<OrderStatus>) throws
        -> (orders: [StoredOrder], newest: Int64?, count: Int) {
        let rows = try session.rows("""
            SELECT o.*, l.line_number, l.line_id, l.sku, l.product_reference, l.gtin, l.title, l.quantity_ordered,
                   l.quantity_shipped, l.quantity_shipped_local, l.quantity_canceled, l.line_total, l.raw_state
            FROM (SELECT * FROM orders WHERE channel = ? AND change_seq > ? AND change_seq <= ?
                  ORDER BY change_seq LIMIT ?) o
            LEFT JOIN order_line l ON l.order_id = o.id
            ORDER BY o.change_seq, l.line_number
            """, [channel, after, ceiling, changedOrdersPage])
        var orders: [StoredOrder] = []
        var newest: Int64?
        var count = 0
        var wanted = false
        for row in rows {
            let sequence: Int64 = try row.get("change_seq")
            if sequence != newest {
                newest = sequence
                count += 1
                let stored = try PGOrderRows.stored(row)
                wanted = statuses.isEmpty || statuses.contains(stored.order.status)
                if wanted { orders.append(stored) }
            }
            if wanted, let line = try PGOrderRows.line(row) { orders[orders.count - 1].order.lines.append(line) }
        }
        return (orders, newest, count)
    }

    public func applyShipments(_ requests: [ShipmentRequest], channel: String, source: String, at date: Date) throws
        -> [ShipmentOutcome] {
        try applyShipments(requests, channel: channel, source: source, at: date, batchSize: ShipmentBatchApplier.defaultSize)
    }

    /// `applyShipments` deciding and writing `batchSize` requests together; with a size of 0
    /// or less, one request at a time with a statement per rule, the way before batches (kept
    /// to measure batches against and to check they change nothing).
    public func applyShipments(_ requests: [ShipmentRequest], channel: String, source: String, at date: Date,
                               batchSize: Int) throws -> [ShipmentOutcome] {
        try write { session in
            guard batchSize > 0 else {
                let applier = PGShipmentApplier(session, source: source, at: date)
                return try requests.map { try applier.apply($0, channel: channel) }
            }
            return try PGShipmentBatchApplier(session, source: source, at: date)
                .apply(requests, channel: channel, size: batchSize)
        }
    }

    // `applyShipments(from:)` is the protocol's default, which reads every request before
    // the transaction: `write` runs it again from its start after a conflict.

    public func dueShipments(channel: String, now: Date, limit: Int) throws -> [PendingShipment] {
        try read { session in
            let rows = try session.rows("""
                SELECT s.*, o.marketplace_id FROM shipment s JOIN orders o ON o.id = s.order_id
                WHERE s.channel = ? AND s.status = 'pending' AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= ?)
                ORDER BY s.id LIMIT ?
                """, [channel, now, limit])
            return try rows.map { row -> PendingShipment in
                let id: Int64 = try row.get("id")
                let orderID: String = try row.get("order_id")
                let items = try session.rows("""
                    SELECT l.line_id, i.quantity FROM shipment_item i
                    JOIN order_line l ON l.order_id = ? AND l.line_number = i.line_number
                    WHERE i.shipment_id = ? ORDER BY i.line_number
                    """, [orderID, id]).map { item in
                    try (lineID: item.get("line_id", as: String.self), quantity: item.get("quantity", as: Int.self))
                }
                let remaining = try session.value("""
                    SELECT COUNT(*)::bigint FROM order_line WHERE order_id = ?
                    AND GREATEST(quantity_shipped, quantity_shipped_local) + quantity_canceled < quantity_ordered
                    """, [orderID], as: Int.self) ?? 0
                return try PendingShipment(id: id, orderID: orderID, marketplaceOrderID: row.get("marketplace_id"),
                                           packageID: row.get("package_id"), trackingNumber: row.get("tracking_number"),
                                           carrierCode: row.get("carrier_code"), shippingDate: row.get("shipping_date"),
                                           attempts: row.get("attempts"), items: items, completesOrder: remaining == 0,
                                           uncertain: !row.isNull("sending_at"))
            }
        }
    }

    public func markShipmentSending(id: Int64, at date: Date) throws {
        try write { session in
            _ = try session.execute("UPDATE shipment SET sending_at = ? WHERE id = ? AND status = 'pending'",
                                    [date, id])
        }
    }

    public func markShipmentConfirmed(id: Int64, at date: Date) throws {
        try write { session in
            _ = try session.execute("""
                UPDATE shipment SET status = 'confirmed', confirmed_at = ?, attempts = attempts + 1, last_error = NULL,
                  next_attempt_at = NULL, sending_at = NULL WHERE id = ?
                """, [date, id])
        }
    }

    public func markShipmentAttemptFailed(id: Int64, error: String, retryAt: Date?, runID: Int64?,
                                          at date: Date) throws {
        try write { session in
            guard let row = try session.row("""
                SELECT s.channel, s.order_id, s.package_id, o.marketplace_id FROM shipment s
                JOIN orders o ON o.id = s.order_id WHERE s.id = ?
                """, [id]) else { return }
            let channel: String = try row.get("channel")
            let orderID: String = try row.get("order_id")
            if let retryAt {
                try session.execute("""
                    UPDATE shipment SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, sending_at = NULL
                    WHERE id = ?
                    """, [error, retryAt, id])
            } else {
                try session.execute("""
                    UPDATE shipment SET status = 'failed', attempts = attempts + 1, last_error = ?,
                      next_attempt_at = NULL, sending_at = NULL WHERE id = ?
                    """, [error, id])
                try PGOrderWriter.recordError(session, channel: channel, orderID: orderID, runID: runID,
                                              stage: "confirmation", message: error, at: date)
                let marketplaceID: String = try row.get("marketplace_id")
                let package: String = try row.get("package_id")
                try PGOrderWriter.alert(session, channel: channel, kind: "push-failed",
                                        message: "the shipment of package \(package) of order \(marketplaceID) "
                                            + "could not be confirmed: \(error)",
                                        runID: runID, at: date)
            }
        }
    }

    public func orders(_ filter: OrderFilter) throws -> (orders: [OrderSummary], total: Int) {
        try read { session in
            var conditions: [String] = []
            var arguments: [(any PGBind)?] = []
            if !filter.statuses.isEmpty {
                let statuses = filter.statuses.map { "'\($0.rawValue)'" }.sorted().joined(separator: ",")
                conditions.append("status IN (\(statuses))")
            }
            if !filter.channels.isEmpty {
                let marks = Array(repeating: "?", count: filter.channels.count).joined(separator: ",")
                conditions.append("channel IN (\(marks))")
                for channel in filter.channels.sorted() { arguments.append(channel) }
            }
            if !filter.marketplaces.isEmpty {
                let marks = Array(repeating: "?", count: filter.marketplaces.count).joined(separator: ",")
                conditions.append("marketplace IN (\(marks))")
                for marketplace in filter.marketplaces.sorted() { arguments.append(marketplace) }
            }
            if let from = filter.receivedFrom { conditions.append("received_at >= ?"); arguments.append(from) }
            if let before = filter.receivedBefore { conditions.append("received_at < ?"); arguments.append(before) }
            if let errors = filter.hasErrors { conditions.append(errors ? "error_count > 0" : "error_count = 0") }
            if let search = filter.search, !search.isEmpty {
                // ILIKE: SQLite's LIKE ignores the case of ASCII letters. The backslash is the
                // default escape character of PostgreSQL's LIKE.
                conditions.append("(marketplace_id = ? OR id = ? OR marketplace_id ILIKE ?)")
                let escaped = search.replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
                arguments += [search, search.lowercased(), escaped + "%"]
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let total = try session.value("SELECT COUNT(*)::bigint FROM orders \(whereClause)", arguments,
                                          as: Int.self) ?? 0
            // SQLite's order: NULL dates last when descending, ids bytewise, the internal id
            // last (orders that tie keep one order from page to page).
            let order = switch filter.sort {
            case .purchaseDate: #"purchase_date DESC NULLS LAST, marketplace_id COLLATE "C", id COLLATE "C""#
            case .errors: #"error_count DESC, purchase_date DESC NULLS LAST, marketplace_id COLLATE "C", id COLLATE "C""#
            }
            var limit = filter.limit.map { " LIMIT \($0)" } ?? ""
            if filter.offset > 0 { limit += " OFFSET \(filter.offset)" }
            let rows = try session.rows("""
                SELECT o.*, (SELECT COUNT(*)::bigint FROM order_line l WHERE l.order_id = o.id) AS line_count
                FROM orders o \(whereClause) ORDER BY \(order)\(limit)
                """, arguments)
            let orders = try rows.map { row in
                try OrderSummary(id: row.get("id"), channel: row.get("channel"), marketplace: row.get("marketplace"),
                                 marketplaceID: row.get("marketplace_id"), status: row.get("status"),
                                 rawStatus: row.get("raw_status"), fulfilledBy: row.get("fulfilled_by"),
                                 purchaseDate: row.get("purchase_date"), receivedAt: row.get("received_at"),
                                 total: row.get("total"), currency: row.get("currency"), lines: row.get("line_count"),
                                 errors: row.get("error_count"),
                                 cancellationRequested: row.get("cancel_requested", as: Int.self) != 0)
            }
            return (orders, total)
        }
    }

    public func orderDetail(_ reference: String) throws -> [OrderDetail] {
        try read { session in
            let rows = try session.rows("""
                SELECT * FROM orders WHERE id = ? OR marketplace_id = ? ORDER BY channel COLLATE "C"
                """, [reference.lowercased(), reference])
            return try rows.map { row -> OrderDetail in
                var stored = try PGOrderRows.stored(row)
                stored.order.lines = try session.rows("""
                    SELECT * FROM order_line WHERE order_id = ? ORDER BY line_number
                    """, [stored.id]).compactMap(PGOrderRows.line)
                let shipments = try session.rows("SELECT * FROM shipment WHERE order_id = ? ORDER BY id",
                                                 [stored.id]).map { shipment -> OrderDetail.Shipment in
                    let id: Int64 = try shipment.get("id")
                    let items = try session.rows("""
                        SELECT line_number, quantity FROM shipment_item WHERE shipment_id = ? ORDER BY line_number
                        """, [id]).map(PGOrderRows.item)
                    return try PGOrderRows.shipment(shipment, items: items)
                }
                let events = try session.rows("SELECT * FROM order_event WHERE order_id = ? ORDER BY id",
                                              [stored.id]).map(PGOrderRows.event)
                let errors = try session.rows("SELECT * FROM order_error WHERE order_id = ? ORDER BY id",
                                              [stored.id]).map(PGOrderRows.error)
                return OrderDetail(stored: stored, shipments: shipments, events: events, errors: errors)
            }
        }
    }

    public func raiseAlert(channel: String, kind: String, message: String, runID: Int64?, at date: Date) throws {
        try write { session in
            try PGOrderWriter.alert(session, channel: channel, kind: kind, message: message, runID: runID, at: date)
        }
    }

    public func undeliveredAlerts(limit: Int) throws -> [AlertEvent] {
        try read { session in
            try session.rows("SELECT * FROM event WHERE delivered = false ORDER BY id LIMIT ?", [limit])
                .map(PGOrderRows.alert)
        }
    }

    public func markAlertsDelivered(ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        try write { session in
            _ = try session.execute("""
                UPDATE event SET delivered = true WHERE id IN (\(ids.map(String.init).joined(separator: ",")))
                """)
        }
    }
}
