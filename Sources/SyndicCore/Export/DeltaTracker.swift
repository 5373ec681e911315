import Foundation

/// Decides, product by product, what one export sends, and builds the snapshot the export
/// leaves behind once it succeeds.
///
/// - A full export sends every product that passes the filter and maps.
/// - A delta export sends a product only when its mapped output differs from the output the
///   previous snapshot holds for its key (or it has none). When the spec digest is unchanged,
///   a product whose source text is byte for byte what the snapshot saw is not even read
///   again: its output cannot have changed.
///
/// The new snapshot covers every product read; products the destination refused are marked
/// so that the next delta export sends them again. Nothing is stored unless the export
/// succeeds — the watermark moves only then.
public struct DeltaTracker: Sendable {
    /// What the previous snapshot says (shared, read-only: chunks of products are decided in
    /// parallel against it).
    public let index: DeltaIndex
    /// The new snapshot's entries not taken yet (`takeEntries`), in source order.
    public private(set) var entries: [DeltaSnapshot.Entry] = []
    /// How many entries the new snapshot has, taken ones included.
    public private(set) var count = 0

    /// A tracker for one export; `previous` is the last successful export's snapshot, if any.
    public init(delta: Bool, specDigest: String, previous: DeltaSnapshot?) {
        index = DeltaIndex(delta: delta, specDigest: specDigest, previous: previous)
        entries.reserveCapacity(min(previous?.entries.count ?? 0, 1 << 16))
    }

    /// Whether this export sends only changed products.
    public var delta: Bool { index.delta }

    /// Appends the entries of a chunk decided elsewhere (in source order).
    public mutating func append(contentsOf chunk: [DeltaSnapshot.Entry]) {
        entries.append(contentsOf: chunk)
        count += chunk.count
    }

    /// The entries not taken yet, once there are at least `minimum` (an export stores the
    /// snapshot in parts as it goes, so that it never holds it whole).
    public mutating func takeEntries(atLeast minimum: Int) -> [DeltaSnapshot.Entry]? {
        guard !entries.isEmpty, entries.count >= minimum else { return nil }
        defer { entries.removeAll(keepingCapacity: true) }
        return entries
    }

    /// The first `size` entries not taken yet, once there are that many: parts of one size,
    /// the rest kept for the next part.
    public mutating func takePart(size: Int) -> [DeltaSnapshot.Entry]? {
        guard size > 0, entries.count >= size else { return nil }
        defer { entries.removeFirst(size) }
        return Array(entries.prefix(size))
    }

    /// Marks products the destination refused among the entries not taken yet, so the next
    /// delta export sends them again (taken entries are marked when the snapshot is read back:
    /// the store keeps the refused keys with it).
    public mutating func refused(keyHashes: Set<UInt64>) {
        guard !keyHashes.isEmpty else { return }
        for position in entries.indices where keyHashes.contains(entries[position].keyHash) {
            entries[position].rawHash = 0
            entries[position].outputHash = 0
        }
    }

    /// The snapshot of the entries not taken yet (all of them when none was taken).
    public func snapshot() -> DeltaSnapshot { DeltaSnapshot(specDigest: index.specDigest, entries: entries) }
}

/// The previous snapshot's keys and outputs, added part by part (a key-only `DeltaIndex`:
/// 32 bytes a product, the entries themselves never held whole).
public struct DeltaKeys: Sendable {
    private(set) var table: HashTable
    /// How many keys the table takes before it would be full (it is sized for the snapshot's
    /// count; entries beyond it are left out: their products count as new and are sent).
    private let room: Int
    public private(set) var count = 0

    /// Keys for a snapshot of about `expected` products.
    public init(expected: Int) {
        let sized = max(expected, 16)
        table = HashTable(expected: sized)
        room = sized * 2 - 1
    }

    /// Adds a part's entries, those of `refused` keys as never exported (their output 0).
    public mutating func add(_ entries: [DeltaSnapshot.Entry], refused: Set<UInt64> = []) {
        for entry in entries where count < room {
            table.set(entry.keyHash, refused.contains(entry.keyHash) ? 0 : entry.outputHash)
            count += 1
        }
    }
}
