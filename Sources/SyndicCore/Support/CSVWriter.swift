/// Writes RFC 4180 CSV into a byte buffer.
///
/// - Fields are separated by `separator` (`,` by default; `;` for Mirakl imports); any ASCII
///   byte other than `"`, CR and LF.
/// - A field is quoted only when it holds the separator, a double quote, CR or LF; quotes
///   inside a quoted field are doubled. A row of one empty field is written `""`, so that it
///   is not read back as a blank line.
/// - Text is written as its UTF-8 bytes, unchanged (no BOM, no normalization).
/// - Every row, the last included, ends with CRLF (RFC 4180 §2.1), or LF when asked.
///
/// Bytes are appended to `bytes`; a streaming caller writes some rows, hands `takeBytes()` to
/// its sink and goes on with an empty buffer that keeps its capacity.
public struct CSVWriter: Sendable {
    /// How rows end.
    public enum LineEnding: Hashable, Sendable {
        /// `\r\n`, as RFC 4180 says.
        case crlf
        /// `\n`.
        case lf
    }

    /// The bytes written so far (since the last `takeBytes()`).
    public private(set) var bytes: [UInt8] = []
    /// The field separator.
    public let separator: UInt8
    public let lineEnding: LineEnding
    /// Whether the current row has a field yet.
    private var rowStarted = false
    /// Whether the current row's only field so far was empty.
    private var rowIsOneEmptyField = false

    /// A writer with `separator` (an ASCII character other than `"`, CR and LF).
    public init(separator: Unicode.Scalar = ",", lineEnding: LineEnding = .crlf, capacity: Int = 0) {
        precondition(separator.isASCII && !["\"", "\r", "\n"].contains(separator),
                     "a CSV separator is an ASCII character other than a quote, CR or LF")
        self.separator = UInt8(separator.value)
        self.lineEnding = lineEnding
        bytes.reserveCapacity(capacity)
    }

    /// A writer whose first row is `header`.
    public init(header: [String], separator: Unicode.Scalar = ",", lineEnding: LineEnding = .crlf, capacity: Int = 0) {
        self.init(separator: separator, lineEnding: lineEnding, capacity: capacity)
        writeRow(header)
    }

    /// The separator and line ending of this writer's rows.
    public var format: CSVRowFormat {
        CSVRowFormat(separator: Unicode.Scalar(separator), lineEnding: lineEnding)
    }

    // MARK: - Writing

    /// Writes one row.
    public mutating func writeRow(_ fields: [String]) {
        for field in fields { writeField(field) }
        endRow()
    }

    /// Writes the next field of the current row.
    public mutating func writeField(_ field: String) {
        if rowStarted {
            bytes.append(separator)
            rowIsOneEmptyField = false
        } else {
            rowStarted = true
            rowIsOneEmptyField = field.isEmpty
        }
        // Read in place; only a string without contiguous UTF-8 is copied to get it.
        if field.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
            var field = field
            field.withUTF8 { append($0) }
        }
    }

    /// Ends the current row (an empty row when no field was written).
    public mutating func endRow() {
        if rowIsOneEmptyField {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(UInt8(ascii: "\""))
        }
        if lineEnding == .crlf { bytes.append(UInt8(ascii: "\r")) }
        bytes.append(UInt8(ascii: "\n"))
        rowStarted = false
        rowIsOneEmptyField = false
    }

    /// Appends whole rows that a writer of the same `format` encoded (its `bytes` between
    /// rows): the same bytes as writing those rows here.
    public mutating func appendRows(_ encoded: [UInt8]) {
        precondition(!rowStarted, "encoded rows are appended between rows")
        bytes.append(contentsOf: encoded)
    }

    /// Returns the bytes written so far and empties the buffer, keeping its capacity.
    public mutating func takeBytes() -> [UInt8] {
        let taken = bytes
        bytes.removeAll(keepingCapacity: true)
        return taken
    }

    // MARK: - Fields

    private static let quote = UInt8(ascii: "\"")

    private mutating func append(_ field: UnsafeBufferPointer<UInt8>) {
        let separator = self.separator
        // Every byte that needs quotes is at most this one: letters and most text pass one test.
        let highest = max(separator, Self.quote)
        var needsQuotes = false
        for byte in field where byte <= highest {
            if byte == separator || byte == Self.quote || byte == 0x0D || byte == 0x0A {
                needsQuotes = true
                break
            }
        }
        guard needsQuotes else {
            bytes.append(contentsOf: field)
            return
        }
        bytes.append(Self.quote)
        var start = 0
        for index in field.indices where field[index] == Self.quote {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: field[start...index]))
            bytes.append(Self.quote)
            start = index + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: field[start...]))
        bytes.append(Self.quote)
    }
}
