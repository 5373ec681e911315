import Foundation
import GRDB
import SyndicCore

/// Applies reported shipments in batches inside the caller's transaction. Per batch, five
/// queries read what the rules need (requests recorded before, the orders named, their lines,
/// the shipments holding each request's package), `ShipmentBatch` decides every request in
/// order, and multi-row statements write the outcome: new shipments, their items, the lines'
/// quantities, the orders with a block of change numbers, the requests recorded. The state
/// and outcomes are those `ShipmentApplier` gives one request at a time.
///
/// Every statement is prepared once per connection and reused by the following batches: the
/// multi-row ones take a few fixed shapes (`MultiRowStatement`), their values are bound as
/// they are stored, and each shipping date is written once as the text the state keeps
/// (`StoredDateText`).
struct ShipmentBatchApplier {
    /// Requests decided and written together.
    static let defaultSize = 500

    private let db: Database
    private let source: DatabaseValue
    /// The moment of the import as stored, converted once.
    private let stamp: DatabaseValue

    init(_ db: Database, source: String, at date: Date) {
        self.db = db
        self.source = source.databaseValue
        stamp = date.databaseValue
    }

    /// Applies `requests` to their orders in `channel`, `size` at a time; one outcome per request.
    func apply(_ requests: [ShipmentRequest], channel: String, size: Int = defaultSize) throws -> [ShipmentOutcome] {
        var outcomes: [ShipmentOutcome] = []
        outcomes.reserveCapacity(requests.count)
        let dates = Self.storedDates(of: requests)
        var start = 0
        while start < requests.count {
            let end = min(requests.count, start + max(1, size))
            outcomes += try applyBatch(Array(requests[start..<end]), dates: Array(dates[start..<end]), channel: channel)
            start = end
        }
        return outcomes
    }

    /// Each request's shipping date as the state stores it; a date equal to the one before
    /// (a file's rows mostly share a few) is not written again.
    static func storedDates(of requests: [ShipmentRequest]) -> [String] {
        var texts: [String] = []
        texts.reserveCapacity(requests.count)
        var last: (date: Date, text: String)?
        for request in requests {
            if let last, last.date == request.shippingDate {
                texts.append(last.text)
            } else {
                let text = StoredDateText.text(request.shippingDate)
                last = (request.shippingDate, text)
                texts.append(text)
            }
        }
        return texts
    }

    /// Decides and writes one batch; `dates` are its requests' shipping dates as stored.
    private func applyBatch(_ requests: [ShipmentRequest], dates: [String], channel: String) throws -> [ShipmentOutcome] {
        let keys = requests.map(\.identity)
        let channelValue = channel.databaseValue
        var batch = ShipmentBatch(channel: channel, seen: try seenKeys(keys, channel: channelValue),
                                  orders: try orders(of: requests, channel: channelValue))
        let stored = try storedShipments(requests, dates: dates, batch: batch)
        for position in requests.indices {
            batch.decide(requests[position], key: keys[position], dateKey: dates[position], stored: stored[position])
        }
        guard batch.applied > 0 else { return batch.outcomes(newIDs: []) }
        let newIDs = try insertShipments(batch.newShipments, channel: channelValue)
        try insertItems(batch.items, newIDs: newIDs, channel: channelValue)
        try updateLines(batch.changedLines)
        let firstSequence = try ChangeSequence.reserve(db, batch.applied)
        try updateOrders(batch.changedOrders, firstSequence: firstSequence)
        try recordRequests(batch.recorded, newIDs: newIDs, channel: channelValue)
        return batch.outcomes(newIDs: newIDs)
    }

    // MARK: - Statements

    private static let seenKeysStatement = MultiRowStatement(width: 1) { count in
        "SELECT request_key FROM shipment_request WHERE channel = ? AND request_key IN (\(MultiRowStatement.marks(count)))"
    }

    private static let ordersByMarketplaceIDStatement = MultiRowStatement(width: 1) { count in
        ShipmentBatchApplier.ordersSQL(column: "marketplace_id", count)
    }

    private static let ordersByIDStatement = MultiRowStatement(width: 1) { count in
        ShipmentBatchApplier.ordersSQL(column: "id", count)
    }

    /// The orders of a channel (the first value) among `count` values of `column`.
    private static func ordersSQL(column: String, _ count: Int) -> String {
        """
        SELECT id, marketplace, marketplace_id, status, fulfilled_by FROM orders
        WHERE channel = ? AND \(column) IN (\(MultiRowStatement.marks(count)))
        """
    }

    private static let linesStatement = MultiRowStatement(width: 1) { count in
        """
        SELECT order_id, line_number, line_id, quantity_ordered, quantity_canceled, quantity_shipped,
          quantity_shipped_local
        FROM order_line WHERE order_id IN (\(MultiRowStatement.marks(count))) ORDER BY order_id, line_number
        """
    }

    private static let storedShipmentsStatement = MultiRowStatement(width: 6) { count in
        """
        WITH r(request_index, order_id, package_id, tracking_number, carrier_code, shipping_date) AS (
          VALUES \(MultiRowStatement.groups(count, width: 6)))
        SELECT r.request_index AS request_index, s.id AS id, s.tracking_number AS tracking_number,
          (s.status = 'pending' AND s.tracking_number IS r.tracking_number AND s.carrier_code IS r.carrier_code
           AND s.shipping_date = r.shipping_date) AS same
        FROM r CROSS JOIN shipment s ON s.order_id = r.order_id AND s.package_id = r.package_id
        WHERE s.status != 'failed'
        ORDER BY r.request_index, s.id
        """
    }

    private static let insertShipmentsStatement = MultiRowStatement(width: 9) { count in
        """
        INSERT INTO shipment (id, channel, order_id, package_id, tracking_number, carrier_code, shipping_date, source,
          created_at, status) VALUES \(MultiRowStatement.groups(count, width: 9, constants: ", 'pending'"))
        """
    }

    private static let insertItemsStatement = MultiRowStatement(width: 4) { count in
        """
        INSERT INTO shipment_item (shipment_id, channel, line_number, quantity) VALUES \(MultiRowStatement.groups(count, width: 4))
        ON CONFLICT (shipment_id, line_number) DO UPDATE SET quantity = quantity + excluded.quantity
        """
    }

    private static let recordRequestsStatement = MultiRowStatement(width: 3) { count in
        """
        INSERT INTO shipment_request (channel, request_key, shipment_id) VALUES \(MultiRowStatement.groups(count, width: 3))
        """
    }

    // MARK: - Reading

    /// The keys among `keys` of requests recorded before.
    private func seenKeys(_ keys: [String], channel: DatabaseValue) throws -> Set<String> {
        var seen = Set<String>()
        try Self.seenKeysStatement.run(db, count: keys.count, leading: [channel], values: { index, values in
            values.append(keys[index].databaseValue)
        }) { statement in
            let found = try String.fetchCursor(statement)
            while let key = try found.next() { seen.insert(key) }
        }
        return seen
    }

    /// The orders of `channel` the requests name, with their lines.
    private func orders(of requests: [ShipmentRequest], channel: DatabaseValue) throws -> [ShipmentBatch.Order] {
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
        // Each order read, by id: its position in `orders`.
        var positions: [String: Int] = [:]
        for (shape, ids) in [(Self.ordersByMarketplaceIDStatement, marketplaceIDs), (Self.ordersByIDStatement, internalIDs)] {
            try shape.run(db, count: ids.count, leading: [channel], values: { index, values in
                values.append(ids[index].databaseValue)
            }) { statement in
                let rows = try Row.fetchCursor(statement)
                while let row = try rows.next() {
                    let id: String = row[0]
                    guard positions[id] == nil else { continue }
                    positions[id] = orders.count
                    orders.append(ShipmentBatch.Order(id: id, marketplace: row[1], marketplaceID: row[2],
                                                      status: OrderStatus(rawValue: row[3]) ?? .unknown,
                                                      fulfilledBy: row[4], lines: []))
                }
            }
        }
        let orderIDs = orders.map(\.id)
        try Self.linesStatement.run(db, count: orderIDs.count, values: { index, values in
            values.append(orderIDs[index].databaseValue)
        }) { statement in
            let rows = try Row.fetchCursor(statement)
            while let row = try rows.next() {
                guard let position = positions[row[0] as String] else { continue }
                orders[position].lines.append(ShipmentBatch.Line(
                    number: row[1], lineID: row[2], ordered: row[3], canceled: row[4], shippedByMarketplace: row[5],
                    shippedLocally: row[6]))
            }
        }
        return orders
    }

    /// Per request (by position), the stored shipments of its order (when it was read) with
    /// its package id that have not failed, oldest first, each telling whether it is the
    /// request's own (pending, same tracking number, carrier and date: compared here as the
    /// state keeps them; `dates` are the requests' shipping dates as stored).
    private func storedShipments(_ requests: [ShipmentRequest], dates: [String],
                                 batch: ShipmentBatch) throws -> [[ShipmentBatch.StoredShipment]] {
        var named: [(position: Int, orderID: String)] = []
        for (position, request) in requests.enumerated() {
            if let orderID = batch.orderID(of: request.order) { named.append((position, orderID)) }
        }
        var stored = [[ShipmentBatch.StoredShipment]](repeating: [], count: requests.count)
        try Self.storedShipmentsStatement.run(db, count: named.count, values: { index, values in
            let (position, orderID) = named[index]
            let request = requests[position]
            values.append(position.databaseValue)
            values.append(orderID.databaseValue)
            values.append(request.packageID.databaseValue)
            values.append(request.trackingNumber.databaseValue)
            values.append(request.carrierCode.databaseValue)
            values.append(dates[position].databaseValue)
        }) { statement in
            let rows = try Row.fetchCursor(statement)
            while let row = try rows.next() {
                let position: Int = row[0]
                stored[position].append(ShipmentBatch.StoredShipment(id: row[1], trackingNumber: row[2], isSame: row[3]))
            }
        }
        return stored
    }

    // MARK: - Writing

    /// Inserts the new shipments; returns their ids. They take the ids one insert at a time
    /// would give: after the highest id ever given (the table is AUTOINCREMENT).
    private func insertShipments(_ shipments: [ShipmentBatch.NewShipment], channel: DatabaseValue) throws -> [Int64] {
        guard !shipments.isEmpty else { return [] }
        let last = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'shipment'), 0),
                       COALESCE((SELECT MAX(id) FROM shipment), 0))
            """)) ?? 0
        let ids = shipments.indices.map { last + Int64($0) + 1 }
        try Self.insertShipmentsStatement.run(db, count: shipments.count, values: { index, values in
            let shipment = shipments[index]
            let request = shipment.request
            values.append(ids[index].databaseValue)
            values.append(channel)
            values.append(shipment.orderID.databaseValue)
            values.append(request.packageID.databaseValue)
            values.append(request.trackingNumber.databaseValue)
            values.append(request.carrierCode.databaseValue)
            values.append(shipment.dateKey.databaseValue)
            values.append(source)
            values.append(stamp)
        }) { try $0.execute() }
        return ids
    }

    /// Adds the items' units to their shipments.
    private func insertItems(_ items: [ShipmentBatch.Item], newIDs: [Int64], channel: DatabaseValue) throws {
        try Self.insertItemsStatement.run(db, count: items.count, values: { index, values in
            let item = items[index]
            values.append(ShipmentBatch.id(of: item.shipment, newIDs: newIDs).databaseValue)
            values.append(channel)
            values.append(item.lineNumber.databaseValue)
            values.append(item.quantity.databaseValue)
        }) { try $0.execute() }
    }

    /// Sets the lines' quantities reported shipped: one cached statement run per line, each a
    /// primary-key lookup (an `UPDATE … FROM` a list of values lets SQLite's planner scan the
    /// whole table for every batch).
    private func updateLines(_ lines: [ShipmentBatch.ChangedLine]) throws {
        let statement = try db.cachedStatement(sql: """
            UPDATE order_line SET quantity_shipped_local = ? WHERE order_id = ? AND line_number = ?
            """)
        for line in lines {
            let values: [DatabaseValue] = [line.shippedLocally.databaseValue, line.orderID.databaseValue,
                                           line.lineNumber.databaseValue]
            statement.bind(values)
            try statement.execute()
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
            let values: [DatabaseValue] = [order.status.rawValue.databaseValue, stamp,
                                           (firstSequence + Int64(order.appliedPosition) - 1).databaseValue,
                                           order.id.databaseValue]
            statement.bind(values)
            try statement.execute()
        }
    }

    /// Records the applied requests, so that they ship nothing again.
    private func recordRequests(_ requests: [ShipmentBatch.RecordedRequest], newIDs: [Int64],
                                channel: DatabaseValue) throws {
        try Self.recordRequestsStatement.run(db, count: requests.count, values: { index, values in
            let request = requests[index]
            values.append(channel)
            values.append(request.key.databaseValue)
            values.append(ShipmentBatch.id(of: request.shipment, newIDs: newIDs).databaseValue)
        }) { try $0.execute() }
    }
}
