import Foundation
import SyndicCore

/// Applies reported shipments inside one transaction (the FTP import and the Orders API
/// share it): each request is checked against its order, moves quantities shipped and the
/// status, and joins the confirmation queue; a request seen before ships nothing again.
/// The twin of `ShipmentApplier` on PostgreSQL.
struct PGShipmentApplier {
    private let session: PGSession
    private let source: String
    private let date: Date

    init(_ session: PGSession, source: String, at date: Date) {
        self.session = session
        self.source = source
        self.date = date
    }

    /// A line of an order as the shipment rules see it.
    struct Line {
        var number: Int
        var lineID: String
        var progress: OrderProgress.Line
    }

    /// Why a request ships nothing.
    struct Rejection: Error {
        var reason: String
    }

    /// Applies `request` to its order in `channel`.
    func apply(_ request: ShipmentRequest, channel: String) throws -> ShipmentOutcome {
        let key = request.identity
        if try session.row("SELECT 1 FROM shipment_request WHERE channel = ? AND request_key = ?",
                           [channel, key]) != nil {
            return .duplicate
        }
        let orderRow: PGRow?
        let named: String
        switch request.order {
        case .internalID(let id):
            named = id
            orderRow = try session.row("""
                SELECT id, marketplace, marketplace_id, status, raw_status, fulfilled_by FROM orders
                WHERE channel = ? AND id = ?
                """, [channel, id.lowercased()])
        case .marketplaceID(let id):
            named = id
            orderRow = try session.row("""
                SELECT id, marketplace, marketplace_id, status, raw_status, fulfilled_by FROM orders
                WHERE channel = ? AND marketplace_id = ?
                """, [channel, id])
        }
        guard let orderRow else { return .rejected(reason: "no order \(named) in channel \(channel)") }
        let orderID: String = try orderRow.get("id")
        let marketplaceID: String = try orderRow.get("marketplace_id")
        if try orderRow.get("fulfilled_by", as: String?.self) == FulfilledBy.marketplace.rawValue {
            return .rejected(reason: "order \(marketplaceID) is fulfilled by the marketplace: "
                             + "the merchant never confirms it")
        }
        if try orderRow.get("marketplace", as: String.self) == "amazon" {
            if let problem = AmazonShipmentRules.problem(request) {
                return .rejected(reason: "order \(marketplaceID): \(problem)")
            }
            if let other = try packageHeldElsewhere(orderID: orderID, request: request) {
                return .rejected(reason: "order \(marketplaceID): package_id \(request.packageID) is already the "
                                 + "package of another shipment (\(other)); Amazon would replace that package: "
                                 + "give each package its own package_id")
            }
        }
        let status = try OrderStatus(rawValue: orderRow.get("status", as: String.self)) ?? .unknown
        if status == .canceled || status == .refused {
            return .rejected(reason: "order \(marketplaceID) is \(status.rawValue): nothing can ship")
        }
        let lines = try session.rows("""
            SELECT line_number, line_id, quantity_ordered, quantity_canceled,
              GREATEST(quantity_shipped, quantity_shipped_local) AS shipped
            FROM order_line WHERE order_id = ? ORDER BY line_number
            """, [orderID]).map { row in
            try Line(number: row.get("line_number"), lineID: row.get("line_id"), progress: PGOrderRows.progress(row))
        }
        let items: [(number: Int, quantity: Int)]
        switch Self.items(request, lines: lines, marketplaceID: marketplaceID) {
        case .success(let chosen): items = chosen
        case .failure(let rejection): return .rejected(reason: rejection.reason)
        }
        let shipmentID = try shipment(orderID: orderID, channel: channel, request: request)
        for item in items {
            try session.execute("""
                INSERT INTO shipment_item (shipment_id, channel, line_number, quantity) VALUES (?, ?, ?, ?)
                ON CONFLICT (shipment_id, line_number)
                DO UPDATE SET quantity = shipment_item.quantity + excluded.quantity
                """, [shipmentID, channel, item.number, item.quantity])
            try session.execute("""
                UPDATE order_line SET quantity_shipped_local = GREATEST(quantity_shipped, quantity_shipped_local) + ?
                WHERE order_id = ? AND line_number = ?
                """, [item.quantity, orderID, item.number])
        }
        try PGOrderWriter.refreshStatus(session, orderID: orderID,
                                        marketplace: status == .shipped ? .partiallyShipped : status)
        let sequence = try ChangeSequence.next(session)
        try session.execute("UPDATE orders SET local_shipped = 1, updated_at = ?, change_seq = ? WHERE id = ?",
                            [date, sequence, orderID])
        try session.execute("INSERT INTO shipment_request (channel, request_key, shipment_id) VALUES (?, ?, ?)",
                            [channel, key, shipmentID])
        return .applied(shipmentID: shipmentID)
    }

    /// The items `request` ships of its order's `lines` (line numbers and quantities), or why
    /// it ships none: the item named, in the quantity given or all of it left to ship; with
    /// no item named, everything left to ship. Pure: it reads nothing.
    static func items(_ request: ShipmentRequest, lines: [Line], marketplaceID: String)
        -> Result<[(number: Int, quantity: Int)], Rejection> {
        guard let item = request.item else {
            let items = lines.filter { $0.progress.remaining > 0 }
                .map { (number: $0.number, quantity: $0.progress.remaining) }
            guard !items.isEmpty else {
                return .failure(Rejection(reason: "order \(marketplaceID) has nothing left to ship"))
            }
            return .success(items)
        }
        let found: Line?
        let itemName: String
        switch item {
        case .lineNumber(let number):
            found = lines.first { $0.number == number }
            itemName = "item \(number)"
        case .marketplaceLineID(let lineID):
            found = lines.first { $0.lineID == lineID }
            itemName = "item \(lineID)"
        }
        guard let line = found else { return .failure(Rejection(reason: "order \(marketplaceID) has no \(itemName)")) }
        let left = line.progress.remaining
        guard left > 0 else {
            return .failure(Rejection(reason: "\(itemName) of order \(marketplaceID) has nothing left to ship"))
        }
        let quantity = request.quantity ?? left
        guard quantity <= left else {
            return .failure(Rejection(
                reason: "\(itemName) of order \(marketplaceID): \(quantity) shipped but only \(left) left to ship"))
        }
        return .success([(number: line.number, quantity: quantity)])
    }

    /// Another shipment of the order that holds `request`'s package id (described by its
    /// tracking number), or nil. Rows of one shipment (same package, tracking, carrier and
    /// date, not yet confirmed) share the package; on Amazon a package id sent again edits
    /// that package, so no other shipment may take it (one Amazon refused for good holds none).
    private func packageHeldElsewhere(orderID: String, request: ShipmentRequest) throws -> String? {
        guard let other = try session.row("""
            SELECT tracking_number FROM shipment WHERE order_id = ? AND package_id = ? AND status != 'failed'
              AND NOT (status = 'pending' AND tracking_number IS NOT DISTINCT FROM ?
                       AND carrier_code IS NOT DISTINCT FROM ? AND shipping_date = ?)
            LIMIT 1
            """, [orderID, request.packageID, request.trackingNumber, request.carrierCode, request.shippingDate])
        else { return nil }
        return try "tracking " + (other.get("tracking_number", as: String?.self) ?? "none")
    }

    /// The pending shipment of the same package of the order, or a new one.
    private func shipment(orderID: String, channel: String, request: ShipmentRequest) throws -> Int64 {
        if let id = try session.value("""
            SELECT id FROM shipment WHERE order_id = ? AND status = 'pending' AND package_id = ?
              AND tracking_number IS NOT DISTINCT FROM ? AND carrier_code IS NOT DISTINCT FROM ? AND shipping_date = ?
            """, [orderID, request.packageID, request.trackingNumber, request.carrierCode, request.shippingDate],
            as: Int64.self) {
            return id
        }
        guard let id = try session.value("""
            INSERT INTO shipment (channel, order_id, package_id, tracking_number, carrier_code, shipping_date, source,
              created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending') RETURNING id
            """, [channel, orderID, request.packageID, request.trackingNumber, request.carrierCode,
                  request.shippingDate, source, date], as: Int64.self) else {
            throw PGError(message: "the new shipment returned no id", sqlState: nil, detail: nil)
        }
        return id
    }
}
