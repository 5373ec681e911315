import Foundation
import SyndicCore

/// The shipments of the Orders API on PostgreSQL: each order's channel found from its id,
/// one transaction per request, idempotency keys.
extension PostgresStateStore {
    /// How long an idempotency key's answer is kept.
    private static let idempotencyWindow: TimeInterval = 24 * 3600

    public func reportShipments(_ shipments: [ReportedShipment], idempotencyKey: String?, requestDigest: String,
                                at date: Date) throws -> ShipmentReport {
        try write { session -> ShipmentReport in
            if let idempotencyKey {
                try session.execute("DELETE FROM api_idempotency WHERE created_at < ?",
                                    [date.addingTimeInterval(-Self.idempotencyWindow)])
                if let row = try session.row("SELECT request_digest, outcomes FROM api_idempotency WHERE key = ?",
                                             [idempotencyKey]) {
                    guard try row.get("request_digest", as: String.self) == requestDigest else { return .keyReused }
                    let text: String = try row.get("outcomes")
                    let outcomes = try JSONDecoder().decode([ShipmentOutcome].self, from: Data(text.utf8))
                    return .replayed(outcomes)
                }
            }
            let applier = PGShipmentApplier(session, source: "api", at: date)
            var outcomes: [ShipmentOutcome] = []
            outcomes.reserveCapacity(shipments.count)
            for shipment in shipments {
                switch try Self.channel(of: shipment, session) {
                case .success(let channel): outcomes.append(try applier.apply(shipment.request, channel: channel))
                case .failure(let rejection): outcomes.append(.rejected(reason: rejection.reason))
                }
            }
            if let idempotencyKey {
                let text = String(decoding: try JSONEncoder().encode(outcomes), as: UTF8.self)
                try session.execute("""
                    INSERT INTO api_idempotency (key, request_digest, outcomes, created_at) VALUES (?, ?, ?, ?)
                    """, [idempotencyKey, requestDigest, text, date])
            }
            return .applied(outcomes)
        }
    }

    /// Why a reported shipment names no single order.
    private struct Unresolved: Error {
        var reason: String
    }

    /// The channel of the order a shipment names: the one it gives, else the only channel
    /// holding an order with that id.
    private static func channel(of shipment: ReportedShipment, _ session: PGSession) throws
        -> Result<String, Unresolved> {
        switch shipment.request.order {
        case .internalID(let id):
            guard let channel = try session.value("SELECT channel FROM orders WHERE id = ?", [id.lowercased()],
                                                  as: String.self) else {
                return .failure(Unresolved(reason: "no order \(id)"))
            }
            if let named = shipment.channel, named != channel {
                return .failure(Unresolved(reason: "order \(id) belongs to channel \(channel), not \(named)"))
            }
            return .success(channel)
        case .marketplaceID(let id):
            if let named = shipment.channel { return .success(named) }
            let channels = try session.rows("""
                SELECT channel FROM orders WHERE marketplace_id = ? ORDER BY channel COLLATE "C"
                """, [id]).map { try $0.get(0, as: String.self) }
            switch channels.count {
            case 0: return .failure(Unresolved(reason: "no order \(id)"))
            case 1: return .success(channels[0])
            default:
                return .failure(Unresolved(
                    reason: "orders \(id) exist in channels \(channels.joined(separator: ", ")): name the channel"))
            }
        }
    }
}
