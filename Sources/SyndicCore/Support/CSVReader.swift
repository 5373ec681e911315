/// Reads RFC 4180 CSV robustly: a UTF-8 byte order mark is dropped, rows end with CRLF, LF
/// or CR, fields may be quoted (doubled quotes inside, separators and line breaks allowed),
/// and a quote inside an unquoted field is kept as text. Blank lines are skipped. Each row
/// carries the line number it starts on, for error reports.
public enum CSVReader {
    /// One row and the line it starts on (from 1).
    public struct Row: Hashable, Sendable {
        public var line: Int
        public var fields: [String]
    }

    /// The rows of `text`, with their line numbers.
    public static func read(_ text: String, separator: Character = ",") -> [Row] {
        var rows: [Row] = []
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let separator = separator.asciiValue ?? UInt8(ascii: ",")
        var index = 0
        var line = 1
        var fields: [String] = []
        var field: [UInt8] = []
        var rowLine = 1
        var rowHasContent = false
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func endRow() {
            endField()
            if rowHasContent || fields.count > 1 || !(fields.first ?? "").isEmpty { rows.append(Row(line: rowLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
            rowHasContent = false
        }
        while index < bytes.count {
            let byte = bytes[index]
            if field.isEmpty, byte == UInt8(ascii: "\"") {
                // A quoted field: up to the closing quote.
                rowHasContent = true
                index += 1
                while index < bytes.count {
                    let inner = bytes[index]
                    if inner == UInt8(ascii: "\"") {
                        if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                            field.append(inner)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    if inner == 0x0A || (inner == 0x0D && (index + 1 >= bytes.count || bytes[index + 1] != 0x0A)) { line += 1 }
                    field.append(inner)
                    index += 1
                }
                continue
            }
            if byte == separator {
                rowHasContent = true
                endField()
                index += 1
            } else if byte == 0x0D || byte == 0x0A {
                endRow()
                index += (byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A) ? 2 : 1
                line += 1
                rowLine = line
            } else {
                field.append(byte)
                index += 1
            }
        }
        if !field.isEmpty || !fields.isEmpty || rowHasContent { endRow() }
        return rows
    }

    /// The rows' fields only.
    public static func rows(_ text: String, separator: Character = ",") -> [[String]] {
        read(text, separator: separator).map(\.fields)
    }
}
