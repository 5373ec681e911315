import Foundation
import SyndicCore

/// `ExportStore` on PostgreSQL: delta snapshots (in parts by generation, with the keys the
/// destination refused), export records, run files and requirements.
extension PostgresStateStore {
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
        return DeltaSnapshot(specDigest: header.specDigest,
                             entries: DeltaSnapshot.marking(entries, refused: header.refused))
    }

    public func snapshotHeader(channel: String) throws -> SnapshotHeader? {
        try read { session in
            guard let row = try session.row("""
                SELECT spec_digest, generation, products, refused, source_since, source_offset, source_origin FROM export_snapshot
                WHERE channel = ?
                """, [channel]) else { return nil }
            let refused = try row.data("refused").map(SnapshotHeader.decodeRefused) ?? []
            return try SnapshotHeader(specDigest: row.get("spec_digest"), generation: row.get("generation"),
                                      count: row.get("products"), refused: refused,
                                      sourceSince: row.get("source_since", as: Date?.self),
                                      sourceOffset: row.get("source_offset", as: Int?.self),
                                      sourceOrigin: row.get("source_origin", as: String?.self))
        }
    }

    public func snapshotPart(channel: String, generation: Int64, seq: Int) throws -> [DeltaSnapshot.Entry]? {
        try read { session in
            guard let blob = try session.row("""
                SELECT entries FROM export_snapshot_part WHERE channel = ? AND generation = ? AND seq = ?
                """, [channel, generation, seq])?.data("entries") else { return nil }
            return DeltaSnapshot.entries(ofPart: blob)
        }
    }

    public func beginSnapshot(channel: String) throws -> Int64 {
        try write { session in
            let current = try session.value("SELECT generation FROM export_snapshot WHERE channel = ?", [channel],
                                            as: Int64.self)
            // Numbers are never reused: a worker that lost its lease but still writes can never
            // add parts to a newer snapshot.
            let highest = try session.value("SELECT MAX(generation) FROM export_snapshot_part WHERE channel = ?",
                                            [channel], as: Int64.self) ?? 0
            return max(highest, current ?? 0) + 1
        }
    }

    public func removeStaleSnapshots(channel: String, before generation: Int64) throws {
        try write { session in
            try session.execute("""
                DELETE FROM export_snapshot_part WHERE channel = ? AND generation < ?
                  AND generation IS DISTINCT FROM (SELECT generation FROM export_snapshot WHERE channel = ?)
                """, [channel, generation, channel])
        }
    }

    public func appendSnapshotPart(channel: String, generation: Int64, seq: Int,
                                   entries: ArraySlice<DeltaSnapshot.Entry>) throws {
        let blob = DeltaSnapshot.encode(entries)
        try write { session in
            try session.execute("""
                INSERT INTO export_snapshot_part (channel, generation, seq, entries) VALUES (?, ?, ?, ?)
                """, [channel, generation, seq, blob])
        }
    }

    public func discardSnapshot(channel: String, generation: Int64) throws {
        try write { session in
            try session.execute("DELETE FROM export_snapshot_part WHERE channel = ? AND generation = ?",
                                [channel, generation])
        }
    }

    public func recordProductExport(_ record: ProductExportRecord, generation: Int64, specDigest: String, count: Int,
                                    refused: [UInt64], sourceSince: Date?, sourceOffset: Int?, sourceOrigin: String?) throws {
        let refusedBytes = SnapshotHeader.encodeRefused(refused)
        try write { session in
            try session.execute("""
                INSERT INTO export_record (channel, run_id, mode, at, sent, file, products) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [record.channel, record.runID, record.mode, record.at, record.sent, record.file,
                      record.products.joined(separator: "\n")])
            try session.execute("""
                INSERT INTO export_snapshot (channel, spec_digest, run_id, created_at, products, entries, generation,
                                             refused, source_since, source_offset, source_origin)
                VALUES (?, ?, ?, ?, ?, ''::bytea, ?, ?, ?, ?, ?)
                ON CONFLICT (channel) DO UPDATE SET spec_digest = excluded.spec_digest, run_id = excluded.run_id,
                    created_at = excluded.created_at, products = excluded.products, entries = excluded.entries,
                    generation = excluded.generation, refused = excluded.refused,
                    source_since = excluded.source_since, source_offset = excluded.source_offset,
                    source_origin = excluded.source_origin
                """, [record.channel, specDigest, record.runID, record.at, count, generation, refusedBytes,
                      sourceSince, sourceOffset, sourceOrigin])
        }
    }

    public func productExports(runID: Int64) throws -> [ProductExportRecord] {
        try read { session in
            try session.rows("SELECT * FROM export_record WHERE run_id = ? ORDER BY id", [runID]).map(Self.exportRecord)
        }
    }

    public func productExports(channel: String, limit: Int) throws -> [ProductExportRecord] {
        try read { session in
            try session.rows("SELECT * FROM export_record WHERE channel = ? ORDER BY id DESC LIMIT ?", [channel, limit])
                .map(Self.exportRecord)
        }
    }

    public func lastProductExport(channel: String, product: String) throws -> ProductExportRecord? {
        // `products` holds one identifier a line: a whole line equal to the identifier is a
        // match, never a part of a longer one; the decoded list is checked all the same.
        guard !product.isEmpty, !product.contains("\n") else { return nil }
        let record = try read { session in
            try session.row("""
                SELECT * FROM export_record
                WHERE channel = ? AND strpos(chr(10) || products || chr(10), chr(10) || ? || chr(10)) > 0
                ORDER BY at DESC, id DESC LIMIT 1
                """, [channel, product]).map(Self.exportRecord)
        }
        guard let record, record.products.contains(product) else { return nil }
        return record
    }

    /// An export record of its row; `products` holds the keys one a line.
    private static func exportRecord(_ row: PGRow) throws -> ProductExportRecord {
        let products: String = try row.get("products")
        return try ProductExportRecord(channel: row.get("channel"), runID: row.get("run_id"), mode: row.get("mode"),
                                       at: row.get("at"), sent: row.get("sent"), file: row.get("file"),
                                       products: products.isEmpty ? [] : products.components(separatedBy: "\n"))
    }

    public func saveArtifact(runID: Int64, channel: String, name: String, content: Data, at date: Date) throws {
        try write { session in
            try session.execute("""
                INSERT INTO run_artifact (run_id, channel, name, content, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (run_id, name) DO UPDATE SET channel = excluded.channel, content = excluded.content,
                    created_at = excluded.created_at
                """, [runID, channel, name, content, date])
        }
    }

    public func artifacts(runID: Int64) throws -> [(name: String, size: Int)] {
        try read { session in
            // Names in SQLite's order (bytes), whatever the database's collation.
            try session.rows("""
                SELECT name, length(content)::bigint AS size FROM run_artifact WHERE run_id = ?
                ORDER BY name COLLATE "C"
                """, [runID]).map { row in
                    try (name: row.get("name", as: String.self), size: row.get("size", as: Int.self))
                }
        }
    }

    public func artifact(runID: Int64, name: String) throws -> Data? {
        try read { session in
            try session.row("SELECT content FROM run_artifact WHERE run_id = ? AND name = ?", [runID, name])?
                .data("content")
        }
    }

    public func saveRequirements(_ requirements: RequirementSet, channel: String) throws {
        let json = String(decoding: try JSONEncoder().encode(requirements.attributes), as: UTF8.self)
        try write { session in
            try session.execute("""
                INSERT INTO requirement_set (channel, fetched_at, attributes) VALUES (?, ?, ?)
                ON CONFLICT (channel) DO UPDATE SET fetched_at = excluded.fetched_at, attributes = excluded.attributes
                """, [channel, requirements.fetchedAt, json])
        }
    }

    public func requirements() throws -> [String: RequirementSet] {
        try read { session in
            var result: [String: RequirementSet] = [:]
            for row in try session.rows("SELECT * FROM requirement_set") {
                let channel: String = try row.get("channel")
                let json: String = try row.get("attributes")
                let attributes = (try? JSONDecoder().decode([MarketplaceAttribute].self, from: Data(json.utf8))) ?? []
                result[channel] = try RequirementSet(fetchedAt: row.get("fetched_at"), attributes: attributes)
            }
            return result
        }
    }
}
