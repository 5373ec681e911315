import GRDB

/// The tables of the Orders API (migration v6): access tokens (only their hashes) and the
/// answers kept for idempotency keys. Neither belongs to a channel.
enum APITables {
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE api_token (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL,
                prefix TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                created_at DATETIME NOT NULL,
                last_used_at DATETIME,
                revoked_at DATETIME
            );
            CREATE TABLE api_idempotency (
                key TEXT PRIMARY KEY NOT NULL,
                request_digest TEXT NOT NULL,
                outcomes TEXT NOT NULL,
                created_at DATETIME NOT NULL
            );
            CREATE INDEX api_idempotency_created ON api_idempotency (created_at);
            """)
    }
}
