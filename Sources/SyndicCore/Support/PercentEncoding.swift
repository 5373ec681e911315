/// Percent-encoding for URL query components, byte by byte: RFC 3986's unreserved ASCII
/// characters (letters, digits, `-._~`) and the ones a caller keeps stay as they are;
/// every other byte of the text's UTF-8 is written `%XX`, so the result is ASCII.
public enum PercentEncoding {
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// `text` encoded; the ASCII characters of `keeping` also stay as they are.
    public static func encoded(_ text: String, keeping: StaticString = "") -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        keeping.withUTF8Buffer { kept in
            for byte in text.utf8 {
                if isUnreserved(byte) || kept.contains(byte) {
                    out.append(byte)
                } else {
                    out.append(UInt8(ascii: "%"))
                    out.append(hex[Int(byte >> 4)])
                    out.append(hex[Int(byte & 0x0F)])
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
