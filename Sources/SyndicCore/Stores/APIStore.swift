import Foundation

/// What the Orders API (`syndic serve`) and `syndic token` need of the state.
public protocol APIStore: OrderStore, Sendable {
    /// Keeps a new token's hash; the token itself is never stored.
    func createAccessToken(name: String, hash: String, prefix: String, at date: Date) throws -> AccessToken
    /// Every token, revoked ones included, oldest first.
    func accessTokens() throws -> [AccessToken]
    /// Revokes the token with this id or name; nil when no token not yet revoked has it.
    func revokeAccessToken(_ reference: String, at date: Date) throws -> AccessToken?
    /// The token (not revoked) with this hash.
    func accessToken(hash: String) throws -> AccessToken?
    /// Notes when a token was last used.
    func markAccessTokenUsed(id: Int64, at date: Date) throws
    /// Writes a page of orders, oldest change first, as a JSON list of order documents
    /// (`OrderDocument`, lines included) straight from the rows.
    func writeOrderPage(_ query: OrderPageQuery, into json: inout JSONWriter) throws -> OrderPage
    /// Applies the shipments of one API request in one transaction, under its idempotency
    /// key when it has one (keys are kept 24 hours).
    func reportShipments(_ shipments: [ReportedShipment], idempotencyKey: String?, requestDigest: String,
                         at date: Date) throws -> ShipmentReport
    /// Whether the state answers (`/healthz`).
    func ping() throws
    /// Counts for `/metrics`.
    func operationalCounts() throws -> OperationalCounts
}
