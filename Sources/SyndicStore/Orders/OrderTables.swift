import GRDB

/// The tables of the order flows (migration v5), every one owned by its channel.
enum OrderTables {
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE orders (
                id TEXT PRIMARY KEY NOT NULL,
                channel TEXT NOT NULL,
                marketplace TEXT NOT NULL,
                marketplace_id TEXT NOT NULL,
                status TEXT NOT NULL,
                raw_status TEXT NOT NULL,
                fulfilled_by TEXT,
                purchase_date DATETIME,
                marketplace_updated_at DATETIME,
                received_at DATETIME NOT NULL,
                updated_at DATETIME NOT NULL,
                change_seq INTEGER NOT NULL,
                currency TEXT,
                total REAL,
                payment TEXT,
                customer_name TEXT,
                customer_email TEXT,
                customer_phone TEXT,
                ship_line1 TEXT,
                ship_line2 TEXT,
                ship_postal_code TEXT,
                ship_city TEXT,
                ship_country TEXT,
                error_count INTEGER NOT NULL DEFAULT 0,
                cancel_requested INTEGER NOT NULL DEFAULT 0,
                local_shipped INTEGER NOT NULL DEFAULT 0,
                content_hash INTEGER NOT NULL,
                UNIQUE (channel, marketplace_id)
            );
            CREATE INDEX orders_change ON orders (channel, change_seq);
            CREATE INDEX orders_seq ON orders (change_seq);
            CREATE INDEX orders_purchase ON orders (purchase_date);
            CREATE INDEX orders_marketplace_id ON orders (marketplace_id);
            CREATE TABLE order_line (
                order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
                channel TEXT NOT NULL,
                line_number INTEGER NOT NULL,
                line_id TEXT NOT NULL,
                sku TEXT,
                product_reference TEXT,
                gtin TEXT,
                title TEXT,
                quantity_ordered INTEGER NOT NULL,
                quantity_shipped INTEGER NOT NULL,
                quantity_shipped_local INTEGER NOT NULL DEFAULT 0,
                quantity_canceled INTEGER NOT NULL,
                line_total REAL,
                raw_state TEXT,
                PRIMARY KEY (order_id, line_number)
            ) WITHOUT ROWID;
            CREATE INDEX order_line_channel ON order_line (channel);
            CREATE TABLE shipment (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                channel TEXT NOT NULL,
                order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
                package_id TEXT NOT NULL,
                tracking_number TEXT,
                carrier_code TEXT,
                shipping_date DATETIME NOT NULL,
                source TEXT NOT NULL,
                created_at DATETIME NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at DATETIME,
                last_error TEXT,
                confirmed_at DATETIME
            );
            CREATE INDEX shipment_due ON shipment (channel, status, next_attempt_at);
            CREATE INDEX shipment_order ON shipment (order_id);
            CREATE TABLE shipment_item (
                shipment_id INTEGER NOT NULL REFERENCES shipment(id) ON DELETE CASCADE,
                channel TEXT NOT NULL,
                line_number INTEGER NOT NULL,
                quantity INTEGER NOT NULL,
                PRIMARY KEY (shipment_id, line_number)
            ) WITHOUT ROWID;
            CREATE INDEX shipment_item_channel ON shipment_item (channel);
            CREATE TABLE shipment_request (
                channel TEXT NOT NULL,
                request_key TEXT NOT NULL,
                shipment_id INTEGER REFERENCES shipment(id) ON DELETE CASCADE,
                PRIMARY KEY (channel, request_key)
            ) WITHOUT ROWID;
            CREATE TABLE order_event (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                channel TEXT NOT NULL,
                order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                reference TEXT NOT NULL,
                detail TEXT NOT NULL,
                at DATETIME NOT NULL,
                UNIQUE (order_id, kind, reference)
            );
            CREATE INDEX order_event_channel ON order_event (channel);
            CREATE TABLE order_error (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                channel TEXT NOT NULL,
                order_id TEXT REFERENCES orders(id) ON DELETE CASCADE,
                run_id INTEGER,
                stage TEXT NOT NULL,
                message TEXT NOT NULL,
                at DATETIME NOT NULL
            );
            CREATE INDEX order_error_order ON order_error (order_id);
            CREATE INDEX order_error_channel ON order_error (channel);
            CREATE TABLE order_cursor (
                channel TEXT NOT NULL,
                name TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (channel, name)
            );
            CREATE INDEX event_undelivered ON event (delivered, id);
            """)
    }
}
