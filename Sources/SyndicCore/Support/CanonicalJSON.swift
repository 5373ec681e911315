/// Canonical JSON text of a `Value`: object keys sorted, no whitespace.
///
/// Two specs are equal exactly when their canonical texts are equal, which lets the planner
/// compare stored and desired specs without decoding them.
public enum CanonicalJSON {
    /// Renders a value canonically.
    public static func string(_ value: Value) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    /// Parses JSON text into a `Value`.
    public static func parse(_ text: String) throws -> Value {
        var parser = JSONTextParser(Array(text.utf8))
        return try parser.parseDocument()
    }

    /// Parses JSON bytes (UTF-8) into a `Value`; the error names the byte where parsing stopped.
    public static func parse(bytes: [UInt8]) throws -> Value {
        var parser = JSONTextParser(bytes)
        return try parser.parseDocument()
    }

    /// Appends the canonical text of `value` to `out`.
    public static func write(_ value: Value, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number): out += String(number)
        case .double(let number): out += number.isFinite ? "\(number)" : "null"
        case .string(let text): writeString(text, into: &out)
        case .list(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                writeString(key, into: &out)
                out += ":"
                write(members[key]!, into: &out)
            }
            out += "}"
        }
    }

    /// Appends a JSON string literal.
    public static func writeString(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
