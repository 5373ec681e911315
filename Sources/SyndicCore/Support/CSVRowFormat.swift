/// How a CSV file's rows are written: the field separator and the line ending.
///
/// Rows encoded by a writer of this format, wherever it runs, are the exact bytes the file's
/// own writer would have written: an export's workers encode the rows they send in parallel
/// and the file only appends them (see `CSVWriter.appendRows`).
public struct CSVRowFormat: Hashable, Sendable {
    /// The field separator (an ASCII character other than `"`, CR and LF).
    public let separator: Unicode.Scalar
    public let lineEnding: CSVWriter.LineEnding

    public init(separator: Unicode.Scalar = ",", lineEnding: CSVWriter.LineEnding = .crlf) {
        self.separator = separator
        self.lineEnding = lineEnding
    }

    /// An empty writer of this format.
    public func writer(capacity: Int = 0) -> CSVWriter {
        CSVWriter(separator: separator, lineEnding: lineEnding, capacity: capacity)
    }
}
