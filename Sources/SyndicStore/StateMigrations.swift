import SyndicCore
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
        migrator.registerMigration("v2-runtime") { db in
            try db.create(table: "job_schedule") { t in
                t.column("channel", .text).notNull()
                t.column("job", .text).notNull()
                t.column("schedule", .text).notNull()
                t.column("time_zone", .text).notNull()
                t.column("next_due", .datetime).notNull()
                t.column("last_slot", .datetime)
                t.primaryKey(["channel", "job"])
            }
            try db.create(index: "job_schedule_next_due", on: "job_schedule", columns: ["next_due"])
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("channel", .text).notNull()
                t.column("job", .text).notNull()
                t.column("trigger", .text).notNull()
                t.column("dry_run", .boolean).notNull()
                t.column("full", .boolean).notNull()
                t.column("slot", .datetime)
                t.column("status", .text).notNull()
                t.column("attempt", .integer).notNull()
                t.column("max_attempts", .integer).notNull()
                t.column("not_before", .datetime).notNull()
                t.column("queued_at", .datetime).notNull()
                t.column("started_at", .datetime)
                t.column("finished_at", .datetime)
                t.column("lease_owner", .text)
                t.column("lease_expires_at", .datetime)
                t.column("cancel_requested", .boolean).notNull().defaults(to: false)
                t.column("counts", .text).notNull().defaults(to: "{}")
                t.column("report", .text)
                t.column("error", .text)
            }
            try db.create(index: "run_claim", on: "run", columns: ["status", "not_before"])
            try db.create(index: "run_channel_job", on: "run", columns: ["channel", "job", "status"])
            try db.create(table: "run_log") { t in
                t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                t.column("channel", .text).notNull()
                t.column("seq", .integer).notNull()
                t.column("at", .datetime).notNull()
                t.column("level", .text).notNull()
                t.column("message", .text).notNull()
                t.primaryKey(["run_id", "seq"])
            }
            try db.create(index: "run_log_channel", on: "run_log", columns: ["channel"])
            try db.create(table: "event") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("channel", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("message", .text).notNull()
                t.column("run_id", .integer)
                t.column("at", .datetime).notNull()
                t.column("delivered", .boolean).notNull().defaults(to: false)
            }
        }
        migrator.registerMigration("v3-exports") { db in
            try db.create(table: "export_snapshot") { t in
                t.primaryKey("channel", .text)
                t.column("spec_digest", .text).notNull()
                t.column("run_id", .integer)
                t.column("created_at", .datetime).notNull()
                t.column("products", .integer).notNull()
                t.column("entries", .blob).notNull()
            }
            try db.create(table: "export_record") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("channel", .text).notNull()
                // Kept when retention removes the run (a record of every delta export is kept).
                t.column("run_id", .integer).references("run", onDelete: .setNull)
                t.column("mode", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("sent", .integer).notNull()
                t.column("file", .text)
                t.column("products", .text).notNull()
            }
            try db.create(index: "export_record_channel", on: "export_record", columns: ["channel", "at"])
            try db.create(table: "run_artifact") { t in
                t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                t.column("channel", .text).notNull()
                t.column("name", .text).notNull()
                t.column("content", .blob).notNull()
                t.column("created_at", .datetime).notNull()
                t.primaryKey(["run_id", "name"])
            }
            try db.create(index: "run_artifact_channel", on: "run_artifact", columns: ["channel"])
            try db.create(table: "requirement_set") { t in
                t.primaryKey("channel", .text)
                t.column("fetched_at", .datetime).notNull()
                t.column("attributes", .text).notNull()
            }
        }
        migrator.registerMigration("v4-snapshot-parts") { db in
            // Snapshots are written in parts while an export runs (bounded memory); the
            // current generation's parts are the snapshot, with the keys refused at the end.
            try db.alter(table: "export_snapshot") { t in
                t.add(column: "generation", .integer)
                t.add(column: "refused", .blob)
            }
            try db.create(table: "export_snapshot_part") { t in
                t.column("channel", .text).notNull()
                t.column("generation", .integer).notNull()
                t.column("seq", .integer).notNull()
                t.column("entries", .blob).notNull()
                t.primaryKey(["channel", "generation", "seq"])
            }
        }
        migrator.registerMigration("v5-orders") { db in
            try OrderTables.create(db)
        }
        migrator.registerMigration("v6-api") { db in
            try APITables.create(db)
        }
        migrator.registerMigration("v7-counters") { db in
            try ChangeSequence.create(db)
        }
        migrator.registerMigration("v8-shipment-intent") { db in
            try db.execute(sql: "ALTER TABLE shipment ADD COLUMN sending_at DATETIME")
        }
        migrator.registerMigration("v9-run-force") { db in
            // A run can skip the product export guard once (`syndic run … --force`).
            try db.execute(sql: "ALTER TABLE run ADD COLUMN force BOOLEAN NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v10-console") { db in
            try ConsoleTables.create(db)
        }
        migrator.registerMigration("v11-snapshot-whole-to-parts") { db in
            // Snapshots stored whole before v4-snapshot-parts move into one part each; one
            // that cannot be read is deleted (the next delta export sends every product of
            // its channel).
            try WholeSnapshotConversion.run(db)
        }
        migrator.registerMigration("v12-snapshot-source") { db in
            // A snapshot keeps when the export that wrote it started reading from Akeneo (the
            // PIM's clock), the PIM's UTC offset and its URL: the next delta export from the same
            // PIM asks only for the products updated since. NULL (older snapshots, catalog
            // files): every product is read.
            try db.alter(table: "export_snapshot") { t in
                t.add(column: "source_since", .datetime)
                t.add(column: "source_offset", .integer)
                t.add(column: "source_origin", .text)
            }
        }
        return migrator
    }
}
