import Foundation

/// A few keys stored back to back in one buffer, matched against strings of JSON text without
/// building them: the scanner's property names, attribute codes, locales and scopes. (An array
/// of arrays would retain and release each key on every comparison — the hot path.)
struct KeySet: Sendable {
    private let bytes: [UInt8]
    /// Where each key starts in `bytes`; one more entry marks the end of the last key.
    private let offsets: [Int]
    let keys: [String]

    init(_ keys: [String]) {
        self.keys = keys
        var bytes: [UInt8] = []
        var offsets = [0]
        for key in keys {
            bytes.append(contentsOf: key.utf8)
            offsets.append(bytes.count)
        }
        self.bytes = bytes
        self.offsets = offsets
    }

    var count: Int { keys.count }
    var isEmpty: Bool { keys.isEmpty }

    /// The index of the key the string at `range` equals, or nil.
    @inline(__always)
    func index(of range: JSONCursor.StringRange, in cursor: JSONCursor) -> Int? {
        if range.escaped {
            guard let text = try? cursor.string(range) else { return nil }
            return keys.firstIndex(of: text)
        }
        let length = range.end - range.start
        return bytes.withUnsafeBufferPointer { buffer in
            offsets.withUnsafeBufferPointer { offsets in
                for slot in 0..<(offsets.count - 1) where offsets[slot + 1] - offsets[slot] == length {
                    if length == 0 || memcmp(cursor.base + range.start, buffer.baseAddress! + offsets[slot], length) == 0 {
                        return slot
                    }
                }
                return nil
            }
        }
    }

    /// Whether the string at `range` equals key `slot`.
    @inline(__always)
    func matches(_ range: JSONCursor.StringRange, _ slot: Int, in cursor: JSONCursor) -> Bool {
        if range.escaped { return (try? cursor.string(range)) == keys[slot] }
        let length = range.end - range.start
        return bytes.withUnsafeBufferPointer { buffer in
            let start = offsets[slot]
            guard offsets[slot + 1] - start == length else { return false }
            return length == 0 || memcmp(cursor.base + range.start, buffer.baseAddress! + start, length) == 0
        }
    }
}
