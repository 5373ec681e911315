import Foundation

/// Consecutive entries of a previous snapshot, from its entry `firstOrdinal` on, indexed by
/// key hash and (with `byText`) by source-text hash. Built once and shared, read-only, by the
/// windows that hold it.
public final class DeltaChunk: Sendable {
    public let firstOrdinal: Int
    let entries: [DeltaSnapshot.Entry]
    /// Source-text hash → place in `entries` (the first, where a text repeats).
    private let byRaw: HashTable?
    /// Key hash → output hash (the last, where a key repeats).
    let byKey: HashTable

    /// Indexes `entries`; with `parallel`, the two tables are built side by side (a whole
    /// snapshot of a million entries).
    public init(_ entries: [DeltaSnapshot.Entry], firstOrdinal: Int, byText: Bool, parallel: Bool = false) {
        self.firstOrdinal = firstOrdinal
        self.entries = entries
        guard parallel, byText else {
            byRaw = byText ? Self.rawTable(entries) : nil
            byKey = Self.keyTable(entries)
            return
        }
        let built = Built()
        DispatchQueue.concurrentPerform(iterations: 2) { table in
            if table == 0 { built.set(raw: Self.rawTable(entries)) } else { built.set(key: Self.keyTable(entries)) }
        }
        byRaw = built.raw
        byKey = built.key!
    }

    private static func rawTable(_ entries: [DeltaSnapshot.Entry]) -> HashTable {
        var table = HashTable(expected: entries.count)
        for (offset, entry) in entries.enumerated() { table.setIfAbsent(entry.rawHash, UInt64(offset)) }
        return table
    }

    private static func keyTable(_ entries: [DeltaSnapshot.Entry]) -> HashTable {
        var table = HashTable(expected: entries.count)
        for entry in entries { table.set(entry.keyHash, entry.outputHash) }
        return table
    }

    /// The ordinal after the chunk's last entry.
    public var end: Int { firstOrdinal + entries.count }

    /// The entry whose text hashes to `rawHash` and its ordinal, if the chunk has one.
    @inline(__always)
    func unchanged(rawHash: UInt64) -> (entry: DeltaSnapshot.Entry, ordinal: Int)? {
        guard let byRaw, let offset = byRaw.value(rawHash) else { return nil }
        let place = Int(truncatingIfNeeded: offset)
        return (entries[place], firstOrdinal + place)
    }

    /// The tables built on two threads.
    private final class Built: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var raw: HashTable?
        private(set) var key: HashTable?
        func set(raw table: HashTable) { lock.withLock { raw = table } }
        func set(key table: HashTable) { lock.withLock { key = table } }
    }
}
