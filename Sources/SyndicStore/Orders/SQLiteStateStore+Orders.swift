import Foundation
import GRDB
import SyndicCore

extension SQLiteStateStore: OrderStore {
    public func upsertOrders(_ orders: [Order], channel: String, marketplace: String, runID: Int64?, at date: Date) throws
        -> OrderUpsertSummary {
        try write { db in
            var writer = try OrderWriter(db, channel: channel, marketplace: marketplace, at: date)
            var summary = OrderUpsertSummary()
            for order in orders {
                try writer.upsert(order, runID: runID, summary: &summary)
            }
            return summary
        }
    }

    public func recordOrderError(channel: String, marketplaceID: String?, runID: Int64?, stage: String, message: String,
                                 at date: Date) throws {
        try write { db in
            var orderID: String?
            if let marketplaceID {
                orderID = try String.fetchOne(db, sql: "SELECT id FROM orders WHERE channel = ? AND marketplace_id = ?",
                                              arguments: [channel, marketplaceID])
            }
            try OrderWriter.recordError(db, channel: channel, orderID: orderID, runID: runID, stage: stage,
                                        message: marketplaceID != nil && orderID == nil ? "order \(marketplaceID!): \(message)" : message,
                                        at: date)
        }
    }

    public func orderCursor(channel: String, name: String) throws -> String? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM order_cursor WHERE channel = ? AND name = ?", arguments: [channel, name])
        }
    }

    public func setOrderCursor(channel: String, name: String, value: String) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO order_cursor (channel, name, value) VALUES (?, ?, ?)
                ON CONFLICT (channel, name) DO UPDATE SET value = excluded.value
                """, arguments: [channel, name, value])
        }
    }

    public func forEachChangedOrder(channel: String, after sequence: Int64, statuses: Set<OrderStatus>,
                                    _ body: (StoredOrder) throws -> Void) throws -> Int64 {
        try pool.read { db in
            // Orders outside `statuses` are read too: the sequence returned moves past them.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT o.*, l.line_number, l.line_id, l.sku, l.product_reference, l.gtin, l.title, l.quantity_ordered,
                       l.quantity_shipped, l.quantity_shipped_local, l.quantity_canceled, l.line_total, l.raw_state
                FROM orders o LEFT JOIN order_line l ON l.order_id = o.id
                WHERE o.channel = ? AND o.change_seq > ?
                ORDER BY o.change_seq, l.line_number
                """, arguments: [channel, sequence])
            var newest = sequence
            var current: StoredOrder?
            var wanted = false
            func finish() throws {
                if wanted, let done = current { try body(done) }
            }
            while let row = try rows.next() {
                let seq: Int64 = row["change_seq"]
                if current?.changeSequence != seq {
                    try finish()
                    current = OrderRows.stored(row)
                    newest = max(newest, seq)
                    wanted = statuses.isEmpty || statuses.contains(current!.order.status)
                }
                if wanted, let line = OrderRows.line(row) { current!.order.lines.append(line) }
            }
            try finish()
            return newest
        }
    }

    public func applyShipments(_ requests: [ShipmentRequest], channel: String, source: String, at date: Date) throws
        -> [ShipmentOutcome] {
        try applyShipments(requests, channel: channel, source: source, at: date, batchSize: ShipmentBatchApplier.defaultSize)
    }

    public func applyShipments(from requests: ShipmentRequestSource, channel: String, source: String, at date: Date) throws
        -> [ShipmentOutcome] {
        try applyBatches(requests, channel: channel, source: source, at: date, size: ShipmentBatchApplier.defaultSize)
    }

    /// `applyShipments` deciding and writing `batchSize` requests together; with a size of 0
    /// or less, one request at a time with a statement per rule, the way before batches (kept
    /// to measure batches against and to check they change nothing), in the same kind of
    /// transaction: its commit synced, since the file is deleted after it.
    public func applyShipments(_ requests: [ShipmentRequest], channel: String, source: String, at date: Date,
                               batchSize: Int) throws -> [ShipmentOutcome] {
        guard batchSize > 0 else {
            return try writeImport { db in
                var applier = try ShipmentApplier(db, source: source, at: date)
                return try requests.map { try applier.apply($0, channel: channel) }
            }
        }
        return try applyBatches(ShipmentRequestList(requests), channel: channel, source: source, at: date, size: batchSize)
    }

    /// The requests applied `size` at a time (`ShipmentBatchApplier`).
    private func applyBatches(_ requests: ShipmentRequestSource, channel: String, source: String, at date: Date,
                              size: Int) throws -> [ShipmentOutcome] {
        // The batches refer only to orders and shipments read in this transaction or written
        // by it. They are read on a connection of the pool: this transaction holds the write
        // lock, so that connection sees the state as it was when it began.
        let pool = self.pool
        return try writeImport { db in
            try ShipmentBatchApplier(db, source: source, at: date)
                .apply(requests, channel: channel, size: size, reading: { body in try pool.read(body) })
        }
    }

    public func dueShipments(channel: String, now: Date, limit: Int) throws -> [PendingShipment] {
        try pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.*, o.marketplace_id FROM shipment s JOIN orders o ON o.id = s.order_id
                WHERE s.channel = ? AND s.status = 'pending' AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= ?)
                ORDER BY s.id LIMIT ?
                """, arguments: [channel, now, limit])
            return try rows.map { row in
                let id: Int64 = row["id"]
                let orderID: String = row["order_id"]
                let items = try Row.fetchAll(db, sql: """
                    SELECT l.line_id, i.quantity FROM shipment_item i
                    JOIN order_line l ON l.order_id = ? AND l.line_number = i.line_number
                    WHERE i.shipment_id = ? ORDER BY i.line_number
                    """, arguments: [orderID, id]).map { (lineID: $0["line_id"] as String, quantity: $0["quantity"] as Int) }
                let remaining = try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM order_line WHERE order_id = ?
                    AND MAX(quantity_shipped, quantity_shipped_local) + quantity_canceled < quantity_ordered
                    """, arguments: [orderID]) ?? 0
                var shipment = PendingShipment(id: id, orderID: orderID, marketplaceOrderID: row["marketplace_id"],
                                               packageID: row["package_id"], trackingNumber: row["tracking_number"],
                                               carrierCode: row["carrier_code"], shippingDate: row["shipping_date"],
                                               attempts: row["attempts"], items: items, completesOrder: remaining == 0)
                shipment.uncertain = (row["sending_at"] as Date?) != nil
                return shipment
            }
        }
    }

    public func markShipmentSending(id: Int64, at date: Date) throws {
        try write { db in
            try db.execute(sql: "UPDATE shipment SET sending_at = ? WHERE id = ? AND status = 'pending'", arguments: [date, id])
        }
    }

    public func markShipmentConfirmed(id: Int64, at date: Date) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE shipment SET status = 'confirmed', confirmed_at = ?, attempts = attempts + 1, last_error = NULL,
                  next_attempt_at = NULL, sending_at = NULL WHERE id = ?
                """, arguments: [date, id])
        }
    }

    public func markShipmentAttemptFailed(id: Int64, error: String, retryAt: Date?, runID: Int64?, at date: Date) throws {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT s.channel, s.order_id, s.package_id, o.marketplace_id FROM shipment s
                JOIN orders o ON o.id = s.order_id WHERE s.id = ?
                """, arguments: [id]) else { return }
            let channel: String = row["channel"]
            let orderID: String = row["order_id"]
            if let retryAt {
                try db.execute(sql: """
                    UPDATE shipment SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, sending_at = NULL
                    WHERE id = ?
                    """, arguments: [error, retryAt, id])
            } else {
                try db.execute(sql: """
                    UPDATE shipment SET status = 'failed', attempts = attempts + 1, last_error = ?, next_attempt_at = NULL,
                      sending_at = NULL WHERE id = ?
                    """, arguments: [error, id])
                try OrderWriter.recordError(db, channel: channel, orderID: orderID, runID: runID, stage: "confirmation",
                                            message: error, at: date)
                let marketplaceID: String = row["marketplace_id"]
                let package: String = row["package_id"]
                try OrderWriter.alert(db, channel: channel, kind: "push-failed",
                                      message: "the shipment of package \(package) of order \(marketplaceID) could not be confirmed: \(error)",
                                      runID: runID, at: date)
            }
        }
    }

    public func orders(_ filter: OrderFilter) throws -> (orders: [OrderSummary], total: Int) {
        try pool.read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if !filter.statuses.isEmpty {
                conditions.append("status IN (\(filter.statuses.map { "'\($0.rawValue)'" }.sorted().joined(separator: ",")))")
            }
            if !filter.channels.isEmpty {
                conditions.append("channel IN (\(Array(repeating: "?", count: filter.channels.count).joined(separator: ",")))")
                arguments += filter.channels.sorted()
            }
            if !filter.marketplaces.isEmpty {
                conditions.append("marketplace IN (\(Array(repeating: "?", count: filter.marketplaces.count).joined(separator: ",")))")
                arguments += filter.marketplaces.sorted()
            }
            if let from = filter.receivedFrom { conditions.append("received_at >= ?"); arguments.append(from) }
            if let before = filter.receivedBefore { conditions.append("received_at < ?"); arguments.append(before) }
            if let errors = filter.hasErrors { conditions.append(errors ? "error_count > 0" : "error_count = 0") }
            if let search = filter.search, !search.isEmpty {
                conditions.append("(marketplace_id = ? OR id = ? OR marketplace_id LIKE ? ESCAPE '\\')")
                let escaped = search.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_")
                arguments += [search, search.lowercased(), escaped + "%"]
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM orders \(whereClause)",
                                         arguments: StatementArguments(arguments)) ?? 0
            // The internal id last: orders that tie keep one order from page to page.
            let order = switch filter.sort {
            case .purchaseDate: "purchase_date DESC, marketplace_id, id"
            case .errors: "error_count DESC, purchase_date DESC, marketplace_id, id"
            }
            // SQLite takes an OFFSET only after a LIMIT (-1: none).
            var limit = filter.limit.map { " LIMIT \($0)" } ?? ""
            if filter.offset > 0 { limit += (filter.limit == nil ? " LIMIT -1" : "") + " OFFSET \(filter.offset)" }
            let rows = try Row.fetchAll(db, sql: """
                SELECT o.*, (SELECT COUNT(*) FROM order_line l WHERE l.order_id = o.id) AS line_count
                FROM orders o \(whereClause) ORDER BY \(order)\(limit)
                """, arguments: StatementArguments(arguments))
            return (rows.map { row in
                OrderSummary(id: row["id"], channel: row["channel"], marketplace: row["marketplace"],
                             marketplaceID: row["marketplace_id"], status: row["status"], rawStatus: row["raw_status"],
                             fulfilledBy: row["fulfilled_by"], purchaseDate: row["purchase_date"], receivedAt: row["received_at"],
                             total: row["total"], currency: row["currency"], lines: row["line_count"],
                             errors: row["error_count"], cancellationRequested: (row["cancel_requested"] as Int) != 0)
            }, total)
        }
    }

    public func orderDetail(_ reference: String) throws -> [OrderDetail] {
        try pool.read { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM orders WHERE id = ? OR marketplace_id = ? ORDER BY channel
                """), arguments: [reference.lowercased(), reference])
            return try rows.map { row in
                var stored = OrderRows.stored(row)
                stored.order.lines = try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT * FROM order_line WHERE order_id = ? ORDER BY line_number
                    """), arguments: [stored.id]).compactMap(OrderRows.line)
                let shipments = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM shipment WHERE order_id = ? ORDER BY id"),
                                                 arguments: [stored.id]).map { shipment in
                    let items = try Row.fetchAll(db.cachedStatement(sql: """
                        SELECT line_number, quantity FROM shipment_item WHERE shipment_id = ? ORDER BY line_number
                        """), arguments: [shipment["id"] as Int64]).map {
                        OrderDetail.Shipment.Item(lineNumber: $0["line_number"], quantity: $0["quantity"])
                    }
                    return OrderDetail.Shipment(id: shipment["id"], packageID: shipment["package_id"],
                                                trackingNumber: shipment["tracking_number"], carrierCode: shipment["carrier_code"],
                                                shippingDate: shipment["shipping_date"], source: shipment["source"],
                                                status: shipment["status"], attempts: shipment["attempts"],
                                                lastError: shipment["last_error"], confirmedAt: shipment["confirmed_at"],
                                                items: items)
                }
                let events = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM order_event WHERE order_id = ? ORDER BY id"),
                                              arguments: [stored.id]).map {
                    OrderDetail.Event(kind: $0["kind"], reference: $0["reference"], detail: $0["detail"], at: $0["at"])
                }
                let errors = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM order_error WHERE order_id = ? ORDER BY id"),
                                              arguments: [stored.id]).map {
                    OrderDetail.OrderError(stage: $0["stage"], message: $0["message"], runID: $0["run_id"], at: $0["at"])
                }
                return OrderDetail(stored: stored, shipments: shipments, events: events, errors: errors)
            }
        }
    }

    public func raiseAlert(channel: String, kind: String, message: String, runID: Int64?, at date: Date) throws {
        try write { db in try OrderWriter.alert(db, channel: channel, kind: kind, message: message, runID: runID, at: date) }
    }

    public func undeliveredAlerts(limit: Int) throws -> [AlertEvent] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM event WHERE delivered = 0 ORDER BY id LIMIT ?", arguments: [limit]).map {
                AlertEvent(id: $0["id"], channel: $0["channel"], kind: $0["kind"], message: $0["message"], runID: $0["run_id"],
                           at: $0["at"])
            }
        }
    }

    public func markAlertsDelivered(ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        try write { db in
            try db.execute(sql: "UPDATE event SET delivered = 1 WHERE id IN (\(ids.map(String.init).joined(separator: ",")))")
        }
    }
}
