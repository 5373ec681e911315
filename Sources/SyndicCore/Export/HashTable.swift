/// An open-addressing table from non-zero 64-bit hashes to 64-bit values, in two flat arrays:
/// a million entries cost 32 MB and no per-entry allocation (delta snapshots).
///
/// Keys are hashes already, so their low bits pick the slot. Key 0 is never stored.
struct HashTable: Sendable {
    private var keys: [UInt64]
    private var values: [UInt64]
    private let mask: Int

    /// A table for about `expected` entries (kept at most half full).
    init(expected: Int) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        keys = Array(repeating: 0, count: capacity)
        values = Array(repeating: 0, count: capacity)
        mask = capacity - 1
    }

    /// Sets the value of `key` (a later set replaces an earlier one); key 0 is ignored.
    mutating func set(_ key: UInt64, _ value: UInt64) {
        guard key != 0 else { return }
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let found = keys[slot]
            if found == 0 || found == key {
                keys[slot] = key
                values[slot] = value
                return
            }
            slot = (slot + 1) & mask
        }
    }

    /// Sets the value of `key` unless it has one.
    mutating func setIfAbsent(_ key: UInt64, _ value: UInt64) {
        guard key != 0 else { return }
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let found = keys[slot]
            if found == key { return }
            if found == 0 {
                keys[slot] = key
                values[slot] = value
                return
            }
            slot = (slot + 1) & mask
        }
    }

    /// The value of `key`, or nil.
    @inline(__always)
    func value(_ key: UInt64) -> UInt64? {
        guard key != 0 else { return nil }
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let found = keys[slot]
            if found == key { return values[slot] }
            if found == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }
}
