/// The file of the rows a shipment import rejected (`rejected/<file>_rejected_<isoDate>.csv`):
/// each rejected record exactly as it came, with the reason as one more field at its end.
///
/// - First the file's UTF-8 byte order mark when it has one, then the header record's bytes
///   as they came, `,reason`, and the header's line end.
/// - Then, per rejected record in the order given: its bytes as they came (its quoting, line
///   breaks inside quoted fields, fields beyond the header's, bytes that are not UTF-8), `,`,
///   the reason quoted — `"line N: why"`, quotes inside doubled — and the record's own line
///   end. A record without one (the last of a file that ends without a line end) takes the
///   header's, or CRLF when the header has none either. A record whose last quoted field is
///   never closed (the last of a file) gets its closing quote before the `,`, so that the
///   reason stays a field of its own.
///
/// The reason is always the record's last field: past the `reason` column when the record
/// has more fields than the header, before it when it has fewer.
public enum RejectedRowsFile {
    /// The bytes of the rejected-rows file of `file` (the bytes read), whose first record is
    /// `header`, for `rejections` (each a record of `file` and why it was rejected).
    public static func bytes(of file: [UInt8], header: CSVReader.Row,
                             rejections: [(row: CSVReader.Row, reason: String)]) -> [UInt8] {
        let crlf: [UInt8] = [0x0D, 0x0A]
        let headerEnd = header.lineEnd.isEmpty ? crlf : Array(file[header.lineEnd])
        var out: [UInt8] = []
        out.reserveCapacity(file.count)
        if file.starts(with: CSVReader.byteOrderMark) { out += CSVReader.byteOrderMark }
        out += file[header.bytes]
        if header.unclosedQuote { out.append(UInt8(ascii: "\"")) }
        out += Array(",reason".utf8)
        out += headerEnd
        for rejection in rejections {
            out += file[rejection.row.bytes]
            if rejection.row.unclosedQuote { out.append(UInt8(ascii: "\"")) }
            out.append(UInt8(ascii: ","))
            out += quoted("line \(rejection.row.line): \(rejection.reason)")
            out += rejection.row.lineEnd.isEmpty ? headerEnd : Array(file[rejection.row.lineEnd])
        }
        return out
    }

    /// `text` as a quoted CSV field: in double quotes, quotes inside doubled.
    static func quoted(_ text: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in text.utf8 {
            out.append(byte)
            if byte == UInt8(ascii: "\"") { out.append(byte) }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }
}
