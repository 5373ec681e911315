import Foundation
import SyndicCore

/// Applies reported shipments in batches inside the caller's transaction, on PostgreSQL: per
/// batch, five queries read what the rules need (requests recorded before, the orders named,
/// their lines, the shipments holding each request's package), `ShipmentBatch` decides every
/// request in order, and multi-row statements write the outcome — a round trip per statement,
/// not ten per request. The twin of `ShipmentBatchApplier`; the state and outcomes are those
/// `PGShipmentApplier` gives one request at a time.
struct PGShipmentBatchApplier {
    /// Rows per multi-row statement: at most 9 parameters each, far under PostgreSQL's 65,535.
    private static let rowsPerStatement = 500
    /// Where PostgreSQL's dates start (its timestamps count microseconds from there).
    private static let epoch2000 = Date(timeIntervalSince1970: 946_684_800)

    private let session: PGSession
    private let source: String
    private let date: Date

    init(_ session: PGSession, source: String, at date: Date) {
        self.session = session
        self.source = source
        self.date = date
    }

    /// Applies `requests` to their orders in `channel`, `size` at a time; one outcome per request.
    func apply(_ requests: [ShipmentRequest], channel: String, size: Int) throws -> [ShipmentOutcome] {
        var outcomes: [ShipmentOutcome] = []
        outcomes.reserveCapacity(requests.count)
        var start = 0
        while start < requests.count {
            let end = min(requests.count, start + max(1, size))
            outcomes += try applyBatch(Array(requests[start..<end]), channel: channel)
            start = end
        }
        return outcomes
    }

    /// A shipping date as the state compares it: the microseconds a `timestamptz` parameter
    /// carries (whole microseconds since 2000, cut as the driver cuts them).
    static func dateKey(_ date: Date) -> String {
        String(Int64(date.timeIntervalSince(epoch2000) * 1_000_000))
    }

    private func applyBatch(_ requests: [ShipmentRequest], channel: String) throws -> [ShipmentOutcome] {
        let keys = requests.map(\.identity)
        var batch = ShipmentBatch(channel: channel, seen: try seenKeys(keys, channel: channel),
                                  orders: try orders(of: requests, channel: channel))
        let dateKeys = requests.map { Self.dateKey($0.shippingDate) }
        let stored = try storedShipments(requests, batch: batch)
        for (position, request) in requests.enumerated() {
            batch.decide(request, key: keys[position], dateKey: dateKeys[position], stored: stored[position] ?? [])
        }
        guard batch.applied > 0 else { return batch.outcomes(newIDs: []) }
        let newIDs = try insertShipments(batch.newShipments, channel: channel)
        try insertItems(batch.items, newIDs: newIDs, channel: channel)
        try updateLines(batch.changedLines)
        let firstSequence = try ChangeSequence.reserve(session, batch.applied)
        try updateOrders(batch.changedOrders, firstSequence: firstSequence)
        try recordRequests(batch.recorded, newIDs: newIDs, channel: channel)
        return batch.outcomes(newIDs: newIDs)
    }

    /// `count` comma-separated groups of the placeholders `group` (without parentheses).
    private static func groups(_ count: Int, _ group: String) -> String {
        Array(repeating: "(" + group + ")", count: count).joined(separator: ", ")
    }

    /// Runs `body` on consecutive slices of `rows` of at most `rowsPerStatement`.
    private func sliced<Element>(_ rows: [Element], _ body: (ArraySlice<Element>) throws -> Void) rethrows {
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + Self.rowsPerStatement)
            try body(rows[start..<end])
            start = end
        }
    }

    // MARK: - Reading

    /// The keys among `keys` of requests recorded before.
    private func seenKeys(_ keys: [String], channel: String) throws -> Set<String> {
        var seen = Set<String>()
        try sliced(keys) { slice in
            var binds: [(any PGBind)?] = [channel]
            for key in slice { binds.append(key) }
            for row in try session.rows("""
                SELECT request_key FROM shipment_request WHERE channel = ? AND request_key IN (\(MultiRowStatement.marks(slice.count)))
                """, binds) {
                seen.insert(try row.get(0, as: String.self))
            }
        }
        return seen
    }

    /// The orders of `channel` the requests name, with their lines.
    private func orders(of requests: [ShipmentRequest], channel: String) throws -> [ShipmentBatch.Order] {
        var internalIDs: [String] = [], marketplaceIDs: [String] = []
        var seenInternal = Set<String>(), seenMarketplace = Set<String>()
        for request in requests {
            switch request.order {
            case .internalID(let id):
                let stored = ShipmentBatch.storedInternalID(id)
                if seenInternal.insert(stored).inserted { internalIDs.append(stored) }
            case .marketplaceID(let id):
                if seenMarketplace.insert(id).inserted { marketplaceIDs.append(id) }
            }
        }
        var orders: [ShipmentBatch.Order] = []
        var read = Set<String>()
        for (column, ids) in [("marketplace_id", marketplaceIDs), ("id", internalIDs)] {
            try sliced(ids) { slice in
                var binds: [(any PGBind)?] = [channel]
                for id in slice { binds.append(id) }
                let rows = try session.rows("""
                    SELECT id, marketplace, marketplace_id, status, fulfilled_by FROM orders
                    WHERE channel = ? AND \(column) IN (\(MultiRowStatement.marks(slice.count)))
                    """, binds)
                for row in rows {
                    let id: String = try row.get("id")
                    guard read.insert(id).inserted else { continue }
                    orders.append(try ShipmentBatch.Order(
                        id: id, marketplace: row.get("marketplace"), marketplaceID: row.get("marketplace_id"),
                        status: OrderStatus(rawValue: row.get("status", as: String.self)) ?? .unknown,
                        fulfilledBy: row.get("fulfilled_by", as: String?.self), lines: []))
                }
            }
        }
        var lines: [String: [ShipmentBatch.Line]] = [:]
        try sliced(orders.map(\.id)) { slice in
            var binds: [(any PGBind)?] = []
            for id in slice { binds.append(id) }
            let rows = try session.rows("""
                SELECT order_id, line_number, line_id, quantity_ordered, quantity_canceled, quantity_shipped,
                  quantity_shipped_local
                FROM order_line WHERE order_id IN (\(MultiRowStatement.marks(slice.count))) ORDER BY order_id, line_number
                """, binds)
            for row in rows {
                let orderID: String = try row.get("order_id")
                lines[orderID, default: []].append(try ShipmentBatch.Line(
                    number: row.get("line_number"), lineID: row.get("line_id"), ordered: row.get("quantity_ordered"),
                    canceled: row.get("quantity_canceled"), shippedByMarketplace: row.get("quantity_shipped"),
                    shippedLocally: row.get("quantity_shipped_local")))
            }
        }
        for index in orders.indices { orders[index].lines = lines[orders[index].id] ?? [] }
        return orders
    }

    /// Per request (by position) whose order was read, the stored shipments of its order with
    /// its package id that have not failed, oldest first, each telling whether it is the
    /// request's own (pending, same tracking number, carrier and date, compared here).
    private func storedShipments(_ requests: [ShipmentRequest],
                                 batch: ShipmentBatch) throws -> [Int: [ShipmentBatch.StoredShipment]] {
        var named: [(position: Int, orderID: String)] = []
        for (position, request) in requests.enumerated() {
            if let orderID = batch.orderID(of: request.order) { named.append((position, orderID)) }
        }
        var stored: [Int: [ShipmentBatch.StoredShipment]] = [:]
        try sliced(named) { slice in
            var binds: [(any PGBind)?] = []
            for (position, orderID) in slice {
                let request = requests[position]
                binds += [position, orderID, request.packageID, request.trackingNumber, request.carrierCode,
                          request.shippingDate]
            }
            let rows = try session.rows("""
                WITH r(request_index, order_id, package_id, tracking_number, carrier_code, shipping_date) AS (
                  VALUES \(Self.groups(slice.count, "?::bigint, ?::text, ?::text, ?::text, ?::text, ?::timestamptz")))
                SELECT r.request_index AS request_index, s.id AS id, s.tracking_number AS tracking_number,
                  (s.status = 'pending' AND s.tracking_number IS NOT DISTINCT FROM r.tracking_number
                   AND s.carrier_code IS NOT DISTINCT FROM r.carrier_code AND s.shipping_date = r.shipping_date) AS same
                FROM r JOIN shipment s ON s.order_id = r.order_id AND s.package_id = r.package_id
                WHERE s.status != 'failed'
                ORDER BY r.request_index, s.id
                """, binds)
            for row in rows {
                let position: Int = try row.get("request_index")
                stored[position, default: []].append(try ShipmentBatch.StoredShipment(
                    id: row.get("id"), trackingNumber: row.get("tracking_number", as: String?.self),
                    isSame: row.get("same")))
            }
        }
        return stored
    }

    // MARK: - Writing

    /// Inserts the new shipments; returns their ids, taken from the table's identity sequence
    /// in one round trip (in increasing order, as one insert at a time takes them).
    private func insertShipments(_ shipments: [ShipmentBatch.NewShipment], channel: String) throws -> [Int64] {
        guard !shipments.isEmpty else { return [] }
        let ids = try session.rows("""
            SELECT nextval(pg_get_serial_sequence('shipment', 'id')) FROM generate_series(1, ?)
            """, [shipments.count]).map { try $0.get(0, as: Int64.self) }.sorted()
        guard ids.count == shipments.count else {
            throw PGError(message: "the shipment sequence gave \(ids.count) ids for \(shipments.count) shipments",
                          sqlState: nil, detail: nil)
        }
        try sliced(Array(zip(ids, shipments))) { slice in
            var binds: [(any PGBind)?] = []
            for (id, shipment) in slice {
                let request = shipment.request
                binds += [id, channel, shipment.orderID, request.packageID, request.trackingNumber, request.carrierCode,
                          request.shippingDate, source, date]
            }
            try session.execute("""
                INSERT INTO shipment (id, channel, order_id, package_id, tracking_number, carrier_code, shipping_date, source,
                  created_at, status) VALUES \(Self.groups(slice.count, "?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending'"))
                """, binds)
        }
        return ids
    }

    /// Adds the items' units to their shipments.
    private func insertItems(_ items: [ShipmentBatch.Item], newIDs: [Int64], channel: String) throws {
        try sliced(items) { slice in
            var binds: [(any PGBind)?] = []
            for item in slice {
                binds += [ShipmentBatch.id(of: item.shipment, newIDs: newIDs), channel, item.lineNumber, item.quantity]
            }
            try session.execute("""
                INSERT INTO shipment_item (shipment_id, channel, line_number, quantity)
                VALUES \(Self.groups(slice.count, "?, ?, ?, ?"))
                ON CONFLICT (shipment_id, line_number) DO UPDATE SET quantity = shipment_item.quantity + excluded.quantity
                """, binds)
        }
    }

    /// Sets the lines' quantities reported shipped.
    private func updateLines(_ lines: [ShipmentBatch.ChangedLine]) throws {
        try sliced(lines) { slice in
            var binds: [(any PGBind)?] = []
            for line in slice { binds += [line.orderID, line.lineNumber, line.shippedLocally] }
            try session.execute("""
                WITH v(order_id, line_number, shipped) AS (VALUES \(Self.groups(slice.count, "?::text, ?::bigint, ?::bigint")))
                UPDATE order_line SET quantity_shipped_local = v.shipped FROM v
                WHERE order_line.order_id = v.order_id AND order_line.line_number = v.line_number
                """, binds)
        }
    }

    /// Sets the orders' statuses, marks them shipped here, and gives each the change number of
    /// the last request that changed it (the batch's numbers start at `firstSequence`).
    private func updateOrders(_ orders: [ShipmentBatch.ChangedOrder], firstSequence: Int64) throws {
        try sliced(orders) { slice in
            var binds: [(any PGBind)?] = []
            for order in slice {
                binds += [order.id, order.status.rawValue, firstSequence + Int64(order.appliedPosition) - 1]
            }
            binds.append(date)
            try session.execute("""
                WITH v(id, status, change_seq) AS (VALUES \(Self.groups(slice.count, "?::text, ?::text, ?::bigint")))
                UPDATE orders SET status = v.status, local_shipped = 1, updated_at = ?, change_seq = v.change_seq FROM v
                WHERE orders.id = v.id
                """, binds)
        }
    }

    /// Records the applied requests, so that they ship nothing again.
    private func recordRequests(_ requests: [ShipmentBatch.RecordedRequest], newIDs: [Int64], channel: String) throws {
        try sliced(requests) { slice in
            var binds: [(any PGBind)?] = []
            for request in slice { binds += [channel, request.key, ShipmentBatch.id(of: request.shipment, newIDs: newIDs)] }
            try session.execute("""
                INSERT INTO shipment_request (channel, request_key, shipment_id) VALUES \(Self.groups(slice.count, "?, ?, ?"))
                """, binds)
        }
    }
}

extension ChangeSequence {
    /// The first of `count` consecutive numbers taken at once inside the caller's transaction
    /// (a batch of changes), under the counter row's lock like `next`.
    static func reserve(_ session: PGSession, _ count: Int) throws -> Int64 {
        guard let value = try session.value("UPDATE counter SET value = value + ? WHERE name = ? RETURNING value",
                                            [count, name], as: Int64.self) else {
            throw PGError(message: "the order change counter is missing", sqlState: nil, detail: nil)
        }
        return value - Int64(count) + 1
    }
}
