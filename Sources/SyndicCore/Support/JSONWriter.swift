import Foundation

/// Writes JSON text straight into bytes, members in the order they are written: the Orders
/// API renders thousands of orders a second, so no tree is built and nothing is sorted.
///
/// The writer places commas itself: a value after another value of the same object or
/// list is preceded by one.
public struct JSONWriter: Sendable {
    /// The text written so far (UTF-8).
    public private(set) var bytes: [UInt8] = []
    /// Whether the next value of the current object or list is its first.
    private var first = true

    public init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: - Structure

    /// Opens an object (as a value, or the value of the key just written).
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        first = true
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    /// Opens a list.
    public mutating func beginList() {
        separate()
        bytes.append(UInt8(ascii: "["))
        first = true
    }

    public mutating func endList() {
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    /// Writes a member's key; its value follows.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        first = true
    }

    /// Writes a member's key given at run time (escaped as a string); its value follows.
    public mutating func key(text name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
        first = true
    }

    // MARK: - Values

    public mutating func string(_ text: String?) {
        guard let text else { return null() }
        var copy = text
        copy.withUTF8 { string(utf8: $0) }
    }

    /// A string given as UTF-8 bytes (straight from a database column). Runs that need no
    /// escape (most text) are copied whole; `"`, `\` and control characters are escaped.
    public mutating func string(utf8: UnsafeBufferPointer<UInt8>) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var start = 0
        var index = Self.firstEscaped(in: utf8, from: 0)
        while index < utf8.count {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
            appendEscape(utf8[index])
            start = index + 1
            index = Self.firstEscaped(in: utf8, from: start)
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
        bytes.append(UInt8(ascii: "\""))
    }

    /// The escape of one byte JSON does not allow in a string: `\"`, `\\`, `\n`, `\r`, `\t`,
    /// or `\u00XX` for the other control characters.
    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
        case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(UInt8(ascii: "u"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(Self.hexDigit(byte >> 4))
            bytes.append(Self.hexDigit(byte & 0xF))
        }
    }

    /// The lowercase hexadecimal digit of `value` (0…15).
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    /// The position of the first byte at or after `start` that a JSON string must escape
    /// (`"`, `\`, or below 0x20), or `text.count` when there is none. Eight bytes are
    /// tested at a time; the byte-by-byte test then finds the exact position.
    static func firstEscaped(in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = text.baseAddress else { return text.count }
        let count = text.count
        var index = start
        while count - index >= 8 {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if Self.hasByteToEscape(word) { break }
            index += 8
        }
        while index < count {
            let byte = base[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return index }
            index += 1
        }
        return count
    }

    /// Whether any of the eight bytes of `word` is below 0x20, `"` or `\` (exact: the
    /// classic "has a byte less than" and "has a zero byte" word tests; bytes of 0x80 and
    /// above, the parts of multi-byte characters, never match).
    static func hasByteToEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word & highBits
        let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let quote = (quotes &- ones) & ~quotes & highBits
        let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let backslash = (backslashes &- ones) & ~backslashes & highBits
        return (control | quote | backslash) != 0
    }

    /// Appends text that is already JSON (a literal written by the caller).
    public mutating func raw(_ literal: UnsafeBufferPointer<UInt8>) {
        separate()
        bytes.append(contentsOf: literal)
    }

    /// A whole number; `nil` is written as null.
    public mutating func int(_ number: Int64?) {
        guard let number else { return null() }
        separate()
        appendDigits(number)
    }

    /// A whole number; `nil` is written as null.
    public mutating func int(_ number: Int?) {
        guard let number else { return null() }
        separate()
        appendDigits(Int64(number))
    }

    /// A whole number of another type; `nil` is written as null.
    public mutating func int<Number: BinaryInteger>(_ number: Number?) {
        guard let number else { return null() }
        separate()
        if let small = Int64(exactly: number) {
            appendDigits(small)
        } else {
            bytes.append(contentsOf: String(number).utf8)
        }
    }

    /// A number; a value that is not finite is written as null.
    public mutating func double(_ number: Double?) {
        guard let number, number.isFinite else { return null() }
        separate()
        if number == number.rounded(), abs(number) < 1e15 {
            appendDigits(Int64(number))
        } else {
            bytes.append(contentsOf: String(number).utf8)
        }
    }

    public mutating func bool(_ flag: Bool) {
        separate()
        append(flag ? "true" : "false")
    }

    /// An instant as ISO 8601 in UTC with milliseconds (`2026-03-01T09:00:00.000Z`, as
    /// `ISODate.milliseconds` writes it), or null.
    public mutating func date(_ date: Date?) {
        guard let date else { return null() }
        separate()
        let millis = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = CivilCalendar.floorDiv(millis, 1000)
        let days = CivilCalendar.floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.date(days: days)
        guard (0...9999).contains(year) else { return string(ISODate.milliseconds(date)) }
        bytes.append(UInt8(ascii: "\""))
        appendPadded(year, 4); bytes.append(UInt8(ascii: "-"))
        appendPadded(month, 2); bytes.append(UInt8(ascii: "-"))
        appendPadded(day, 2); bytes.append(UInt8(ascii: "T"))
        appendPadded(secondOfDay / 3600, 2); bytes.append(UInt8(ascii: ":"))
        appendPadded(secondOfDay / 60 % 60, 2); bytes.append(UInt8(ascii: ":"))
        appendPadded(secondOfDay % 60, 2); bytes.append(UInt8(ascii: "."))
        appendPadded(millis - seconds * 1000, 3)
        bytes.append(UInt8(ascii: "Z")); bytes.append(UInt8(ascii: "\""))
    }

    public mutating func null() {
        separate()
        append("null")
    }

    // MARK: - Bytes

    private mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// The decimal digits of `number`, without allocating.
    private mutating func appendDigits(_ number: Int64) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(20 - count)...]))
        }
    }

    /// `value` (0 or more) in at least `width` digits, zero-padded.
    private mutating func appendPadded(_ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        while divisor > 1, value < divisor {
            bytes.append(UInt8(ascii: "0"))
            divisor /= 10
        }
        appendDigits(Int64(value))
    }

    /// A comma before every value but the first of its object or list (a key's value
    /// follows its colon).
    private mutating func separate() {
        if first {
            first = false
        } else {
            bytes.append(UInt8(ascii: ","))
        }
    }
}
