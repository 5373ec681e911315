import Foundation
import GRDB
import SyndicCore

extension SQLiteStateStore: ExportStore {
    public func deltaSnapshot(channel: String) throws -> DeltaSnapshot? {
        // Every snapshot is stored in parts (the state migrations moved the older ones, stored
        // whole, into parts): a header without a generation is no snapshot.
        guard let header = try snapshotHeader(channel: channel), let generation = header.generation else { return nil }
        var entries: [DeltaSnapshot.Entry] = []
        entries.reserveCapacity(header.count)
        var seq = 0
        while let part = try snapshotPart(channel: channel, generation: generation, seq: seq) {
            entries.append(contentsOf: part)
            seq += 1
        }
        return DeltaSnapshot(specDigest: header.specDigest, entries: DeltaSnapshot.marking(entries, refused: header.refused))
    }

    public func snapshotHeader(channel: String) throws -> SnapshotHeader? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT spec_digest, generation, products, refused, source_since, source_offset, source_origin FROM export_snapshot
                WHERE channel = ?
                """, arguments: [channel]) else { return nil }
            let refused: Data? = row["refused"]
            return SnapshotHeader(specDigest: row["spec_digest"], generation: row["generation"], count: row["products"],
                                  refused: refused.map(SnapshotHeader.decodeRefused) ?? [],
                                  sourceSince: row["source_since"], sourceOffset: row["source_offset"],
                                  sourceOrigin: row["source_origin"])
        }
    }

    public func snapshotPart(channel: String, generation: Int64, seq: Int) throws -> [DeltaSnapshot.Entry]? {
        try pool.read { db in
            guard let blob = try Data.fetchOne(db, sql: """
                SELECT entries FROM export_snapshot_part WHERE channel = ? AND generation = ? AND seq = ?
                """, arguments: [channel, generation, seq]) else { return nil }
            return DeltaSnapshot.entries(ofPart: blob)
        }
    }

    public func beginSnapshot(channel: String) throws -> Int64 {
        try write { db in
            let current = try Int64.fetchOne(db, sql: "SELECT generation FROM export_snapshot WHERE channel = ?",
                                             arguments: [channel])
            // Numbers are never reused: a worker that lost its lease but still writes can never
            // add parts to a newer snapshot.
            let highest = try Int64.fetchOne(db, sql: "SELECT MAX(generation) FROM export_snapshot_part WHERE channel = ?",
                                             arguments: [channel]) ?? 0
            return max(highest, current ?? 0) + 1
        }
    }

    public func removeStaleSnapshots(channel: String, before generation: Int64) throws {
        try write { db in
            try db.execute(sql: """
                DELETE FROM export_snapshot_part WHERE channel = ? AND generation < ?
                  AND generation IS NOT (SELECT generation FROM export_snapshot WHERE channel = ?)
                """, arguments: [channel, generation, channel])
        }
    }

    public func appendSnapshotPart(channel: String, generation: Int64, seq: Int,
                                   entries: ArraySlice<DeltaSnapshot.Entry>) throws {
        let blob = Data(DeltaSnapshot.encode(entries))
        try write { db in
            try db.execute(sql: "INSERT INTO export_snapshot_part (channel, generation, seq, entries) VALUES (?, ?, ?, ?)",
                           arguments: [channel, generation, seq, blob])
        }
    }

    public func discardSnapshot(channel: String, generation: Int64) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM export_snapshot_part WHERE channel = ? AND generation = ?",
                           arguments: [channel, generation])
        }
    }

    public func recordProductExport(_ record: ProductExportRecord, generation: Int64, specDigest: String, count: Int,
                                    refused: [UInt64], sourceSince: Date?, sourceOffset: Int?, sourceOrigin: String?) throws {
        let refusedBytes = SnapshotHeader.encodeRefused(refused)
        try write { db in
            try db.execute(sql: """
                INSERT INTO export_record (channel, run_id, mode, at, sent, file, products) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.channel, record.runID, record.mode, record.at, record.sent, record.file,
                                 record.products.joined(separator: "\n")])
            try db.execute(sql: """
                INSERT INTO export_snapshot (channel, spec_digest, run_id, created_at, products, entries, generation, refused,
                                             source_since, source_offset, source_origin)
                VALUES (?, ?, ?, ?, ?, X'', ?, ?, ?, ?, ?)
                ON CONFLICT(channel) DO UPDATE SET spec_digest = excluded.spec_digest, run_id = excluded.run_id,
                    created_at = excluded.created_at, products = excluded.products, entries = X'',
                    generation = excluded.generation, refused = excluded.refused,
                    source_since = excluded.source_since, source_offset = excluded.source_offset,
                    source_origin = excluded.source_origin
                """, arguments: [record.channel, specDigest, record.runID, record.at, count, generation, refusedBytes,
                                 sourceSince, sourceOffset, sourceOrigin])
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

    public func lastProductExport(channel: String, product: String) throws -> ProductExportRecord? {
        // `products` holds one identifier a line: a whole line equal to the identifier is a
        // match, never a part of a longer one; the decoded list is checked all the same.
        guard !product.isEmpty, !product.contains("\n") else { return nil }
        let record = try pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT * FROM export_record
                WHERE channel = ? AND instr(char(10) || products || char(10), char(10) || ? || char(10)) > 0
                ORDER BY at DESC, id DESC LIMIT 1
                """, arguments: [channel, product]).map(Self.exportRecord)
        }
        guard let record, record.products.contains(product) else { return nil }
        return record
    }

    private static func exportRecord(_ row: Row) -> ProductExportRecord {
        let products: String = row["products"]
        return ProductExportRecord(channel: row["channel"], runID: row["run_id"], mode: row["mode"], at: row["at"],
                                   sent: row["sent"], file: row["file"],
                                   products: products.isEmpty ? [] : products.components(separatedBy: "\n"))
    }

    public func saveArtifact(runID: Int64, channel: String, name: String, content: Data, at date: Date) throws {
        try write { db in
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
        try write { db in
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
