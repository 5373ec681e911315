import Foundation

/// A position in JSON text held in memory, with the few primitives `ProductScanner` and the
/// source connectors need: skip a value, read a string's extent, parse a value strictly.
///
/// Strings are found with `memchr`, so skipping long texts costs little.
struct JSONCursor {
    let base: UnsafePointer<UInt8>
    let count: Int
    var index = 0

    /// The extent of a string's content (between its quotes) and whether it holds escapes.
    struct StringRange {
        var start: Int
        var end: Int
        var escaped: Bool
    }

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    func failure(_ message: String) -> ProductScanError { ProductScanError(offset: index, message: message) }

    /// The byte at the cursor, or 0 at the end.
    @inline(__always) var peek: UInt8 { index < count ? base[index] : 0 }

    @inline(__always) mutating func skipWhitespace() {
        while index < count {
            let byte = base[index]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            index += 1
        }
    }

    mutating func expect(_ byte: UInt8) throws(ProductScanError) {
        guard peek == byte else { throw failure("expected \(Character(Unicode.Scalar(byte)))") }
        index += 1
    }

    /// Opens an object: false when it is empty (its `}` consumed too), true when a member follows.
    @inline(__always) mutating func openObject() throws(ProductScanError) -> Bool {
        skipWhitespace()
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        guard peek == UInt8(ascii: "}") else { return true }
        index += 1
        return false
    }

    /// Skips `:` and the whitespace around it.
    @inline(__always) mutating func colon() throws(ProductScanError) {
        skipWhitespace()
        try expect(UInt8(ascii: ":"))
    }

    /// After a member or item: true at the `closing` bracket (consumed), false after a comma.
    @inline(__always) mutating func endOfMembers(closing: UInt8) throws(ProductScanError) -> Bool {
        skipWhitespace()
        let byte = peek
        if byte == UInt8(ascii: ",") {
            index += 1
            skipWhitespace()
            return false
        }
        guard byte == closing else { throw failure("expected , or \(Character(Unicode.Scalar(closing)))") }
        index += 1
        return true
    }

    /// Reads a string's extent; the cursor ends after its closing quote. Short strings (keys,
    /// codes) are scanned inline; past 32 bytes `memchr` takes over.
    @inline(__always)
    mutating func stringRange() throws(ProductScanError) -> StringRange {
        skipWhitespace()
        guard peek == UInt8(ascii: "\"") else { throw failure("expected a string") }
        let start = index + 1
        var position = start
        let inlineEnd = min(count, start + 32)
        while position < inlineEnd {
            let byte = base[position]
            if byte == 0x22 {
                index = position + 1
                return StringRange(start: start, end: position, escaped: false)
            }
            if byte == 0x5C { break }
            position += 1
        }
        return try longStringRange(start: start)
    }

    /// The rest of `stringRange` for long strings and strings with escapes.
    private mutating func longStringRange(start: Int) throws(ProductScanError) -> StringRange {
        var from = start
        var escaped = false
        while true {
            guard from < count, let found = memchr(base + from, 0x22, count - from) else {
                index = count
                throw failure("unterminated string")
            }
            let position = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            var backslashes = 0
            while position - backslashes - 1 >= start, base[position - backslashes - 1] == 0x5C { backslashes += 1 }
            if backslashes % 2 == 0 {
                if !escaped, position > start, memchr(base + start, 0x5C, position - start) != nil { escaped = true }
                index = position + 1
                return StringRange(start: start, end: position, escaped: escaped)
            }
            escaped = true
            from = position + 1
        }
    }

    /// Whether a string equals `key` (byte for byte, escapes decoded).
    @inline(__always) func equals(_ range: StringRange, _ key: [UInt8]) -> Bool {
        if range.escaped { return (try? string(range)).map { Array($0.utf8) == key } ?? false }
        guard range.end - range.start == key.count else { return false }
        return key.withUnsafeBufferPointer { memcmp(base + range.start, $0.baseAddress!, key.count) == 0 }
    }

    /// Whether a string equals `key` (byte for byte, escapes decoded); a static key costs no
    /// retain, unlike an array.
    @inline(__always) func equals(_ range: StringRange, _ key: StaticString) -> Bool {
        let length = key.utf8CodeUnitCount
        if range.escaped {
            let bytes = UnsafeBufferPointer(start: key.utf8Start, count: length)
            return (try? string(range)).map { $0.utf8.elementsEqual(bytes) } ?? false
        }
        guard range.end - range.start == length else { return false }
        return memcmp(base + range.start, key.utf8Start, length) == 0
    }

    /// The index of the key `range` equals, or nil.
    @inline(__always) func match(_ range: StringRange, _ keys: [[UInt8]]) -> Int? {
        for (slot, key) in keys.enumerated() where equals(range, key) { return slot }
        return nil
    }

    /// The text of a string, escapes decoded.
    func string(_ range: StringRange) throws(ProductScanError) -> String {
        let raw = UnsafeBufferPointer(start: base + range.start, count: range.end - range.start)
        guard range.escaped else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var position = 0
        func hex4(_ at: Int) throws(ProductScanError) -> UInt32 {
            guard at + 4 <= raw.count else { throw ProductScanError(offset: range.start + at, message: "bad \\u escape") }
            var code: UInt32 = 0
            for byte in raw[at..<at + 4] {
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw ProductScanError(offset: range.start + at, message: "bad \\u escape")
                }
                code = code << 4 | UInt32(digit)
            }
            return code
        }
        while position < raw.count {
            let byte = raw[position]
            guard byte == 0x5C, position + 1 < raw.count else {
                out.append(byte)
                position += 1
                continue
            }
            let escape = raw[position + 1]
            position += 2
            switch escape {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var code = try hex4(position)
                position += 4
                if (0xD800..<0xDC00).contains(code), position + 6 <= raw.count, raw[position] == 0x5C,
                   raw[position + 1] == UInt8(ascii: "u") {
                    let low = try hex4(position + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        position += 6
                    }
                }
                out.append(contentsOf: String(Unicode.Scalar(code) ?? "\u{FFFD}").utf8)
            default: out.append(escape)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Skips one value of any kind.
    mutating func skipValue() throws(ProductScanError) {
        skipWhitespace()
        let byte = peek
        switch byte {
        case UInt8(ascii: "\""):
            _ = try stringRange()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while index < count {
                let current = base[index]
                switch current {
                case UInt8(ascii: "\""):
                    _ = try stringRange()
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return
                    }
                default:
                    break
                }
                index += 1
            }
            throw failure("unterminated \(byte == UInt8(ascii: "{") ? "object" : "list")")
        default:
            let start = index
            while index < count {
                let current = base[index]
                if current == UInt8(ascii: ",") || current == UInt8(ascii: "}") || current == UInt8(ascii: "]")
                    || current == 0x20 || current == 0x0A || current == 0x0D || current == 0x09 { break }
                index += 1
            }
            guard index > start else { throw failure("expected a value") }
        }
    }

    /// Parses one value strictly.
    mutating func parseValue(depth: Int = 0) throws(ProductScanError) -> Value {
        guard depth < 256 else { throw failure("nested too deeply") }
        skipWhitespace()
        switch peek {
        case UInt8(ascii: "\""):
            return .string(try string(stringRange()))
        case UInt8(ascii: "{"):
            index += 1
            skipWhitespace()
            if peek == UInt8(ascii: "}") { index += 1; return .object([:]) }
            // Room for a price or a metric at once (no growing, no rehashing).
            var members = [String: Value](minimumCapacity: 3)
            while true {
                let key = try string(stringRange())
                try colon()
                members[key] = try parseValue(depth: depth + 1)
                if try endOfMembers(closing: UInt8(ascii: "}")) { return .object(members) }
            }
        case UInt8(ascii: "["):
            index += 1
            skipWhitespace()
            if peek == UInt8(ascii: "]") { index += 1; return .list([]) }
            // Room for a few items at once (categories, prices) instead of growing one by one.
            var items: [Value] = []
            items.reserveCapacity(4)
            while true {
                items.append(try parseValue(depth: depth + 1))
                if try endOfMembers(closing: UInt8(ascii: "]")) { return .list(items) }
            }
        case UInt8(ascii: "t"): try word("true"); return .bool(true)
        case UInt8(ascii: "f"): try word("false"); return .bool(false)
        case UInt8(ascii: "n"): try word("null"); return .null
        default: return try number()
        }
    }

    /// Checks one value as strictly as `parseValue` reads it — the same errors at the same
    /// offsets, the cursor ending at the same place — without building it.
    mutating func checkValue(depth: Int = 0) throws(ProductScanError) {
        guard depth < 256 else { throw failure("nested too deeply") }
        skipWhitespace()
        switch peek {
        case UInt8(ascii: "\""):
            try checkString(stringRange())
        case UInt8(ascii: "{"):
            index += 1
            skipWhitespace()
            if peek == UInt8(ascii: "}") { index += 1; return }
            while true {
                try checkString(stringRange())
                try colon()
                try checkValue(depth: depth + 1)
                if try endOfMembers(closing: UInt8(ascii: "}")) { return }
            }
        case UInt8(ascii: "["):
            index += 1
            skipWhitespace()
            if peek == UInt8(ascii: "]") { index += 1; return }
            while true {
                try checkValue(depth: depth + 1)
                if try endOfMembers(closing: UInt8(ascii: "]")) { return }
            }
        case UInt8(ascii: "t"): try word("true")
        case UInt8(ascii: "f"): try word("false")
        case UInt8(ascii: "n"): try word("null")
        default: _ = try number()
        }
    }

    /// Checks a string's escapes as `string(_:)` decodes them (only escapes can fail).
    @inline(__always) private func checkString(_ range: StringRange) throws(ProductScanError) {
        if range.escaped { _ = try string(range) }
    }

    private mutating func word(_ text: StaticString) throws(ProductScanError) {
        let length = text.utf8CodeUnitCount
        guard index + length <= count, memcmp(base + index, text.utf8Start, length) == 0 else {
            throw failure("expected \(text)")
        }
        index += length
    }

    private mutating func number() throws(ProductScanError) -> Value {
        let start = index
        var integer = true
        var magnitude = 0
        var overflow = false
        var negative = false
        if peek == UInt8(ascii: "-") { negative = true; index += 1 }
        let digitsStart = index
        while index < count {
            let byte = base[index]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                let (times, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
                magnitude = sum
                overflow = overflow || o1 || o2
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                        || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                integer = false
            } else {
                break
            }
            index += 1
        }
        guard index > digitsStart else { throw ProductScanError(offset: start, message: "unexpected character") }
        if integer, !overflow { return .int(negative ? -magnitude : magnitude) }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: index - start), as: UTF8.self)
        guard let number = Double(text) else { throw ProductScanError(offset: start, message: "bad number \(text)") }
        return .double(number)
    }
}
