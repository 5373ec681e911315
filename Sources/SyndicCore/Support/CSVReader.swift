/// Reads RFC 4180 CSV robustly: a UTF-8 byte order mark is dropped, rows end with CRLF, LF
/// or CR, fields may be quoted (doubled quotes inside, separators and line breaks allowed),
/// and a quote inside an unquoted field is kept as text. Blank lines are skipped. Each row
/// carries the line number it starts on, for error reports, and where its bytes are in the
/// input, so that a row can be copied exactly as it came.
///
/// Fields are decoded as UTF-8; a byte that is not UTF-8 reads as U+FFFD (the row's bytes
/// keep it).
public enum CSVReader {
    /// One row: the line it starts on (from 1), its fields, and where it is in the input.
    public struct Row: Hashable, Sendable {
        public var line: Int
        public var fields: [String]
        /// The record's bytes in the input, from its first byte to the last before its line
        /// end: its quoting, its line breaks inside quoted fields and every field included.
        /// Offsets count from the start of the input, its byte order mark included.
        public var bytes: Range<Int>
        /// The line end that closes the record (`\r\n`, `\n` or `\r`); empty when the input
        /// ends without one.
        public var lineEnd: Range<Int>
        /// Whether the input ends inside a quoted field of the record (its closing quote is
        /// missing: the field runs to the end of the input).
        public var unclosedQuote: Bool

        public init(line: Int, fields: [String], bytes: Range<Int>, lineEnd: Range<Int>, unclosedQuote: Bool = false) {
            self.line = line
            self.fields = fields
            self.bytes = bytes
            self.lineEnd = lineEnd
            self.unclosedQuote = unclosedQuote
        }
    }

    /// The UTF-8 byte order mark.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The rows of `text`, with their line numbers; offsets are into `text.utf8`.
    public static func read(_ text: String, separator: Character = ",") -> [Row] {
        read(Array(text.utf8), separator: separator)
    }

    /// The rows of `bytes`, with their line numbers and byte ranges.
    public static func read(_ bytes: [UInt8], separator: Character = ",") -> [Row] {
        var rows: [Row] = []
        let separator = separator.asciiValue ?? UInt8(ascii: ",")
        var index = bytes.starts(with: byteOrderMark) ? byteOrderMark.count : 0
        var line = 1
        var fields: [String] = []
        var field: [UInt8] = []
        var rowLine = 1
        var rowStart = index
        var rowHasContent = false
        var unclosedQuote = false
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func endRow(_ lineEnd: Range<Int>) {
            endField()
            if rowHasContent || fields.count > 1 || !(fields.first ?? "").isEmpty {
                rows.append(Row(line: rowLine, fields: fields, bytes: rowStart..<lineEnd.lowerBound, lineEnd: lineEnd,
                                unclosedQuote: unclosedQuote))
            }
            fields.removeAll(keepingCapacity: true)
            rowHasContent = false
        }
        while index < bytes.count {
            let byte = bytes[index]
            if field.isEmpty, byte == UInt8(ascii: "\"") {
                // A quoted field: up to the closing quote.
                rowHasContent = true
                index += 1
                unclosedQuote = true
                while index < bytes.count {
                    let inner = bytes[index]
                    if inner == UInt8(ascii: "\"") {
                        if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                            field.append(inner)
                            index += 2
                            continue
                        }
                        index += 1
                        unclosedQuote = false
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
                let width = (byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A) ? 2 : 1
                endRow(index..<index + width)
                index += width
                line += 1
                rowLine = line
                rowStart = index
            } else {
                field.append(byte)
                index += 1
            }
        }
        if !field.isEmpty || !fields.isEmpty || rowHasContent { endRow(bytes.count..<bytes.count) }
        return rows
    }

    /// The rows' fields only.
    public static func rows(_ text: String, separator: Character = ",") -> [[String]] {
        read(text, separator: separator).map(\.fields)
    }
}
