import Foundation
import SyndicCore

/// What the Orders API and `syndic token` need of a PostgreSQL state: access tokens, pages
/// of orders, and the counts of `/healthz` and `/metrics` (`reportShipments` is with the
/// shipments).
extension PostgresStateStore {
    // MARK: - Access tokens

    public func createAccessToken(name: String, hash: String, prefix: String, at date: Date) throws -> AccessToken {
        try write { session in
            if try session.row("SELECT 1 FROM api_token WHERE name = ? AND revoked_at IS NULL", [name]) != nil {
                throw StoreError.tokenNameTaken(name)
            }
            guard let id = try session.value("""
                INSERT INTO api_token (name, prefix, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id
                """, [name, prefix, hash, date], as: Int64.self) else {
                throw PGError(message: "the new token's id was not returned", sqlState: nil, detail: nil)
            }
            return AccessToken(id: id, name: name, prefix: prefix, createdAt: date, lastUsedAt: nil, revokedAt: nil)
        }
    }

    public func accessTokens() throws -> [AccessToken] {
        try read { session in try session.rows("SELECT * FROM api_token ORDER BY id").map(Self.token) }
    }

    public func revokeAccessToken(_ reference: String, at date: Date) throws -> AccessToken? {
        try write { session in
            guard let row = try session.row("""
                SELECT * FROM api_token WHERE revoked_at IS NULL AND (name = ? OR CAST(id AS TEXT) = ?)
                ORDER BY id LIMIT 1
                """, [reference, reference]) else { return nil }
            var token = try Self.token(row)
            try session.execute("UPDATE api_token SET revoked_at = ? WHERE id = ?", [date, token.id])
            token.revokedAt = date
            return token
        }
    }

    public func accessToken(hash: String) throws -> AccessToken? {
        try read { session in
            try session.row("SELECT * FROM api_token WHERE token_hash = ? AND revoked_at IS NULL", [hash])
                .map(Self.token)
        }
    }

    public func markAccessTokenUsed(id: Int64, at date: Date) throws {
        try write { session in
            try session.execute("UPDATE api_token SET last_used_at = ? WHERE id = ?", [date, id])
        }
    }

    /// An access token of its row.
    private static func token(_ row: PGRow) throws -> AccessToken {
        try AccessToken(id: row.get("id"), name: row.get("name"), prefix: row.get("prefix"),
                        createdAt: row.get("created_at"), lastUsedAt: row.get("last_used_at"),
                        revokedAt: row.get("revoked_at"))
    }

    // MARK: - Orders

    public func writeOrderPage(_ query: OrderPageQuery, into json: inout JSONWriter) throws -> OrderPage {
        // The rows are read first and written after: a transaction may run again.
        let rows = try read { session in try PGOrderPageWriter.rows(session, query) }
        return try PGOrderPageWriter.write(rows, query, into: &json)
    }

    // MARK: - Operations

    public func ping() throws {
        try read { session in _ = try session.execute("SELECT 1") }
    }

    public func operationalCounts() throws -> OperationalCounts {
        try read { session in
            var runs: [OperationalCounts.Key: Int] = [:]
            for row in try session.rows("SELECT job, status, COUNT(*)::bigint AS n FROM run GROUP BY job, status") {
                let key = try OperationalCounts.Key(job: row.get("job"), status: row.get("status"))
                runs[key] = try row.get("n", as: Int.self)
            }
            var orders: [String: Int] = [:]
            for row in try session.rows("SELECT channel, COUNT(*)::bigint AS n FROM orders GROUP BY channel") {
                let channel: String = try row.get("channel")
                orders[channel] = try row.get("n", as: Int.self)
            }
            var shipments: [String: Int] = [:]
            for row in try session.rows("SELECT status, COUNT(*)::bigint AS n FROM shipment GROUP BY status") {
                let status: String = try row.get("status")
                shipments[status] = try row.get("n", as: Int.self)
            }
            return OperationalCounts(runs: runs, orders: orders, shipments: shipments)
        }
    }
}
