/// An open-addressing table from non-zero 64-bit hashes to `width` 64-bit words, all in one
/// flat array (each slot: the key, then its words), so that a lookup touches one cache line:
/// a million entries cost tens of megabytes and no per-entry allocation (delta snapshots).
///
/// Keys are hashes already, so their low bits pick the slot. Key 0 is never stored.
struct HashTable: Sendable {
    private var slots: [UInt64]
    private let mask: Int
    private let stride: Int

    /// A table for about `expected` entries (kept at most half full) of `width` words each.
    init(expected: Int, width: Int = 1) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        stride = width + 1
        slots = Array(repeating: 0, count: capacity * stride)
        mask = capacity - 1
    }

    /// Sets the words of `key` (a later set replaces an earlier one); key 0 is ignored.
    mutating func set(_ key: UInt64, _ first: UInt64, _ second: UInt64 = 0, _ third: UInt64 = 0) {
        store(key, first, second, third, replace: true)
    }

    /// Sets the words of `key` unless it has some.
    mutating func setIfAbsent(_ key: UInt64, _ first: UInt64, _ second: UInt64 = 0, _ third: UInt64 = 0) {
        store(key, first, second, third, replace: false)
    }

    private mutating func store(_ key: UInt64, _ first: UInt64, _ second: UInt64, _ third: UInt64, replace: Bool) {
        guard key != 0 else { return }
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let base = slot * stride
            let found = slots[base]
            if found == 0 || (found == key && replace) {
                slots[base] = key
                slots[base + 1] = first
                if stride > 2 { slots[base + 2] = second }
                if stride > 3 { slots[base + 3] = third }
                return
            }
            if found == key { return }
            slot = (slot + 1) & mask
        }
    }

    /// The first word of `key`, or nil.
    @inline(__always)
    func value(_ key: UInt64) -> UInt64? {
        guard let base = find(key) else { return nil }
        return slots[base + 1]
    }

    /// Word `index` of `key`'s words, where the slot starts at `base` (from `find`).
    @inline(__always)
    func word(_ base: Int, _ index: Int) -> UInt64 { slots[base + 1 + index] }

    /// Where `key`'s slot starts, or nil.
    @inline(__always)
    func find(_ key: UInt64) -> Int? {
        guard key != 0 else { return nil }
        return slots.withUnsafeBufferPointer { buffer in
            var slot = Int(truncatingIfNeeded: key) & mask
            while true {
                let base = slot * stride
                let found = buffer[base]
                if found == key { return base }
                if found == 0 { return nil }
                slot = (slot + 1) & mask
            }
        }
    }
}
