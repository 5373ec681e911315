import Foundation
import GRDB
import SyndicCore

/// Applies reported shipments in batches inside the caller's transaction, on two threads: a
/// `ShipmentBatchReader` on a read connection of its own reads what the rules need and
/// decides each batch (`ShipmentBatch`), up to two batches ahead, while this connection
/// writes the batches decided before with multi-row statements: new shipments, their items,
/// the lines' quantities, the orders with a block of change numbers, the requests recorded.
/// The state and outcomes are those `ShipmentApplier` gives one request at a time.
///
/// Every statement is prepared once per connection and reused by the following batches: the
/// multi-row ones take a few fixed shapes (`MultiRowStatement`), their values are bound as
/// they are stored, and each shipping date is written once as the text the state keeps
/// (`StoredDateText`).
///
/// The caller's transaction may run without SQLite's foreign key checks
/// (`writeImport`): every row written refers to an order the reader read in
/// that transaction's state, or to a shipment read there or inserted by an earlier statement.
struct ShipmentBatchApplier {
    /// Requests decided and written together.
    static let defaultSize = 500

    /// Runs its argument on a read connection of the same database (a read transaction), on
    /// the calling thread.
    typealias Reading = @Sendable (_ body: (Database) throws -> Void) throws -> Void

    private let db: Database
    private let source: DatabaseValue
    /// The moment of the import as stored, converted once.
    private let stamp: DatabaseValue

    init(_ db: Database, source: String, at date: Date) {
        self.db = db
        self.source = source.databaseValue
        stamp = date.databaseValue
    }

    /// Applies the requests `requests` gives to their orders in `channel`, `size` at a time;
    /// one outcome per request. The batches are taken from `requests`, read and decided
    /// through `reading` on another thread (the first batch is taken on this one); this
    /// connection must hold the write transaction since before the call, and have written
    /// nothing the read connection would need to see.
    func apply(_ requests: ShipmentRequestSource, channel: String, size: Int = defaultSize,
               reading: @escaping Reading) throws -> [ShipmentOutcome] {
        let size = max(1, size)
        // Nothing to read: no reader thread, no read connection.
        let first = requests.next(size)
        guard !first.isEmpty else { return [] }
        let decided = ReadAhead<ShipmentBatchReader.Decided>(capacity: 2, name: "shipment-reader") { deliver, _ in
            try reading { readDB in
                var reader = ShipmentBatchReader(readDB, channel: channel)
                var batch = first
                while !batch.isEmpty {
                    guard deliver(try reader.decide(batch, dates: Self.storedDates(of: batch))) else { return }
                    batch = requests.next(size)
                }
            }
        }
        defer { decided.close() }
        var outcomes: [ShipmentOutcome] = []
        let channelValue = channel.databaseValue
        while let batch = try decided.next() {
            try write(batch, channel: channelValue)
            outcomes += batch.outcomes
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

    /// Writes what one batch decided.
    private func write(_ decided: ShipmentBatchReader.Decided, channel: DatabaseValue) throws {
        let batch = decided.batch
        guard batch.applied > 0 else { return }
        try insertShipments(batch.newShipments, ids: decided.newIDs, channel: channel)
        try insertItems(batch.items, newIDs: decided.newIDs, channel: channel)
        try updateLines(batch.changedLines)
        let firstSequence = try ChangeSequence.reserve(db, batch.applied)
        try updateOrders(batch.changedOrders, firstSequence: firstSequence)
        try recordRequests(batch.recorded, newIDs: decided.newIDs, channel: channel)
    }

    // MARK: - Statements

    // The inserts of many rows stop at a failed constraint (`OR FAIL`) rather than undo
    // their own rows (SQLite's default, `ABORT`), which needs a journal of every page the
    // statement changes; any error rolls the whole transaction back anyway. Without foreign
    // key checks nothing else needs that journal, except the items' upsert (its update part
    // may abort): few rows, few pages.

    private static let insertShipmentsStatement = MultiRowStatement(width: 9) { count in
        """
        INSERT OR FAIL INTO shipment (id, channel, order_id, package_id, tracking_number, carrier_code, shipping_date, source,
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
        INSERT OR FAIL INTO shipment_request (channel, request_key, shipment_id) VALUES \(MultiRowStatement.groups(count, width: 3))
        """
    }

    // MARK: - Writing

    /// Inserts the new shipments with the ids the reader gave them: those one insert at a
    /// time would give.
    private func insertShipments(_ shipments: [ShipmentBatch.NewShipment], ids: [Int64], channel: DatabaseValue) throws {
        try Self.insertShipmentsStatement.run(db, count: shipments.count, values: { index, values in
            let shipment = shipments[index]
            let request = shipment.request
            values.append(ids[index])
            values.append(channel)
            values.append(shipment.orderID)
            values.append(request.packageID)
            values.append(request.trackingNumber)
            values.append(request.carrierCode)
            values.append(shipment.dateKey)
            values.append(source)
            values.append(stamp)
        }) { try $0.execute() }
    }

    /// Adds the items' units to their shipments.
    private func insertItems(_ items: [ShipmentBatch.Item], newIDs: [Int64], channel: DatabaseValue) throws {
        try Self.insertItemsStatement.run(db, count: items.count, values: { index, values in
            let item = items[index]
            values.append(ShipmentBatch.id(of: item.shipment, newIDs: newIDs))
            values.append(channel)
            values.append(item.lineNumber)
            values.append(item.quantity)
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
            var parameters = StatementParameters(statement)
            parameters.append(line.shippedLocally)
            parameters.append(line.orderID)
            parameters.append(line.lineNumber)
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
            var parameters = StatementParameters(statement)
            parameters.append(order.status.rawValue)
            parameters.append(stamp)
            parameters.append(firstSequence + Int64(order.appliedPosition) - 1)
            parameters.append(order.id)
            try statement.execute()
        }
    }

    /// Records the applied requests, so that they ship nothing again.
    private func recordRequests(_ requests: [ShipmentBatch.RecordedRequest], newIDs: [Int64],
                                channel: DatabaseValue) throws {
        try Self.recordRequestsStatement.run(db, count: requests.count, values: { index, values in
            let request = requests[index]
            values.append(channel)
            values.append(request.key)
            values.append(ShipmentBatch.id(of: request.shipment, newIDs: newIDs))
        }) { try $0.execute() }
    }
}
