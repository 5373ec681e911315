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
        Array(IteratorSequence(Rows(bytes, separator: separator)))
    }

    /// The rows of some bytes one at a time, as `read` gives them: for a caller that starts on
    /// the first rows while the rest are still to be read.
    public struct Rows: IteratorProtocol, Sendable {
        private let bytes: [UInt8]
        private let separator: UInt8
        private var index: Int
        private var line = 1
        private var fields: [String] = []
        private var field: [UInt8] = []
        private var rowLine = 1
        private var rowStart: Int
        private var rowHasContent = false
        private var unclosedQuote = false

        public init(_ bytes: [UInt8], separator: Character = ",") {
            self.bytes = bytes
            self.separator = separator.asciiValue ?? UInt8(ascii: ",")
            index = bytes.starts(with: CSVReader.byteOrderMark) ? CSVReader.byteOrderMark.count : 0
            rowStart = index
        }

        public mutating func next() -> Row? {
            while index < bytes.count {
                let byte = bytes[index]
                if field.isEmpty, byte == UInt8(ascii: "\"") {
                    readQuotedField()
                    continue
                }
                if byte == separator {
                    rowHasContent = true
                    endField()
                    index += 1
                } else if byte == 0x0D || byte == 0x0A {
                    let width = (byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A) ? 2 : 1
                    let row = endRow(index..<index + width)
                    index += width
                    line += 1
                    rowLine = line
                    rowStart = index
                    if let row { return row }
                } else {
                    field.append(byte)
                    index += 1
                }
            }
            guard !field.isEmpty || !fields.isEmpty || rowHasContent else { return nil }
            return endRow(bytes.count..<bytes.count)
        }

        /// A quoted field: up to its closing quote (doubled quotes are one quote), line breaks
        /// inside counted.
        private mutating func readQuotedField() {
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
                    return
                }
                if inner == 0x0A || (inner == 0x0D && (index + 1 >= bytes.count || bytes[index + 1] != 0x0A)) { line += 1 }
                field.append(inner)
                index += 1
            }
        }

        private mutating func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }

        /// The row that ends at `lineEnd`; nil for a blank line.
        private mutating func endRow(_ lineEnd: Range<Int>) -> Row? {
            endField()
            var row: Row?
            if rowHasContent || fields.count > 1 || !(fields.first ?? "").isEmpty {
                row = Row(line: rowLine, fields: fields, bytes: rowStart..<lineEnd.lowerBound, lineEnd: lineEnd,
                          unclosedQuote: unclosedQuote)
            }
            fields.removeAll(keepingCapacity: true)
            rowHasContent = false
            return row
        }
    }

    /// The rows' fields only.
    public static func rows(_ text: String, separator: Character = ",") -> [[String]] {
        read(text, separator: separator).map(\.fields)
    }
}
