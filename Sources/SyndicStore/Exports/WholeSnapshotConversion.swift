import Foundation
import GRDB
import SyndicCore

/// Moves delta snapshots stored whole (one blob in `export_snapshot.entries`, written before
/// snapshots were stored in parts) into one part each, so that every snapshot is read the
/// same way: a header with a generation, and its parts.
enum WholeSnapshotConversion {
    /// Converts every `export_snapshot` row without a generation: its entries become part 0
    /// of a new generation (one above the highest the channel's parts used, so a number is
    /// never reused), and the row names that generation, counts the entries and keeps no
    /// blob. The spec digest stays the row's (written with the one the blob holds); the
    /// refused keys stay as they are (none, for such a row).
    ///
    /// A row whose blob cannot be read is deleted: the channel's next delta export then has
    /// no earlier snapshot and sends every product. Nothing is lost, more is sent (exactly as
    /// when such a snapshot was read before).
    static func run(_ db: Database) throws {
        let channels = try String.fetchAll(db, sql: "SELECT channel FROM export_snapshot WHERE generation IS NULL")
        for channel in channels {
            // One snapshot in memory at a time.
            let blob = try Data.fetchOne(db, sql: "SELECT entries FROM export_snapshot WHERE channel = ?",
                                         arguments: [channel]) ?? Data()
            guard let snapshot = blob.withUnsafeBytes({ DeltaSnapshot.decode($0) }) else {
                try db.execute(sql: "DELETE FROM export_snapshot WHERE channel = ?", arguments: [channel])
                continue
            }
            let highest = try Int64.fetchOne(db, sql: """
                SELECT MAX(generation) FROM export_snapshot_part WHERE channel = ?
                """, arguments: [channel]) ?? 0
            let generation = highest + 1
            try db.execute(sql: """
                INSERT INTO export_snapshot_part (channel, generation, seq, entries) VALUES (?, ?, 0, ?)
                """, arguments: [channel, generation, Data(DeltaSnapshot.encode(snapshot.entries[...]))])
            try db.execute(sql: """
                UPDATE export_snapshot SET generation = ?, products = ?, entries = X'' WHERE channel = ?
                """, arguments: [generation, snapshot.entries.count, channel])
        }
    }
}
