import Foundation
import GRDB
import SyndicCore

extension SQLiteStateStore: APIStore {
    /// How long an idempotency key's answer is kept.
    static let idempotencyWindow: TimeInterval = 24 * 3600

    // MARK: - Access tokens

    public func createAccessToken(name: String, hash: String, prefix: String, at date: Date) throws -> AccessToken {
        try write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM api_token WHERE name = ? AND revoked_at IS NULL",
                                 arguments: [name]) == true {
                throw StoreError.tokenNameTaken(name)
            }
            try db.execute(sql: "INSERT INTO api_token (name, prefix, token_hash, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [name, prefix, hash, date])
            return AccessToken(id: db.lastInsertedRowID, name: name, prefix: prefix, createdAt: date, lastUsedAt: nil,
                               revokedAt: nil)
        }
    }

    public func accessTokens() throws -> [AccessToken] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_token ORDER BY id").map(Self.token) }
    }

    public func revokeAccessToken(_ reference: String, at date: Date) throws -> AccessToken? {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT * FROM api_token WHERE revoked_at IS NULL AND (name = ? OR CAST(id AS TEXT) = ?) ORDER BY id LIMIT 1
                """, arguments: [reference, reference]) else { return nil }
            var token = Self.token(row)
            try db.execute(sql: "UPDATE api_token SET revoked_at = ? WHERE id = ?", arguments: [date, token.id])
            token.revokedAt = date
            return token
        }
    }

    public func accessToken(hash: String) throws -> AccessToken? {
        // One statement, which SQLite reads from one snapshot: no transaction needed (every
        // API request asks).
        try pool.unsafeRead { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM api_token WHERE token_hash = ? AND revoked_at IS NULL"),
                             arguments: [hash]).map(Self.token)
        }
    }

    public func markAccessTokenUsed(id: Int64, at date: Date) throws {
        try write { db in
            try db.execute(sql: "UPDATE api_token SET last_used_at = ? WHERE id = ?", arguments: [date, id])
        }
    }

    private static func token(_ row: Row) -> AccessToken {
        AccessToken(id: row["id"], name: row["name"], prefix: row["prefix"], createdAt: row["created_at"],
                    lastUsedAt: row["last_used_at"], revokedAt: row["revoked_at"])
    }

    // MARK: - Orders

    public func writeOrderPage(_ query: OrderPageQuery, into json: inout JSONWriter) throws -> OrderPage {
        // One statement reads the whole page, and SQLite reads a statement from one snapshot:
        // no transaction is needed around it (it would cost two more statements a page).
        try pool.unsafeRead { db in try OrderPageWriter.write(db, query, into: &json) }
    }

    // MARK: - Shipments

    public func reportShipments(_ shipments: [ReportedShipment], idempotencyKey: String?, requestDigest: String,
                                at date: Date) throws -> ShipmentReport {
        try write { db in
            if let idempotencyKey {
                try db.execute(sql: "DELETE FROM api_idempotency WHERE created_at < ?",
                               arguments: [date.addingTimeInterval(-Self.idempotencyWindow)])
                if let row = try Row.fetchOne(db, sql: "SELECT request_digest, outcomes FROM api_idempotency WHERE key = ?",
                                              arguments: [idempotencyKey]) {
                    guard (row["request_digest"] as String) == requestDigest else { return .keyReused }
                    let outcomes = try JSONDecoder().decode([ShipmentOutcome].self, from: Data((row["outcomes"] as String).utf8))
                    return .replayed(outcomes)
                }
            }
            var applier = try ShipmentApplier(db, source: "api", at: date)
            var outcomes: [ShipmentOutcome] = []
            outcomes.reserveCapacity(shipments.count)
            for shipment in shipments {
                switch try Self.channel(of: shipment, db) {
                case .success(let channel): outcomes.append(try applier.apply(shipment.request, channel: channel))
                case .failure(let rejection): outcomes.append(.rejected(reason: rejection.reason))
                }
            }
            if let idempotencyKey {
                let text = String(decoding: try JSONEncoder().encode(outcomes), as: UTF8.self)
                try db.execute(sql: """
                    INSERT INTO api_idempotency (key, request_digest, outcomes, created_at) VALUES (?, ?, ?, ?)
                    """, arguments: [idempotencyKey, requestDigest, text, date])
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
    private static func channel(of shipment: ReportedShipment, _ db: Database) throws -> Result<String, Unresolved> {
        switch shipment.request.order {
        case .internalID(let id):
            guard let channel = try String.fetchOne(db.cachedStatement(sql: "SELECT channel FROM orders WHERE id = ?"),
                                                    arguments: [id.lowercased()]) else {
                return .failure(Unresolved(reason: "no order \(id)"))
            }
            if let named = shipment.channel, named != channel {
                return .failure(Unresolved(reason: "order \(id) belongs to channel \(channel), not \(named)"))
            }
            return .success(channel)
        case .marketplaceID(let id):
            if let named = shipment.channel { return .success(named) }
            let channels = try String.fetchAll(db.cachedStatement(sql: """
                SELECT channel FROM orders WHERE marketplace_id = ? ORDER BY channel
                """), arguments: [id])
            switch channels.count {
            case 0: return .failure(Unresolved(reason: "no order \(id)"))
            case 1: return .success(channels[0])
            default:
                return .failure(Unresolved(reason: "orders \(id) exist in channels \(channels.joined(separator: ", ")): name the channel"))
            }
        }
    }

    // MARK: - Operations

    public func ping() throws {
        _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func operationalCounts() throws -> OperationalCounts {
        try pool.read { db in
            var runs: [OperationalCounts.Key: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT job, status, COUNT(*) AS n FROM run GROUP BY job, status") {
                runs[OperationalCounts.Key(job: row["job"], status: row["status"])] = row["n"]
            }
            var orders: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT channel, COUNT(*) AS n FROM orders GROUP BY channel") {
                orders[row["channel"]] = row["n"]
            }
            var shipments: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM shipment GROUP BY status") {
                shipments[row["status"]] = row["n"]
            }
            return OperationalCounts(runs: runs, orders: orders, shipments: shipments)
        }
    }
}
