import Foundation
import GRDB
import SyndicCore

/// Applies reported shipments inside one transaction (the FTP import and the Orders API
/// share it): each request is checked against its order, moves quantities shipped and the
/// status, and joins the confirmation queue; a request seen before ships nothing again.
/// One request at a time, a statement per rule: the Orders API's path (a few shipments per
/// call, each in its own channel); a file's rows go in batches (`ShipmentBatchApplier`),
/// which must give the same outcomes and state.
struct ShipmentApplier {
    private let db: Database
    private let source: String
    /// The moment of the import as stored, converted once (formatting a date per row is costly).
    private let stamp: DatabaseValue

    init(_ db: Database, source: String, at date: Date) throws {
        self.db = db
        self.source = source
        stamp = date.databaseValue
    }

    /// Applies `request` to its order in `channel`.
    mutating func apply(_ request: ShipmentRequest, channel: String) throws -> ShipmentOutcome {
        let key = request.identity
        if try Bool.fetchOne(try db.cachedStatement(sql: """
            SELECT 1 FROM shipment_request WHERE channel = ? AND request_key = ?
            """), arguments: [channel, key]) == true {
            return .duplicate
        }
        let orderRow: Row?
        let named: String
        switch request.order {
        case .internalID(let id):
            named = id
            orderRow = try Row.fetchOne(try db.cachedStatement(sql: """
                SELECT id, marketplace, marketplace_id, status, raw_status, fulfilled_by FROM orders WHERE channel = ? AND id = ?
                """), arguments: [channel, id.lowercased()])
        case .marketplaceID(let id):
            named = id
            orderRow = try Row.fetchOne(try db.cachedStatement(sql: """
                SELECT id, marketplace, marketplace_id, status, raw_status, fulfilled_by FROM orders WHERE channel = ? AND marketplace_id = ?
                """), arguments: [channel, id])
        }
        guard let orderRow else { return .rejected(reason: "no order \(named) in channel \(channel)") }
        let orderID: String = orderRow["id"]
        let marketplaceID: String = orderRow["marketplace_id"]
        if (orderRow["fulfilled_by"] as String?) == FulfilledBy.marketplace.rawValue {
            return .rejected(reason: "order \(marketplaceID) is fulfilled by the marketplace: the merchant never confirms it")
        }
        if (orderRow["marketplace"] as String) == "amazon" {
            if let problem = AmazonShipmentRules.problem(request) {
                return .rejected(reason: "order \(marketplaceID): \(problem)")
            }
            if let other = try packageHeldElsewhere(orderID: orderID, request: request) {
                return .rejected(reason: "order \(marketplaceID): package_id \(request.packageID) is already the package of "
                                 + "another shipment (\(other)); Amazon would replace that package: give each package its own package_id")
            }
        }
        let status = OrderStatus(rawValue: orderRow["status"]) ?? .unknown
        if status == .canceled || status == .refused {
            return .rejected(reason: "order \(marketplaceID) is \(status.rawValue): nothing can ship")
        }
        let lines = try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT line_number, line_id, quantity_ordered, quantity_canceled,
              MAX(quantity_shipped, quantity_shipped_local) AS shipped
            FROM order_line WHERE order_id = ? ORDER BY line_number
            """), arguments: [orderID])
        func remaining(_ line: Row) -> Int {
            OrderProgress.Line(ordered: line["quantity_ordered"], canceled: line["quantity_canceled"], shipped: line["shipped"]).remaining
        }
        var items: [(number: Int, quantity: Int)] = []
        if let item = request.item {
            let found: Row?
            let itemName: String
            switch item {
            case .lineNumber(let number):
                found = lines.first { ($0["line_number"] as Int) == number }
                itemName = "item \(number)"
            case .marketplaceLineID(let lineID):
                found = lines.first { ($0["line_id"] as String) == lineID }
                itemName = "item \(lineID)"
            }
            guard let line = found else { return .rejected(reason: "order \(marketplaceID) has no \(itemName)") }
            let left = remaining(line)
            guard left > 0 else { return .rejected(reason: "\(itemName) of order \(marketplaceID) has nothing left to ship") }
            let quantity = request.quantity ?? left
            guard quantity <= left else {
                return .rejected(reason: "\(itemName) of order \(marketplaceID): \(quantity) shipped but only \(left) left to ship")
            }
            items.append((line["line_number"], quantity))
        } else {
            for line in lines where remaining(line) > 0 { items.append((line["line_number"], remaining(line))) }
            guard !items.isEmpty else { return .rejected(reason: "order \(marketplaceID) has nothing left to ship") }
        }
        let shipmentID = try shipment(orderID: orderID, channel: channel, request: request)
        for item in items {
            try db.cachedStatement(sql: """
                INSERT INTO shipment_item (shipment_id, channel, line_number, quantity) VALUES (?, ?, ?, ?)
                ON CONFLICT (shipment_id, line_number) DO UPDATE SET quantity = quantity + excluded.quantity
                """).execute(arguments: [shipmentID, channel, item.number, item.quantity])
            try db.cachedStatement(sql: """
                UPDATE order_line SET quantity_shipped_local = MAX(quantity_shipped, quantity_shipped_local) + ?
                WHERE order_id = ? AND line_number = ?
                """).execute(arguments: [item.quantity, orderID, item.number])
        }
        let marketplaceStatus = OrderStatus(rawValue: orderRow["status"]) ?? .unknown
        try OrderWriter.refreshStatus(db, orderID: orderID,
                                      marketplace: marketplaceStatus == .shipped ? .partiallyShipped : marketplaceStatus)
        try db.cachedStatement(sql: "UPDATE orders SET local_shipped = 1, updated_at = ?, change_seq = ? WHERE id = ?")
            .execute(arguments: [stamp, try ChangeSequence.next(db), orderID])
        try db.cachedStatement(sql: "INSERT INTO shipment_request (channel, request_key, shipment_id) VALUES (?, ?, ?)")
            .execute(arguments: [channel, key, shipmentID])
        return .applied(shipmentID: shipmentID)
    }

    /// Another shipment of the order that holds `request`'s package id (described by its
    /// tracking number), or nil. Rows of one shipment (same package, tracking, carrier and
    /// date, not yet confirmed) share the package; on Amazon a package id sent again edits
    /// that package, so no other shipment may take it (one Amazon refused for good holds none).
    private func packageHeldElsewhere(orderID: String, request: ShipmentRequest) throws -> String? {
        let other = try Row.fetchOne(try db.cachedStatement(sql: """
            SELECT tracking_number FROM shipment WHERE order_id = ? AND package_id = ? AND status != 'failed'
              AND NOT (status = 'pending' AND tracking_number IS ? AND carrier_code IS ? AND shipping_date = ?)
            LIMIT 1
            """), arguments: [orderID, request.packageID, request.trackingNumber, request.carrierCode, request.shippingDate])
        guard let other else { return nil }
        return "tracking " + ((other["tracking_number"] as String?) ?? "none")
    }

    /// The pending shipment of the same package of the order, or a new one.
    private func shipment(orderID: String, channel: String, request: ShipmentRequest) throws -> Int64 {
        if let id = try Int64.fetchOne(try db.cachedStatement(sql: """
            SELECT id FROM shipment WHERE order_id = ? AND status = 'pending' AND package_id = ?
              AND tracking_number IS ? AND carrier_code IS ? AND shipping_date = ?
            """), arguments: [orderID, request.packageID, request.trackingNumber, request.carrierCode, request.shippingDate]) {
            return id
        }
        try db.cachedStatement(sql: """
            INSERT INTO shipment (channel, order_id, package_id, tracking_number, carrier_code, shipping_date, source,
              created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')
            """).execute(arguments: [channel, orderID, request.packageID, request.trackingNumber, request.carrierCode,
                                     request.shippingDate, source, stamp])
        return db.lastInsertedRowID
    }
}
