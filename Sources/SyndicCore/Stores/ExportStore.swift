import Foundation

/// What the product flows keep in the state: delta snapshots and export records, files a
/// run produced (feedback files, error reports), and marketplace requirements.
public protocol ExportStore: Sendable {
    /// The snapshot of the channel's last successful export, if any.
    func deltaSnapshot(channel: String) throws -> DeltaSnapshot?
    /// What the channel's snapshot is, without its entries (to read them part by part).
    func snapshotHeader(channel: String) throws -> SnapshotHeader?
    /// One part of a stored snapshot, refused keys not yet marked; nil past the last one.
    func snapshotPart(channel: String, generation: Int64, seq: Int) throws -> [DeltaSnapshot.Entry]?
    /// Starts a new snapshot of the channel, written in parts while the export runs. Returns
    /// its generation, above every generation the channel had.
    func beginSnapshot(channel: String) throws -> Int64
    /// Removes the parts of the channel's snapshots older than `generation` except its current
    /// one: the previous snapshot of the last recorded export (kept until now, so that
    /// recording an export does not wait on freeing it) and those of exports that never finished.
    func removeStaleSnapshots(channel: String, before generation: Int64) throws
    /// Stores the next part of a snapshot being written.
    func appendSnapshotPart(channel: String, generation: Int64, seq: Int, entries: ArraySlice<DeltaSnapshot.Entry>) throws
    /// Drops a snapshot being written (the export failed or was a dry run).
    func discardSnapshot(channel: String, generation: Int64) throws
    /// Records a successful export; the snapshot written in parts (`generation`, `count`
    /// entries) becomes the channel's (the previous one's parts stay until the next snapshot
    /// begins: `removeStaleSnapshots`), with the keys the destination refused and, when the
    /// export read from Akeneo, the PIM's clock when that read started (`sourceSince`) and its
    /// UTC offset in seconds (`sourceOffset`) and the PIM read (`sourceOrigin`, its URL): where
    /// the next delta export reads from. One transaction.
    func recordProductExport(_ record: ProductExportRecord, generation: Int64, specDigest: String, count: Int,
                             refused: [UInt64], sourceSince: Date?, sourceOffset: Int?, sourceOrigin: String?) throws
    /// Export records of a run (normally one).
    func productExports(runID: Int64) throws -> [ProductExportRecord]
    /// The newest export records of a channel, newest first.
    func productExports(channel: String, limit: Int) throws -> [ProductExportRecord]
    /// The channel's newest export record whose `products` name exactly this product
    /// identifier; nil when none does.
    func lastProductExport(channel: String, product: String) throws -> ProductExportRecord?
    /// Keeps a file a run produced (replacing one of the same name).
    func saveArtifact(runID: Int64, channel: String, name: String, content: Data, at date: Date) throws
    /// The files a run produced: names and sizes, by name.
    func artifacts(runID: Int64) throws -> [(name: String, size: Int)]
    /// One file of a run.
    func artifact(runID: Int64, name: String) throws -> Data?
    /// Stores the marketplace's attributes for a channel (replacing the previous set).
    func saveRequirements(_ requirements: RequirementSet, channel: String) throws
    /// The stored requirements of every channel that has some, by channel.
    func requirements() throws -> [String: RequirementSet]
}

/// One successful product export: when, full or delta, how many products it sent, the file
/// it wrote (flat-file), and — for a delta export — the keys of the products it sent.
public struct ProductExportRecord: Hashable, Sendable {
    public var channel: String
    public var runID: Int64?
    public var mode: String
    public var at: Date
    public var sent: Int
    public var file: String?
    public var products: [String]

    public init(channel: String, runID: Int64?, mode: String, at: Date, sent: Int, file: String?, products: [String]) {
        self.channel = channel
        self.runID = runID
        self.mode = mode
        self.at = at
        self.sent = sent
        self.file = file
        self.products = products
    }
}

/// A stored delta snapshot without its entries.
public struct SnapshotHeader: Hashable, Sendable {
    public var specDigest: String
    /// The generation of its parts. Every stored snapshot has one (snapshots stored whole
    /// before parts existed are moved into parts by the state's migrations): a header
    /// without one is no snapshot, and is read as none.
    public var generation: Int64?
    /// How many products it covers.
    public var count: Int
    /// Key hashes the destination refused: their entries count as never exported.
    public var refused: Set<UInt64>
    /// The source's clock when the export's read started (Akeneo's); nil when the export read
    /// a catalog file, or was recorded by a syndic that did not keep it. A delta export reads
    /// the products updated since then (minus a safety overlap) only when it is known.
    public var sourceSince: Date?
    /// The source's offset from UTC in seconds when `sourceSince` was taken (dates in Akeneo's
    /// `search` are read in the PIM's time zone).
    public var sourceOffset: Int?
    /// The source read when `sourceSince` was taken (the PIM's URL): a delta export reads only
    /// the products updated since when it reads the same one.
    public var sourceOrigin: String?

    public init(specDigest: String, generation: Int64?, count: Int, refused: Set<UInt64>, sourceSince: Date? = nil,
                sourceOffset: Int? = nil, sourceOrigin: String? = nil) {
        self.specDigest = specDigest
        self.generation = generation
        self.count = count
        self.refused = refused
        self.sourceSince = sourceSince
        self.sourceOffset = sourceOffset
        self.sourceOrigin = sourceOrigin
    }
}

extension ExportStore {
    /// Records a successful export that read no source clock (a catalog file): its snapshot
    /// has no `sourceSince`, so the next delta export reads every product.
    public func recordProductExport(_ record: ProductExportRecord, generation: Int64, specDigest: String, count: Int,
                                    refused: [UInt64]) throws {
        try recordProductExport(record, generation: generation, specDigest: specDigest, count: count, refused: refused,
                                sourceSince: nil, sourceOffset: nil, sourceOrigin: nil)
    }

    /// Records a successful export with a snapshot held whole: the snapshot is written as one
    /// part, then it becomes the channel's with the record, in one transaction.
    public func recordProductExport(_ record: ProductExportRecord, snapshot: DeltaSnapshot) throws {
        let generation = try beginSnapshot(channel: record.channel)
        try removeStaleSnapshots(channel: record.channel, before: generation)
        try appendSnapshotPart(channel: record.channel, generation: generation, seq: 0, entries: snapshot.entries[...])
        try recordProductExport(record, generation: generation, specDigest: snapshot.specDigest,
                                count: snapshot.entries.count, refused: [])
    }
}

extension SnapshotHeader {
    /// The stored form of refused keys: little-endian 64-bit words, one after the other.
    public static func encodeRefused(_ keys: [UInt64]) -> Data {
        var bytes = Data(capacity: keys.count * 8)
        for key in keys { withUnsafeBytes(of: key.littleEndian) { bytes.append(contentsOf: $0) } }
        return bytes
    }

    /// The refused keys of their stored form (a trailing partial word is ignored).
    public static func decodeRefused(_ bytes: Data) -> Set<UInt64> {
        var keys = Set<UInt64>()
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset + 8 <= raw.count {
                keys.insert(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                offset += 8
            }
        }
        return keys
    }
}
