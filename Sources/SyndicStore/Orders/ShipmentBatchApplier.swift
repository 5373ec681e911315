import Foundation
import GRDB
import SyndicCore

/// Applies reported shipments in batches inside the caller's transaction. Per batch, five
/// queries read what the rules need (requests recorded before, the orders named, their lines,
/// the shipments holding each request's package), `ShipmentBatch` decides every request in
/// order, and multi-row statements write the outcome: new shipments, their items, the lines'
/// quantities, the orders with a block of change numbers, the requests recorded. The state
/// and outcomes are those `ShipmentApplier` gives one request at a time.
struct ShipmentBatchApplier {
    /// Requests decided and written together.
    static let defaultSize = 500
    /// Rows per multi-row statement: at most 9 parameters each, far under SQLite's 32,766.
    private static let rowsPerStatement = 500

    private let db: Database
    private let source: String
    /// The moment of the import as stored, converted once.
    private let stamp: DatabaseValue

    init(_ db: Database, source: String, at date: Date) {
        self.db = db
        self.source = source
        stamp = date.databaseValue
    }

    /// Applies `requests` to their orders in `channel`, `size` at a time; one outcome per request.
    func apply(_ requests: [ShipmentRequest], channel: String, size: Int = defaultSize) throws -> [ShipmentOutcome] {
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

    private func applyBatch(_ requests: [ShipmentRequest], channel: String) throws -> [ShipmentOutcome] {
        let keys = requests.map(\.identity)
        var batch = ShipmentBatch(channel: channel, seen: try seenKeys(keys, channel: channel),
                                  orders: try orders(of: requests, channel: channel))
        let dateKeys = requests.map { String.fromDatabaseValue($0.shippingDate.databaseValue) ?? "" }
        let stored = try storedShipments(requests, batch: batch)
        for (position, request) in requests.enumerated() {
            batch.decide(request, key: keys[position], dateKey: dateKeys[position], stored: stored[position] ?? [])
        }
        guard batch.applied > 0 else { return batch.outcomes(newIDs: []) }
        let newIDs = try insertShipments(batch.newShipments, channel: channel)
        try insertItems(batch.items, newIDs: newIDs, channel: channel)
        try updateLines(batch.changedLines)
        let firstSequence = try ChangeSequence.reserve(db, batch.applied)
        try updateOrders(batch.changedOrders, firstSequence: firstSequence)
        try recordRequests(batch.recorded, newIDs: newIDs, channel: channel)
        return batch.outcomes(newIDs: newIDs)
    }

    /// `count` comma-separated groups of `width` placeholders and `constants`: `(?, ?), (?, ?)`.
    static func groups(_ count: Int, width: Int, constants: String = "") -> String {
        let group = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + constants + ")"
        return Array(repeating: group, count: count).joined(separator: ", ")
    }

    /// `count` comma-separated placeholders.
    static func marks(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
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
            var arguments: [(any DatabaseValueConvertible)?] = [channel]
            for key in slice { arguments.append(key) }
            let found = try String.fetchAll(db, sql: """
                SELECT request_key FROM shipment_request WHERE channel = ? AND request_key IN (\(Self.marks(slice.count)))
                """, arguments: StatementArguments(arguments))
            seen.formUnion(found)
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
                if seenInternal.insert(id.lowercased()).inserted { internalIDs.append(id.lowercased()) }
            case .marketplaceID(let id):
                if seenMarketplace.insert(id).inserted { marketplaceIDs.append(id) }
            }
        }
        var orders: [ShipmentBatch.Order] = []
        var read = Set<String>()
        for (column, ids) in [("marketplace_id", marketplaceIDs), ("id", internalIDs)] {
            try sliced(ids) { slice in
                var arguments: [(any DatabaseValueConvertible)?] = [channel]
                for id in slice { arguments.append(id) }
                let rows = try Row.fetchAll(db, sql: """
                    SELECT id, marketplace, marketplace_id, status, fulfilled_by FROM orders
                    WHERE channel = ? AND \(column) IN (\(Self.marks(slice.count)))
                    """, arguments: StatementArguments(arguments))
                for row in rows where read.insert(row["id"] as String).inserted {
                    orders.append(ShipmentBatch.Order(id: row["id"], marketplace: row["marketplace"],
                                                      marketplaceID: row["marketplace_id"],
                                                      status: OrderStatus(rawValue: row["status"]) ?? .unknown,
                                                      fulfilledBy: row["fulfilled_by"], lines: []))
                }
            }
        }
        var lines: [String: [ShipmentBatch.Line]] = [:]
        try sliced(orders.map(\.id)) { slice in
            var arguments: [(any DatabaseValueConvertible)?] = []
            for id in slice { arguments.append(id) }
            let rows = try Row.fetchAll(db, sql: """
                SELECT order_id, line_number, line_id, quantity_ordered, quantity_canceled, quantity_shipped,
                  quantity_shipped_local
                FROM order_line WHERE order_id IN (\(Self.marks(slice.count))) ORDER BY order_id, line_number
                """, arguments: StatementArguments(arguments))
            for row in rows {
                lines[row["order_id"] as String, default: []].append(ShipmentBatch.Line(
                    number: row["line_number"], lineID: row["line_id"], ordered: row["quantity_ordered"],
                    canceled: row["quantity_canceled"], shippedByMarketplace: row["quantity_shipped"],
                    shippedLocally: row["quantity_shipped_local"]))
            }
        }
        for index in orders.indices { orders[index].lines = lines[orders[index].id] ?? [] }
        return orders
    }

    /// Per request (by position) whose order was read, the stored shipments of its order with
    /// its package id that have not failed, oldest first, each telling whether it is the
    /// request's own (pending, same tracking number, carrier and date: compared here as the
    /// state keeps them).
    private func storedShipments(_ requests: [ShipmentRequest],
                                 batch: ShipmentBatch) throws -> [Int: [ShipmentBatch.StoredShipment]] {
        var named: [(position: Int, orderID: String)] = []
        for (position, request) in requests.enumerated() {
            if let orderID = batch.orderID(of: request.order) { named.append((position, orderID)) }
        }
        var stored: [Int: [ShipmentBatch.StoredShipment]] = [:]
        try sliced(named) { slice in
            var arguments: [(any DatabaseValueConvertible)?] = []
            for (position, orderID) in slice {
                let request = requests[position]
                arguments += [position, orderID, request.packageID, request.trackingNumber, request.carrierCode,
                              request.shippingDate]
            }
            let rows = try Row.fetchAll(db, sql: """
                WITH r(request_index, order_id, package_id, tracking_number, carrier_code, shipping_date) AS (
                  VALUES \(Self.groups(slice.count, width: 6)))
                SELECT r.request_index AS request_index, s.id AS id, s.tracking_number AS tracking_number,
                  (s.status = 'pending' AND s.tracking_number IS r.tracking_number AND s.carrier_code IS r.carrier_code
                   AND s.shipping_date = r.shipping_date) AS same
                FROM r CROSS JOIN shipment s ON s.order_id = r.order_id AND s.package_id = r.package_id
                WHERE s.status != 'failed'
                ORDER BY r.request_index, s.id
                """, arguments: StatementArguments(arguments))
            for row in rows {
                stored[row["request_index"] as Int, default: []].append(ShipmentBatch.StoredShipment(
                    id: row["id"], trackingNumber: row["tracking_number"], isSame: row["same"]))
            }
        }
        return stored
    }

    // MARK: - Writing

    /// Inserts the new shipments; returns their ids. They take the ids one insert at a time
    /// would give: after the highest id ever given (the table is AUTOINCREMENT).
    private func insertShipments(_ shipments: [ShipmentBatch.NewShipment], channel: String) throws -> [Int64] {
        guard !shipments.isEmpty else { return [] }
        let last = try Int64.fetchOne(db, sql: """
            SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'shipment'), 0),
                       COALESCE((SELECT MAX(id) FROM shipment), 0))
            """) ?? 0
        let ids = shipments.indices.map { last + Int64($0) + 1 }
        try sliced(Array(zip(ids, shipments))) { slice in
            var arguments: [(any DatabaseValueConvertible)?] = []
            for (id, shipment) in slice {
                let request = shipment.request
                arguments += [id, channel, shipment.orderID, request.packageID, request.trackingNumber, request.carrierCode,
                              request.shippingDate, source, stamp]
            }
            try db.execute(sql: """
                INSERT INTO shipment (id, channel, order_id, package_id, tracking_number, carrier_code, shipping_date, source,
                  created_at, status) VALUES \(Self.groups(slice.count, width: 9, constants: ", 'pending'"))
                """, arguments: StatementArguments(arguments))
        }
        return ids
    }

    /// Adds the items' units to their shipments.
    private func insertItems(_ items: [ShipmentBatch.Item], newIDs: [Int64], channel: String) throws {
        try sliced(items) { slice in
            var arguments: [(any DatabaseValueConvertible)?] = []
            for item in slice {
                arguments += [ShipmentBatch.id(of: item.shipment, newIDs: newIDs), channel, item.lineNumber, item.quantity]
            }
            try db.execute(sql: """
                INSERT INTO shipment_item (shipment_id, channel, line_number, quantity) VALUES \(Self.groups(slice.count, width: 4))
                ON CONFLICT (shipment_id, line_number) DO UPDATE SET quantity = quantity + excluded.quantity
                """, arguments: StatementArguments(arguments))
        }
    }

    /// Sets the lines' quantities reported shipped: one cached statement run per line, each a
    /// primary-key lookup (an `UPDATE … FROM` a list of values lets SQLite's planner scan the
    /// whole table for every batch).
    private func updateLines(_ lines: [ShipmentBatch.ChangedLine]) throws {
        let statement = try db.cachedStatement(sql: """
            UPDATE order_line SET quantity_shipped_local = ? WHERE order_id = ? AND line_number = ?
            """)
        for line in lines {
            try statement.execute(arguments: [line.shippedLocally, line.orderID, line.lineNumber])
        }
    }

    /// Sets the orders' statuses, marks them shipped here, and gives each the change number of
    /// the last request that changed it (the batch's numbers start at `firstSequence`): one
    /// cached statement run per order, by primary key.
    private func updateOrders(_ orders: [ShipmentBatch.ChangedOrder], firstSequence: Int64) throws {
        let statement = try db.cachedStatement(sql: """
            UPDATE orders SET status = ?, local_shipped = 1, updated_at = ?, change_seq = ? WHERE id = ?
            """)
        for order in orders {
            try statement.execute(arguments: [order.status.rawValue, stamp, firstSequence + Int64(order.appliedPosition) - 1,
                                              order.id])
        }
    }

    /// Records the applied requests, so that they ship nothing again.
    private func recordRequests(_ requests: [ShipmentBatch.RecordedRequest], newIDs: [Int64], channel: String) throws {
        try sliced(requests) { slice in
            var arguments: [(any DatabaseValueConvertible)?] = []
            for request in slice { arguments += [channel, request.key, ShipmentBatch.id(of: request.shipment, newIDs: newIDs)] }
            try db.execute(sql: """
                INSERT INTO shipment_request (channel, request_key, shipment_id) VALUES \(Self.groups(slice.count, width: 3))
                """, arguments: StatementArguments(arguments))
        }
    }
}
