import Foundation

/// Internal order ids: UUIDs whose first 48 bits are the creation time in milliseconds
/// (RFC 9562 version 7). Orders created together get neighbouring keys, so inserting them
/// appends to the tables' B-trees instead of touching a random page per order.
///
/// The other 74 bits come from a SplitMix64 sequence seeded once per generator from the
/// system's random source: unique in practice, and no system call per id.
struct OrderIdentifier {
    private var state: UInt64

    init() {
        var system = SystemRandomNumberGenerator()
        state = system.next()
    }

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// A new id for an order created at `date`.
    mutating func make(at date: Date) -> String {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000)) & 0xFFFF_FFFF_FFFF
        let random = next()
        let high = (millis << 16) | 0x7000 | (random & 0x0FFF)
        let low = (next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        var bytes = [UInt8]()
        bytes.reserveCapacity(36)
        for (index, word) in [high, low].enumerated() {
            for nibble in 0..<16 {
                let position = index * 16 + nibble
                if [8, 12, 16, 20].contains(position) { bytes.append(UInt8(ascii: "-")) }
                bytes.append(Self.digits[Int((word >> UInt64(60 - 4 * nibble)) & 0xF)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
