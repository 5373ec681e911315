import Foundation
import GRDB
import SyndicCore

extension SQLiteStateStore: ExportStore {
    public func deltaSnapshot(channel: String) throws -> DeltaSnapshot? {
        let blob = try pool.read { db in
            try Data.fetchOne(db, sql: "SELECT entries FROM export_snapshot WHERE channel = ?", arguments: [channel])
        }
        return blob.flatMap { data in data.withUnsafeBytes { DeltaSnapshot.decode($0) } }
    }

    public func recordProductExport(_ record: ProductExportRecord, snapshot: DeltaSnapshot) throws {
        var bytes = snapshot.encoded()
        // The encoded snapshot goes to SQLite without a second copy (a million products: 24 MB).
        try bytes.withUnsafeMutableBytes { raw in
            let entries = Data(bytesNoCopy: raw.baseAddress!, count: raw.count, deallocator: .none)
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO export_record (channel, run_id, mode, at, sent, file, products) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [record.channel, record.runID, record.mode, record.at, record.sent, record.file,
                                     record.products.joined(separator: "\n")])
                try db.execute(sql: """
                    INSERT INTO export_snapshot (channel, spec_digest, run_id, created_at, products, entries)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(channel) DO UPDATE SET spec_digest = excluded.spec_digest, run_id = excluded.run_id,
                        created_at = excluded.created_at, products = excluded.products, entries = excluded.entries
                    """, arguments: [record.channel, snapshot.specDigest, record.runID, record.at, snapshot.entries.count,
                                     entries])
            }
        }
    }

    public func productExports(runID: Int64) throws -> [ProductExportRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM export_record WHERE run_id = ? ORDER BY id", arguments: [runID])
                .map(Self.exportRecord)
        }
    }

    public func productExports(channel: String, limit: Int) throws -> [ProductExportRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM export_record WHERE channel = ? ORDER BY id DESC LIMIT ?",
                             arguments: [channel, limit]).map(Self.exportRecord)
        }
    }

    private static func exportRecord(_ row: Row) -> ProductExportRecord {
        let products: String = row["products"]
        return ProductExportRecord(channel: row["channel"], runID: row["run_id"], mode: row["mode"], at: row["at"],
                                   sent: row["sent"], file: row["file"],
                                   products: products.isEmpty ? [] : products.components(separatedBy: "\n"))
    }

    public func saveArtifact(runID: Int64, channel: String, name: String, content: Data, at date: Date) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO run_artifact (run_id, channel, name, content, created_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [runID, channel, name, content, date])
        }
    }

    public func artifacts(runID: Int64) throws -> [(name: String, size: Int)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, length(content) AS size FROM run_artifact WHERE run_id = ? ORDER BY name",
                             arguments: [runID]).map { (name: $0["name"], size: $0["size"]) }
        }
    }

    public func artifact(runID: Int64, name: String) throws -> Data? {
        try pool.read { db in
            try Data.fetchOne(db, sql: "SELECT content FROM run_artifact WHERE run_id = ? AND name = ?", arguments: [runID, name])
        }
    }

    public func saveRequirements(_ requirements: RequirementSet, channel: String) throws {
        let json = String(decoding: try JSONEncoder().encode(requirements.attributes), as: UTF8.self)
        try pool.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO requirement_set (channel, fetched_at, attributes) VALUES (?, ?, ?)
                """, arguments: [channel, requirements.fetchedAt, json])
        }
    }

    public func requirements() throws -> [String: RequirementSet] {
        try pool.read { db in
            var result: [String: RequirementSet] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM requirement_set") {
                let json: String = row["attributes"]
                let attributes = (try? JSONDecoder().decode([MarketplaceAttribute].self, from: Data(json.utf8))) ?? []
                result[row["channel"]] = RequirementSet(fetchedAt: row["fetched_at"], attributes: attributes)
            }
            return result
        }
    }
}
