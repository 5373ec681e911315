/// A small strict JSON parser producing `Value`s (used for stored specs and saved plans).
struct JSONTextParser {
    private let bytes: [UInt8]
    private var index = 0
    /// How deep objects and lists are nested at `index`.
    private var depth = 0
    /// The deepest nesting read: deeper text is refused rather than exhausting the stack
    /// (the Orders API parses bodies from the network).
    static let maximumDepth = 256

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// An error with the byte offset where parsing stopped.
    struct Failure: Error, CustomStringConvertible {
        let offset: Int
        let message: String
        var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    mutating func parseDocument() throws -> Value {
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw Failure(offset: index, message: "trailing characters") }
        return value
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x0a, 0x0d, 0x09].contains(bytes[index]) { index += 1 }
    }

    private mutating func parseValue() throws -> Value {
        skipWhitespace()
        guard index < bytes.count else { throw Failure(offset: index, message: "unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < Self.maximumDepth else {
                throw Failure(offset: index, message: "nested deeper than \(Self.maximumDepth) levels")
            }
            depth += 1
            defer { depth -= 1 }
            return bytes[index] == UInt8(ascii: "{") ? try parseObject() : try parseList()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        default: return try parseNumber()
        }
    }

    private mutating func expect(_ word: String) throws {
        for byte in word.utf8 {
            guard index < bytes.count, bytes[index] == byte else {
                throw Failure(offset: index, message: "expected \(word)")
            }
            index += 1
        }
    }

    private mutating func parseObject() throws -> Value {
        index += 1
        var members: [String: Value] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw Failure(offset: index, message: "expected a key")
            }
            let key = try parseString()
            skipWhitespace()
            try expect(":")
            members[key] = try parseValue()
            skipWhitespace()
            guard index < bytes.count else { throw Failure(offset: index, message: "unexpected end") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            throw Failure(offset: index, message: "expected , or }")
        }
    }

    private mutating func parseList() throws -> Value {
        index += 1
        var items: [Value] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .list(items) }
        while true {
            items.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw Failure(offset: index, message: "unexpected end") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .list(items) }
            throw Failure(offset: index, message: "expected , or ]")
        }
    }

    private mutating func parseString() throws -> String {
        index += 1
        var runStart = index
        var out = ""
        func flush(_ end: Int) {
            if end > runStart { out += String(decoding: bytes[runStart..<end], as: UTF8.self) }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                flush(index)
                index += 1
                return out
            }
            if byte == UInt8(ascii: "\\") {
                flush(index)
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "n"): out += "\n"
                case UInt8(ascii: "r"): out += "\r"
                case UInt8(ascii: "t"): out += "\t"
                case UInt8(ascii: "b"): out += "\u{08}"
                case UInt8(ascii: "f"): out += "\u{0C}"
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count,
                       bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else {
                            throw Failure(offset: index, message: "unpaired surrogate in \\u escape")
                        }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    out.unicodeScalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default: out.unicodeScalars.append(Unicode.Scalar(escape))
                }
                runStart = index
                continue
            }
            index += 1
        }
        throw Failure(offset: index, message: "unterminated string")
    }

    /// The four hex digits of a `\u` escape: ASCII hex digits only (`UInt32(_:radix:)` would
    /// also take a sign, reading `\u+041` as `A`).
    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw Failure(offset: index, message: "bad \\u escape") }
        var code: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Failure(offset: index, message: "bad \\u escape")
            }
            code = code << 4 | UInt32(digit)
        }
        index += 4
        return code
    }

    private mutating func parseNumber() throws -> Value {
        let start = index
        while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if let number = Int(text) { return .int(number) }
        if let number = Double(text) { return .double(number) }
        throw Failure(offset: start, message: "unexpected character")
    }
}
