/// A fast 64-bit, non-cryptographic hash of bytes, for change detection (delta exports):
/// 16 bytes per step folded with 64×64→128-bit multiplications.
///
/// Not for secrets or anything an attacker chooses; a changed input changes the hash except
/// with a chance of about 2⁻⁶⁴. Stable across runs, builds and machines (little-endian words).
public enum FastHash {
    private static let p0: UInt64 = 0xa076_1d64_78bd_642f
    private static let p1: UInt64 = 0xe703_7ed1_a0b4_28db
    private static let p2: UInt64 = 0x8ebc_6af0_9c88_c6e3
    private static let p3: UInt64 = 0x5899_65cc_7537_4cc3

    /// The hash of `bytes`, seeded.
    @inline(__always)
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let count = bytes.count
        var state = seed ^ mix(UInt64(truncatingIfNeeded: count) ^ p0, p1)
        guard let base = bytes.baseAddress else { return mix(state ^ p2, p3) }
        var offset = 0
        while offset + 16 <= count {
            let a = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let b = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
            state = mix(a ^ p1 ^ state, b ^ p2)
            offset += 16
        }
        if offset < count {
            var tail: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &tail) { buffer in
                buffer.baseAddress!.copyMemory(from: base + offset, byteCount: count - offset)
            }
            state = mix(UInt64(littleEndian: tail.0) ^ p1 ^ state, UInt64(littleEndian: tail.1) ^ p3)
        }
        return mix(state ^ p2, UInt64(truncatingIfNeeded: count) ^ p0)
    }

    /// The hash of a byte array.
    public static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    /// The hash of a string's UTF-8 bytes.
    public static func hash(_ text: String, seed: UInt64 = 0) -> UInt64 {
        var text = text
        return text.withUTF8 { hash(UnsafeRawBufferPointer($0), seed: seed) }
    }

    @inline(__always)
    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }
}
