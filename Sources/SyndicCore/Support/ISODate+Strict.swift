import Foundation

extension ISODate {
    /// The instant `text` names when it is an RFC 3339 date-time (`2026-03-01T09:00:00Z`,
    /// `2026-03-01T10:00:00.250+01:00`) or a date alone (`2026-03-01`, midnight UTC): the
    /// forms OpenAPI calls `date-time` and `date`, which the Orders API takes. Nil for
    /// anything else, also for the looser forms `parse` reads from marketplaces.
    public static func parseStrict(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10 || isDateTime(bytes) else { return nil }
        guard bytes.count >= 10, isDigits(bytes[0..<4]), bytes[4] == UInt8(ascii: "-"), isDigits(bytes[5..<7]),
              bytes[7] == UInt8(ascii: "-"), isDigits(bytes[8..<10]) else { return nil }
        return parse(text)
    }

    /// `Thh:mm:ss`, an optional fraction, then `Z` or `+hh:mm` / `-hh:mm` (hours to 23,
    /// minutes to 59), after the date's 10 bytes.
    private static func isDateTime(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              isDigits(bytes[11..<13]), bytes[13] == UInt8(ascii: ":"), isDigits(bytes[14..<16]),
              bytes[16] == UInt8(ascii: ":"), isDigits(bytes[17..<19]) else { return false }
        var index = 19
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            guard index > start, index < bytes.count else { return false }
        }
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            return index + 1 == bytes.count
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let offset = bytes[(index + 1)...]
            guard offset.count == 5, isDigits(offset.prefix(2)), offset[offset.startIndex + 2] == UInt8(ascii: ":"),
                  isDigits(offset.suffix(2)) else { return false }
            let hours = Int(offset[offset.startIndex] - 48) * 10 + Int(offset[offset.startIndex + 1] - 48)
            let minutes = Int(offset[offset.startIndex + 3] - 48) * 10 + Int(offset[offset.startIndex + 4] - 48)
            return hours <= 23 && minutes <= 59
        default:
            return false
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    private static func isDigits(_ bytes: ArraySlice<UInt8>) -> Bool { bytes.allSatisfy(isDigit) }
}
