import GRDB

/// The tables of the web console (migration v10): one-use login codes and sessions, each
/// kept only as the SHA-256 hash of its secret text. Neither belongs to a channel.
enum ConsoleTables {
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE console_login_code (
                code_hash TEXT PRIMARY KEY NOT NULL,
                next TEXT NOT NULL,
                created_at DATETIME NOT NULL,
                expires_at DATETIME NOT NULL,
                used_at DATETIME
            );
            CREATE TABLE console_session (
                token_hash TEXT PRIMARY KEY NOT NULL,
                created_at DATETIME NOT NULL,
                expires_at DATETIME NOT NULL,
                ended_at DATETIME
            );
            -- The console's order list filters by status and received date.
            CREATE INDEX orders_status_received ON orders (status, received_at);
            CREATE INDEX orders_received ON orders (received_at);
            """)
    }
}
