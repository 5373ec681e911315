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

/// The previous snapshot, indexed by source-text hash and by key hash, and the decisions
/// made against it; the entries decided go to the caller's list.
public struct DeltaIndex: Sendable {
    public let delta: Bool
    public let specDigest: String
    /// Source-text hash → place in `window` of the previous snapshot's entry (half the size
    /// of a table holding the entries: a window is indexed for every 131,072 products).
    private let byRaw: HashTable?
    private let byKey: HashTable?
    /// The indexed entries in snapshot order (with `byRaw`), the first being entry
    /// `firstOrdinal`: a catalog mostly lists its products in the order of the previous
    /// snapshot, so the entry after the last one matched is tried before the table.
    private let window: [DeltaSnapshot.Entry]
    private let firstOrdinal: Int

    /// An index of `previous` (or of a window of it whose first entry is the snapshot's entry
    /// `firstOrdinal`).
    public init(delta: Bool, specDigest: String, previous: DeltaSnapshot?, firstOrdinal: Int = 0) {
        self.delta = delta
        self.specDigest = specDigest
        self.firstOrdinal = firstOrdinal
        let usable = delta ? previous : nil
        guard let usable else {
            byRaw = nil
            byKey = nil
            window = []
            return
        }
        // The two tables are built side by side (a million entries each).
        let entries = usable.entries
        let bySpec = usable.specDigest == specDigest
        let built = Built()
        DispatchQueue.concurrentPerform(iterations: 2) { table in
            if table == 0 {
                guard bySpec else { return }
                var byRaw = HashTable(expected: entries.count)
                for (offset, entry) in entries.enumerated() { byRaw.setIfAbsent(entry.rawHash, UInt64(offset)) }
                built.set(raw: byRaw)
            } else {
                var byKey = HashTable(expected: entries.count)
                for entry in entries { byKey.set(entry.keyHash, entry.outputHash) }
                built.set(key: byKey)
            }
        }
        byRaw = built.raw
        byKey = built.key
        window = bySpec ? entries : []
    }

    /// An index of the previous snapshot's keys alone (`keys`), for a read that returns only
    /// some products in an order of its own (Akeneo's products updated since the last export):
    /// a product is sent when its output differs from its key's previous one. Nothing is known
    /// unchanged by its text (`decidesByText` is false).
    public init(specDigest: String, keys: DeltaKeys) {
        delta = true
        self.specDigest = specDigest
        byRaw = nil
        byKey = keys.table
        window = []
        firstOrdinal = 0
    }

    /// The previous output hash of the product whose key hashes to `keyHash` (0: it was not
    /// exported); nil when the previous snapshot does not have it or the index has no keys.
    public func previousOutput(keyHash: UInt64) -> UInt64? { byKey?.value(keyHash) }

    /// The tables built on two threads.
    private final class Built: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var raw: HashTable?
        private(set) var key: HashTable?
        func set(raw table: HashTable) { lock.withLock { raw = table } }
        func set(key table: HashTable) { lock.withLock { key = table } }
    }

    /// Whether products can be known unchanged from their source text alone (a delta export
    /// whose spec digest is the previous snapshot's).
    public var decidesByText: Bool { byRaw != nil }

    /// The previous entry of the product whose source text hashes to `rawHash`, when that
    /// text is unchanged; nil otherwise.
    @inline(__always)
    public func unchangedEntry(rawHash: UInt64) -> DeltaSnapshot.Entry? {
        unchanged(rawHash: rawHash)?.entry
    }

    /// The previous entry of an unchanged text and its place in the previous snapshot.
    @inline(__always)
    public func unchanged(rawHash: UInt64) -> (entry: DeltaSnapshot.Entry, ordinal: Int)? {
        guard let byRaw, let offset = byRaw.value(rawHash) else { return nil }
        let place = Int(truncatingIfNeeded: offset)
        return (window[place], firstOrdinal + place)
    }

    /// `unchanged(rawHash:)`, trying first the entry after `previous` (the ordinal of the
    /// product matched just before, or -1): a read in the previous snapshot's order finds its
    /// entries one after the other, without a lookup in the table. Entries with the same
    /// text are the same entry (same key, same output), wherever they are.
    @inline(__always)
    public func unchanged(rawHash: UInt64, after previous: Int) -> (entry: DeltaSnapshot.Entry, ordinal: Int)? {
        let next = previous + 1 - firstOrdinal
        if rawHash != 0, previous >= 0, next >= 0, next < window.count, window[next].rawHash == rawHash {
            return (window[next], previous + 1)
        }
        return unchanged(rawHash: rawHash)
    }

    /// Records a product that was read but is not exported (filtered out or skipped).
    public func notExported(rawHash: UInt64, keyHash: UInt64, into entries: inout [DeltaSnapshot.Entry]) {
        entries.append(DeltaSnapshot.Entry(rawHash: rawHash, keyHash: keyHash, outputHash: 0))
    }

    /// Records a mapped product; returns whether this export sends it (always, for a full
    /// export; for a delta export, when its output differs from the previous one for its key).
    public func mapped(rawHash: UInt64, keyHash: UInt64, outputHash: UInt64, into entries: inout [DeltaSnapshot.Entry]) -> Bool {
        let output = outputHash | 1
        entries.append(DeltaSnapshot.Entry(rawHash: rawHash, keyHash: keyHash, outputHash: output))
        guard delta, let byKey else { return true }
        return byKey.value(keyHash) != output
    }
}

/// The previous snapshot's keys and outputs, added part by part (a key-only `DeltaIndex`:
/// 32 bytes a product, the entries themselves never held whole).
public struct DeltaKeys: Sendable {
    fileprivate private(set) var table: HashTable
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
