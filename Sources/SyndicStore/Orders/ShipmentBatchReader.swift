import Foundation
import GRDB
import SyndicCore

/// Reads what the rules need for each batch of a shipment file and decides it, on a read
/// connection of its own while the writing connection stores the batches before: the state
/// as it was when the file's transaction began (nothing else can commit while it holds the
/// write lock), overlaid with what the file's earlier batches did, which the writing
/// connection has not committed yet: the orders they shipped some of (statuses and lines),
/// the shipments they started, the requests they recorded. Each batch is thus decided as if
/// its reads came after the earlier batches' writes, and takes the shipment ids the writes
/// will give.
///
/// Per batch, four queries: the requests recorded before, the orders named that no earlier
/// batch shipped, their lines, and the stored shipments holding each request's package.
struct ShipmentBatchReader {
    /// A batch decided: what to write, the ids its new shipments take, each request's outcome.
    struct Decided: Sendable {
        var batch: ShipmentBatch
        var newIDs: [Int64]
        var outcomes: [ShipmentOutcome]
    }

    /// A shipment an earlier batch of the file started (pending until the file is stored):
    /// what tells whether a request is its own.
    private struct Started {
        var id: Int64
        var packageID: String
        var trackingNumber: String?
        var carrierCode: String?
        var dateKey: String
    }

    private let db: Database
    private let channel: String
    private let channelValue: DatabaseValue
    /// The orders earlier batches shipped some of, as they left them, by internal id.
    private var shipped: [String: ShipmentBatch.Order] = [:]
    /// The internal ids of `shipped`, by marketplace id.
    private var shippedByMarketplaceID: [String: String] = [:]
    /// The shipments earlier batches started, by order id, oldest first.
    private var started: [String: [Started]] = [:]
    /// The keys of the requests earlier batches applied.
    private var recorded: Set<String> = []
    /// The id the last shipment took: after the highest ever given (the table is AUTOINCREMENT).
    private var lastID: Int64?

    init(_ db: Database, channel: String) {
        self.db = db
        self.channel = channel
        channelValue = channel.databaseValue
    }

    /// Decides `requests` (`dates`: their shipping dates as stored) after the file's earlier
    /// batches.
    mutating func decide(_ requests: [ShipmentRequest], dates: [String]) throws -> Decided {
        let keys = requests.map(\.identity)
        var batch = ShipmentBatch(channel: channel, seen: try seenKeys(keys), orders: try orders(of: requests))
        let stored = try storedShipments(requests, dates: dates, batch: batch)
        for position in requests.indices {
            batch.decide(requests[position], key: keys[position], dateKey: dates[position], stored: stored[position])
        }
        let newIDs = try takeIDs(batch.newShipments.count)
        remember(batch, newIDs: newIDs)
        return Decided(batch: batch, newIDs: newIDs, outcomes: batch.outcomes(newIDs: newIDs))
    }

    /// What `batch` did, for the batches after it.
    private mutating func remember(_ batch: ShipmentBatch, newIDs: [Int64]) {
        for order in batch.shippedOrders {
            shipped[order.id] = order
            shippedByMarketplaceID[order.marketplaceID] = order.id
        }
        for (position, shipment) in batch.newShipments.enumerated() {
            let request = shipment.request
            started[shipment.orderID, default: []].append(Started(
                id: newIDs[position], packageID: request.packageID, trackingNumber: request.trackingNumber,
                carrierCode: request.carrierCode, dateKey: shipment.dateKey))
        }
        for request in batch.recorded { recorded.insert(request.key) }
    }

    /// `count` new shipment ids, after the last one given.
    private mutating func takeIDs(_ count: Int) throws -> [Int64] {
        guard count > 0 else { return [] }
        let last: Int64
        if let lastID {
            last = lastID
        } else {
            last = try Int64.fetchOne(db.cachedStatement(sql: """
                SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'shipment'), 0),
                           COALESCE((SELECT MAX(id) FROM shipment), 0))
                """)) ?? 0
        }
        lastID = last + Int64(count)
        return (1...count).map { last + Int64($0) }
    }

    // MARK: - Statements

    private static let seenKeysStatement = MultiRowStatement(width: 1) { count in
        "SELECT request_key FROM shipment_request WHERE channel = ? AND request_key IN (\(MultiRowStatement.marks(count)))"
    }

    private static let ordersByMarketplaceIDStatement = MultiRowStatement(width: 1) { count in
        ShipmentBatchReader.ordersSQL(column: "marketplace_id", count)
    }

    private static let ordersByIDStatement = MultiRowStatement(width: 1) { count in
        ShipmentBatchReader.ordersSQL(column: "id", count)
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

    // MARK: - Reading

    /// The keys among `keys` of requests recorded before: stored, or applied by an earlier batch.
    private func seenKeys(_ keys: [String]) throws -> Set<String> {
        var seen = Set<String>()
        for key in keys where recorded.contains(key) { seen.insert(key) }
        try Self.seenKeysStatement.run(db, count: keys.count, leading: [channelValue], values: { index, values in
            values.append(keys[index])
        }) { statement in
            let found = try String.fetchCursor(statement)
            while let key = try found.next() { seen.insert(key) }
        }
        return seen
    }

    /// The orders of the channel the requests name, with their lines: as an earlier batch
    /// left them, or as stored.
    private func orders(of requests: [ShipmentRequest]) throws -> [ShipmentBatch.Order] {
        var orders: [ShipmentBatch.Order] = []
        // Each order taken, by id: its position in `orders`.
        var positions: [String: Int] = [:]
        var internalIDs: [String] = [], marketplaceIDs: [String] = []
        var seenInternal = Set<String>(), seenMarketplace = Set<String>()
        for request in requests {
            let shippedID: String?
            switch request.order {
            case .internalID(let id):
                let stored = ShipmentBatch.storedInternalID(id)
                shippedID = shipped[stored] == nil ? nil : stored
                if shippedID == nil, seenInternal.insert(stored).inserted { internalIDs.append(stored) }
            case .marketplaceID(let id):
                shippedID = shippedByMarketplaceID[id]
                if shippedID == nil, seenMarketplace.insert(id).inserted { marketplaceIDs.append(id) }
            }
            if let shippedID, positions[shippedID] == nil, let order = shipped[shippedID] {
                positions[shippedID] = orders.count
                orders.append(order)
            }
        }
        let firstRead = orders.count
        for (shape, ids) in [(Self.ordersByMarketplaceIDStatement, marketplaceIDs), (Self.ordersByIDStatement, internalIDs)] {
            try shape.run(db, count: ids.count, leading: [channelValue], values: { index, values in
                values.append(ids[index])
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
        let readIDs = orders[firstRead...].map(\.id)
        try Self.linesStatement.run(db, count: readIDs.count, values: { index, values in
            values.append(readIDs[index])
        }) { statement in
            let rows = try Row.fetchCursor(statement)
            while let row = try rows.next() {
                guard let position = positions[row[0] as String], position >= firstRead else { continue }
                orders[position].lines.append(ShipmentBatch.Line(
                    number: row[1], lineID: row[2], ordered: row[3], canceled: row[4], shippedByMarketplace: row[5],
                    shippedLocally: row[6]))
            }
        }
        return orders
    }

    /// Per request (by position), the shipments of its order (when it was read) with its
    /// package id that have not failed, oldest first — those stored, then those earlier
    /// batches started — each telling whether it is the request's own (pending, same tracking
    /// number, carrier and date, compared as the state keeps them; `dates` are the requests'
    /// shipping dates as stored).
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
            values.append(position)
            values.append(orderID)
            values.append(request.packageID)
            values.append(request.trackingNumber)
            values.append(request.carrierCode)
            values.append(dates[position])
        }) { statement in
            let rows = try Row.fetchCursor(statement)
            while let row = try rows.next() {
                let position: Int = row[0]
                stored[position].append(ShipmentBatch.StoredShipment(id: row[1], trackingNumber: row[2], isSame: row[3]))
            }
        }
        for (position, orderID) in named {
            guard let earlier = started[orderID] else { continue }
            let request = requests[position]
            for shipment in earlier where shipment.packageID == request.packageID {
                let same = shipment.trackingNumber == request.trackingNumber && shipment.carrierCode == request.carrierCode
                    && shipment.dateKey == dates[position]
                stored[position].append(ShipmentBatch.StoredShipment(id: shipment.id, trackingNumber: shipment.trackingNumber,
                                                                     isSame: same))
            }
        }
        return stored
    }
}
