/// The previous snapshot, indexed by source-text hash and by key hash, and the decisions
/// made against it; the entries decided go to the caller's list.
///
/// The entries are indexed in chunks (`DeltaChunk`): the whole snapshot in one, or the parts
/// of a large one around the catalog's place (`DeltaWindows`), each indexed once.
public struct DeltaIndex: Sendable {
    public let delta: Bool
    public let specDigest: String
    /// Chunks of the previous snapshot's entries, in snapshot order, one after the other.
    private let chunks: [DeltaChunk]
    /// With an index of keys alone: key hash → output hash.
    private let keys: HashTable?
    /// Whether products can be known unchanged from their source text alone (a delta export
    /// whose spec digest is the previous snapshot's).
    public let decidesByText: Bool

    /// An index of the whole of `previous`.
    public init(delta: Bool, specDigest: String, previous: DeltaSnapshot?) {
        self.delta = delta
        self.specDigest = specDigest
        keys = nil
        guard delta, let previous else {
            chunks = []
            decidesByText = false
            return
        }
        decidesByText = previous.specDigest == specDigest
        chunks = [DeltaChunk(previous.entries, firstOrdinal: 0, byText: decidesByText, parallel: true)]
    }

    /// A delta export's index of consecutive chunks of the previous snapshot (made with
    /// `byText` when its spec digest is `specDigest`).
    public init(specDigest: String, chunks: [DeltaChunk], byText: Bool) {
        delta = true
        self.specDigest = specDigest
        self.chunks = chunks
        keys = nil
        decidesByText = byText
    }

    /// An index of the previous snapshot's keys alone (`keys`), for a read that returns only
    /// some products in an order of its own (Akeneo's products updated since the last export):
    /// a product is sent when its output differs from its key's previous one. Nothing is known
    /// unchanged by its text (`decidesByText` is false).
    public init(specDigest: String, keys: DeltaKeys) {
        delta = true
        self.specDigest = specDigest
        chunks = []
        self.keys = keys.table
        decidesByText = false
    }

    /// The previous output hash of the product whose key hashes to `keyHash` (0: it was not
    /// exported); nil when the previous snapshot does not have it or the index has no keys.
    /// Where a key appears more than once, its last entry counts.
    public func previousOutput(keyHash: UInt64) -> UInt64? {
        if let keys { return keys.value(keyHash) }
        for chunk in chunks.reversed() {
            if let output = chunk.byKey.value(keyHash) { return output }
        }
        return nil
    }

    /// The previous entry of the product whose source text hashes to `rawHash`, when that
    /// text is unchanged; nil otherwise.
    @inline(__always)
    public func unchangedEntry(rawHash: UInt64) -> DeltaSnapshot.Entry? {
        unchanged(rawHash: rawHash)?.entry
    }

    /// The previous entry of an unchanged text and its place in the previous snapshot (the
    /// first one, where the text appears more than once).
    @inline(__always)
    public func unchanged(rawHash: UInt64) -> (entry: DeltaSnapshot.Entry, ordinal: Int)? {
        guard decidesByText else { return nil }
        for chunk in chunks {
            if let found = chunk.unchanged(rawHash: rawHash) { return found }
        }
        return nil
    }

    /// `unchanged(rawHash:)`, trying first the entry after `previous` (the ordinal of the
    /// product matched just before, or -1): a read in the previous snapshot's order finds its
    /// entries one after the other, without a lookup in the table. Entries with the same
    /// text are the same entry (same key, same output), wherever they are.
    @inline(__always)
    public func unchanged(rawHash: UInt64, after previous: Int) -> (entry: DeltaSnapshot.Entry, ordinal: Int)? {
        let next = previous + 1
        if rawHash != 0, decidesByText, previous >= 0 {
            for chunk in chunks where next >= chunk.firstOrdinal && next < chunk.end {
                let entry = chunk.entries[next - chunk.firstOrdinal]
                if entry.rawHash == rawHash { return (entry, next) }
                break
            }
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
        guard delta else { return true }
        return previousOutput(keyHash: keyHash) != output
    }
}
