/// An open-addressing table from non-zero 64-bit hashes to 64-bit words, all in one flat
/// array (each slot: the key, then its word), so that a lookup touches one cache line: a
/// million entries cost tens of megabytes and no per-entry allocation (delta snapshots).
///
/// Keys are hashes already, so their low bits pick the slot. Key 0 is never stored.
struct HashTable: Sendable {
    private var slots: [UInt64]
    private let mask: Int

    /// A table for about `expected` entries (kept at most half full).
    init(expected: Int) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        slots = Array(repeating: 0, count: capacity * 2)
        mask = capacity - 1
    }

    /// Sets the word of `key` (a later set replaces an earlier one); key 0 is ignored.
    mutating func set(_ key: UInt64, _ word: UInt64) {
        store(key, word, replace: true)
    }

    /// Sets the word of `key` unless it has one.
    mutating func setIfAbsent(_ key: UInt64, _ word: UInt64) {
        store(key, word, replace: false)
    }

    private mutating func store(_ key: UInt64, _ word: UInt64, replace: Bool) {
        guard key != 0 else { return }
        let mask = mask
        slots.withUnsafeMutableBufferPointer { slots in
            var slot = Int(truncatingIfNeeded: key) & mask
            while true {
                let found = slots[slot * 2]
                if found == 0 || (found == key && replace) {
                    slots[slot * 2] = key
                    slots[slot * 2 + 1] = word
                    return
                }
                if found == key { return }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The word of `key`, or nil.
    @inline(__always)
    func value(_ key: UInt64) -> UInt64? {
        guard key != 0 else { return nil }
        return slots.withUnsafeBufferPointer { slots in
            var slot = Int(truncatingIfNeeded: key) & mask
            while true {
                let found = slots[slot * 2]
                if found == key { return slots[slot * 2 + 1] }
                if found == 0 { return nil }
                slot = (slot + 1) & mask
            }
        }
    }
}
