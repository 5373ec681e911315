import GRDB

/// The named, frozen migrations of the state database. Never edit a shipped migration:
/// add a new one.
enum StateMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-resources") { db in
            try db.create(table: "meta") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
            try db.create(table: "resource") { t in
                t.column("kind", .text).notNull()
                t.column("name", .text).notNull()
                t.column("type", .text).notNull()
                t.column("spec", .text).notNull()
                t.column("labels", .text).notNull()
                t.column("source_file", .text).notNull()
                t.column("created_serial", .integer).notNull()
                t.column("updated_serial", .integer).notNull()
                t.primaryKey(["kind", "name"])
            }
            try db.create(table: "credential") { t in
                t.column("kind", .text).notNull()
                t.column("name", .text).notNull()
                t.column("path", .text).notNull()
                t.column("fingerprint", .text).notNull()
                t.column("status", .text).notNull()
                t.column("status_message", .text)
                t.column("changed_at", .datetime).notNull()
                t.primaryKey(["kind", "name", "path"])
            }
            try db.create(table: "suspension") { t in
                t.primaryKey("channel", .text)
                t.column("reason", .text).notNull()
                t.column("suspended_by", .text).notNull()
                t.column("suspended_at", .datetime).notNull()
            }
            try db.create(table: "revision") { t in
                t.primaryKey("serial", .integer)
                t.column("operation", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("user", .text).notNull()
                t.column("git_commit", .text)
                t.column("config_digest", .text)
            }
            try db.create(table: "revision_change") { t in
                t.column("serial", .integer).notNull().references("revision", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("address", .text).notNull()
                t.column("action", .text).notNull()
                t.column("field", .text)
                t.column("before", .text)
                t.column("after", .text)
                t.primaryKey(["serial", "position"])
            }
            try db.create(index: "revision_change_address", on: "revision_change", columns: ["address"])
            try db.create(table: "source_file") { t in
                t.primaryKey("path", .text)
                t.column("digest", .text).notNull()
                t.column("diagnostics", .text).notNull()
            }
            try db.create(table: "source_resource") { t in
                t.column("path", .text).notNull().references("source_file", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("kind", .text).notNull()
                t.column("name", .text).notNull()
                t.column("type", .text).notNull()
                t.column("labels", .text).notNull()
                t.column("spec", .text).notNull()
                t.column("facts", .text).notNull()
                t.primaryKey(["path", "position"])
            }
        }
        return migrator
    }
}
