extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal rendering of bytes, two digits per byte.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    /// The bytes of a hexadecimal string (pairs of digits; a pair that is not hex reads as 0,
    /// a trailing single digit is ignored).
    public init(hexString hex: String) {
        self = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
    }
}
