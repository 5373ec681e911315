import Foundation
import SyndicCore

/// The named, frozen migrations of a PostgreSQL state, applied in order on first use under
/// an advisory lock (two processes starting at once migrate once). Never edit a shipped
/// migration: add a new one. The tables are those of the SQLite state (their migrations
/// v1 to v8 in one), with PostgreSQL's types: `timestamptz` dates, `bigint` integers,
/// `bytea` blobs, `boolean` flags.
enum PostgresMigrations {
    /// The advisory lock key of migrations (and of nothing else).
    static let lockKey: Int64 = 0x5359_4E44_4D49_4752 // "SYNDMIGR"

    static let all: [(name: String, statements: [String])] = [
        ("v1-state", v1),
        ("v2-run-force", v2RunForce),
        ("v3-console", v3Console),
        ("v4-snapshot-whole-to-parts", v4SnapshotWholeToParts),
        ("v5-snapshot-source", v5SnapshotSource),
    ]

    /// Applies the migrations this database lacks; refuses a database a newer syndic wrote.
    static func migrate(_ pool: PGPool) throws {
        try pool.write(isolation: .readCommitted) { session in
            try session.execute("SELECT pg_advisory_xact_lock(?)", [lockKey])
            try session.execute("""
                CREATE TABLE IF NOT EXISTS schema_migration (
                    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """)
            let applied = Set(try session.rows("SELECT name FROM schema_migration").map { try $0.get(0, as: String.self) })
            let known = Set(all.map(\.name))
            if let newer = applied.subtracting(known).sorted().first {
                throw StoreError.unavailable(path: pool.location.description,
                    reason: "the database was written by a newer syndic (migration \(newer)); upgrade syndic on this host")
            }
            for migration in all where !applied.contains(migration.name) {
                for statement in migration.statements { try session.execute(statement) }
                try session.execute("INSERT INTO schema_migration (name) VALUES (?)", [migration.name])
            }
        }
    }

    /// A run can skip the product export guard once (`syndic run … --force`); the flag travels
    /// with the run to its job.
    static let v2RunForce: [String] = [
        #"ALTER TABLE run ADD COLUMN "force" boolean NOT NULL DEFAULT false"#,
    ]

    /// The web console's one-use login codes and sessions, each kept only as the SHA-256 hash
    /// of its secret text. Neither belongs to a channel.
    static let v3Console: [String] = [
        """
        CREATE TABLE console_login_code (
            code_hash text PRIMARY KEY, next text NOT NULL, created_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL, used_at timestamptz)
        """,
        """
        CREATE TABLE console_session (
            token_hash text PRIMARY KEY, created_at timestamptz NOT NULL, expires_at timestamptz NOT NULL,
            ended_at timestamptz)
        """,
        // The console's order list filters by status and received date.
        "CREATE INDEX orders_status_received ON orders (status, received_at)",
        "CREATE INDEX orders_received ON orders (received_at)",
    ]

    /// A snapshot keeps when the export that wrote it started reading from Akeneo (the PIM's
    /// clock), the PIM's UTC offset in seconds and its URL: the next delta export from the same
    /// PIM asks only for the products updated since. NULL (older snapshots, catalog files):
    /// every product is read.
    static let v5SnapshotSource: [String] = [
        "ALTER TABLE export_snapshot ADD COLUMN source_since timestamptz",
        "ALTER TABLE export_snapshot ADD COLUMN source_offset bigint",
        "ALTER TABLE export_snapshot ADD COLUMN source_origin text",
    ]

    /// Delta snapshots stored whole (`export_snapshot.entries` with no `generation`: written by
    /// a syndic that predates snapshot parts, and brought here by `syndic state migrate`) move
    /// into one part each, so that every snapshot is a header with a generation and its parts.
    ///
    /// The whole form is the 10 bytes `SYNDELTA1\n`, the spec digest and a newline, then the
    /// entries, 24 bytes each; the entries are exactly the bytes of a part. The spec digest
    /// stays the row's (written with the one the blob holds), and `refused` stays as it is.
    static let v4SnapshotWholeToParts: [String] = [
        // One statement for the rows that can be read: `whole` finds the newline that ends the
        // digest line (its place after the magic, 0 when there is none); `readable` keeps the
        // rows that start with the magic, have that newline and whose entries are whole 24-byte
        // words, with their entries (`body`) and their new generation: one above the highest
        // the channel's parts used (parts an export left unfinished), so a number is never
        // reused. `parts` stores each body as part 0 of its generation; the update makes the
        // row name that generation, count its entries and drop its blob. Every part of the
        // statement sees the rows as they were before it, so each channel gets one part.
        """
        WITH whole AS (
            SELECT channel, entries, position(decode('0a', 'hex') in substring(entries from 11)) AS newline
            FROM export_snapshot WHERE generation IS NULL
        ), readable AS (
            SELECT w.channel, substring(w.entries from 11 + w.newline) AS body,
                   1 + coalesce((SELECT max(p.generation) FROM export_snapshot_part p WHERE p.channel = w.channel), 0)
                       AS generation
            FROM whole w
            WHERE substring(w.entries from 1 for 10) = decode('53594e44454c5441310a', 'hex')
              AND w.newline > 0 AND (length(w.entries) - 10 - w.newline) % 24 = 0
        ), parts AS (
            INSERT INTO export_snapshot_part (channel, generation, seq, entries)
            SELECT channel, generation, 0, body FROM readable
        )
        UPDATE export_snapshot s SET generation = r.generation, products = length(r.body) / 24, entries = ''::bytea
        FROM readable r WHERE s.channel = r.channel
        """,
        // The rows left without a generation cannot be read: deleted, so the channel's next
        // delta export has no earlier snapshot and sends every product (nothing is lost, more
        // is sent, as when such a snapshot was read before).
        "DELETE FROM export_snapshot WHERE generation IS NULL",
    ]

    static let v1: [String] = [
        "CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL)",
        """
        CREATE TABLE resource (
            kind text NOT NULL, name text NOT NULL, type text NOT NULL, spec text NOT NULL, labels text NOT NULL,
            source_file text NOT NULL, created_serial bigint NOT NULL, updated_serial bigint NOT NULL,
            PRIMARY KEY (kind, name))
        """,
        """
        CREATE TABLE credential (
            kind text NOT NULL, name text NOT NULL, path text NOT NULL, fingerprint text NOT NULL,
            status text NOT NULL, status_message text, changed_at timestamptz NOT NULL,
            PRIMARY KEY (kind, name, path))
        """,
        """
        CREATE TABLE suspension (
            channel text PRIMARY KEY, reason text NOT NULL, suspended_by text NOT NULL,
            suspended_at timestamptz NOT NULL)
        """,
        """
        CREATE TABLE revision (
            serial bigint PRIMARY KEY, operation text NOT NULL, at timestamptz NOT NULL, "user" text NOT NULL,
            git_commit text, config_digest text)
        """,
        """
        CREATE TABLE revision_change (
            serial bigint NOT NULL REFERENCES revision ON DELETE CASCADE, position bigint NOT NULL,
            address text NOT NULL, action text NOT NULL, field text, before text, after text,
            PRIMARY KEY (serial, position))
        """,
        "CREATE INDEX revision_change_address ON revision_change (address)",
        "CREATE TABLE source_file (path text PRIMARY KEY, digest text NOT NULL, diagnostics text NOT NULL)",
        """
        CREATE TABLE source_resource (
            path text NOT NULL REFERENCES source_file ON DELETE CASCADE, position bigint NOT NULL,
            kind text NOT NULL, name text NOT NULL, type text NOT NULL, labels text NOT NULL, spec text NOT NULL,
            facts text NOT NULL, PRIMARY KEY (path, position))
        """,
        """
        CREATE TABLE job_schedule (
            channel text NOT NULL, job text NOT NULL, schedule text NOT NULL, time_zone text NOT NULL,
            next_due timestamptz NOT NULL, last_slot timestamptz, PRIMARY KEY (channel, job))
        """,
        "CREATE INDEX job_schedule_next_due ON job_schedule (next_due)",
        """
        CREATE TABLE run (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            channel text NOT NULL, job text NOT NULL, trigger text NOT NULL, dry_run boolean NOT NULL,
            "full" boolean NOT NULL, slot timestamptz, status text NOT NULL, attempt bigint NOT NULL,
            max_attempts bigint NOT NULL, not_before timestamptz NOT NULL, queued_at timestamptz NOT NULL,
            started_at timestamptz, finished_at timestamptz, lease_owner text, lease_expires_at timestamptz,
            cancel_requested boolean NOT NULL DEFAULT false, counts text NOT NULL DEFAULT '{}', report text,
            error text)
        """,
        "CREATE INDEX run_claim ON run (status, not_before)",
        "CREATE INDEX run_channel_job ON run (channel, job, status)",
        """
        CREATE TABLE run_log (
            run_id bigint NOT NULL REFERENCES run ON DELETE CASCADE, channel text NOT NULL, seq bigint NOT NULL,
            at timestamptz NOT NULL, level text NOT NULL, message text NOT NULL, PRIMARY KEY (run_id, seq))
        """,
        "CREATE INDEX run_log_channel ON run_log (channel)",
        """
        CREATE TABLE event (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, channel text NOT NULL, kind text NOT NULL,
            message text NOT NULL, run_id bigint, at timestamptz NOT NULL, delivered boolean NOT NULL DEFAULT false)
        """,
        "CREATE INDEX event_undelivered ON event (delivered, id)",
        """
        CREATE TABLE export_snapshot (
            channel text PRIMARY KEY, spec_digest text NOT NULL, run_id bigint, created_at timestamptz NOT NULL,
            products bigint NOT NULL, entries bytea NOT NULL, generation bigint, refused bytea)
        """,
        """
        CREATE TABLE export_snapshot_part (
            channel text NOT NULL, generation bigint NOT NULL, seq bigint NOT NULL, entries bytea NOT NULL,
            PRIMARY KEY (channel, generation, seq))
        """,
        """
        CREATE TABLE export_record (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, channel text NOT NULL,
            run_id bigint REFERENCES run ON DELETE SET NULL, mode text NOT NULL, at timestamptz NOT NULL,
            sent bigint NOT NULL, file text, products text NOT NULL)
        """,
        "CREATE INDEX export_record_channel ON export_record (channel, at)",
        """
        CREATE TABLE run_artifact (
            run_id bigint NOT NULL REFERENCES run ON DELETE CASCADE, channel text NOT NULL, name text NOT NULL,
            content bytea NOT NULL, created_at timestamptz NOT NULL, PRIMARY KEY (run_id, name))
        """,
        "CREATE INDEX run_artifact_channel ON run_artifact (channel)",
        """
        CREATE TABLE requirement_set (
            channel text PRIMARY KEY, fetched_at timestamptz NOT NULL, attributes text NOT NULL)
        """,
        """
        CREATE TABLE orders (
            id text PRIMARY KEY, channel text NOT NULL, marketplace text NOT NULL, marketplace_id text NOT NULL,
            status text NOT NULL, raw_status text NOT NULL, fulfilled_by text, purchase_date timestamptz,
            marketplace_updated_at timestamptz, received_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
            change_seq bigint NOT NULL, currency text, total double precision, payment text, customer_name text,
            customer_email text, customer_phone text, ship_line1 text, ship_line2 text, ship_postal_code text,
            ship_city text, ship_country text, error_count bigint NOT NULL DEFAULT 0,
            cancel_requested bigint NOT NULL DEFAULT 0, local_shipped bigint NOT NULL DEFAULT 0,
            content_hash bigint NOT NULL, UNIQUE (channel, marketplace_id))
        """,
        "CREATE INDEX orders_change ON orders (channel, change_seq)",
        "CREATE INDEX orders_seq ON orders (change_seq)",
        "CREATE INDEX orders_purchase ON orders (purchase_date)",
        "CREATE INDEX orders_marketplace_id ON orders (marketplace_id)",
        """
        CREATE TABLE order_line (
            order_id text NOT NULL REFERENCES orders ON DELETE CASCADE, channel text NOT NULL,
            line_number bigint NOT NULL, line_id text NOT NULL, sku text, product_reference text, gtin text,
            title text, quantity_ordered bigint NOT NULL, quantity_shipped bigint NOT NULL,
            quantity_shipped_local bigint NOT NULL DEFAULT 0, quantity_canceled bigint NOT NULL,
            line_total double precision, raw_state text, PRIMARY KEY (order_id, line_number))
        """,
        "CREATE INDEX order_line_channel ON order_line (channel)",
        """
        CREATE TABLE shipment (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, channel text NOT NULL,
            order_id text NOT NULL REFERENCES orders ON DELETE CASCADE, package_id text NOT NULL,
            tracking_number text, carrier_code text, shipping_date timestamptz NOT NULL, source text NOT NULL,
            created_at timestamptz NOT NULL, status text NOT NULL, attempts bigint NOT NULL DEFAULT 0,
            next_attempt_at timestamptz, last_error text, confirmed_at timestamptz, sending_at timestamptz)
        """,
        "CREATE INDEX shipment_due ON shipment (channel, status, next_attempt_at)",
        "CREATE INDEX shipment_order ON shipment (order_id)",
        """
        CREATE TABLE shipment_item (
            shipment_id bigint NOT NULL REFERENCES shipment ON DELETE CASCADE, channel text NOT NULL,
            line_number bigint NOT NULL, quantity bigint NOT NULL, PRIMARY KEY (shipment_id, line_number))
        """,
        "CREATE INDEX shipment_item_channel ON shipment_item (channel)",
        """
        CREATE TABLE shipment_request (
            channel text NOT NULL, request_key text NOT NULL,
            shipment_id bigint REFERENCES shipment ON DELETE CASCADE, PRIMARY KEY (channel, request_key))
        """,
        """
        CREATE TABLE order_event (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, channel text NOT NULL,
            order_id text NOT NULL REFERENCES orders ON DELETE CASCADE, kind text NOT NULL, reference text NOT NULL,
            detail text NOT NULL, at timestamptz NOT NULL, UNIQUE (order_id, kind, reference))
        """,
        "CREATE INDEX order_event_channel ON order_event (channel)",
        """
        CREATE TABLE order_error (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, channel text NOT NULL,
            order_id text REFERENCES orders ON DELETE CASCADE, run_id bigint, stage text NOT NULL,
            message text NOT NULL, at timestamptz NOT NULL)
        """,
        "CREATE INDEX order_error_order ON order_error (order_id)",
        "CREATE INDEX order_error_channel ON order_error (channel)",
        """
        CREATE TABLE order_cursor (
            channel text NOT NULL, name text NOT NULL, value text NOT NULL, PRIMARY KEY (channel, name))
        """,
        """
        CREATE TABLE api_token (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL, prefix text NOT NULL,
            token_hash text NOT NULL UNIQUE, created_at timestamptz NOT NULL, last_used_at timestamptz,
            revoked_at timestamptz)
        """,
        """
        CREATE TABLE api_idempotency (
            key text PRIMARY KEY, request_digest text NOT NULL, outcomes text NOT NULL,
            created_at timestamptz NOT NULL)
        """,
        "CREATE INDEX api_idempotency_created ON api_idempotency (created_at)",
        "CREATE TABLE counter (name text PRIMARY KEY, value bigint NOT NULL)",
        "INSERT INTO counter (name, value) VALUES ('order_change', 0)",
    ]
}
