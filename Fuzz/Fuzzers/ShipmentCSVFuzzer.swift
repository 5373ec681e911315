import SyndicCore

/// A shipment file as the shipment import reads it: an input is the file's bytes, read as
/// CSV, its first row checked as the template's header and every other row turned into a
/// shipment request (with its identity and Amazon's package rules) or a rejection; the
/// rejected-rows file is built from every row.
///
/// Properties checked: rows are in order, inside the input and never overlap; a row's bytes
/// read alone give the same fields; the rejected-rows file reads back as the header and the
/// rejected rows, each with its reason as one more field.
enum ShipmentCSVFuzzer {
    static func run(_ input: UnsafeRawBufferPointer) {
        let bytes = Array(input)
        let rows = CSVReader.read(bytes)
        checkRows(rows, bytes)
        guard let header = rows.first else { return }
        var rejections: [(row: CSVReader.Row, reason: String)] = []
        switch ShipmentTemplate.Header.read(header.fields) {
        case .failure(let problem):
            rejections = rows.dropFirst().map { ($0, problem.reason) }
            if rejections.isEmpty { rejections = [(header, problem.reason)] }
        case .success(let columns):
            for row in rows.dropFirst() {
                switch ShipmentTemplate.request(row.fields, line: row.line, header: columns) {
                case .success(let request):
                    _ = request.identity
                    _ = AmazonShipmentRules.problem(request)
                    _ = ISODate.milliseconds(request.shippingDate)
                    rejections.append((row, "accepted, rejected by the store"))
                case .failure(let problem):
                    require(problem.line == row.line, "a rejection names line \(problem.line) for line \(row.line)")
                    rejections.append((row, problem.reason))
                }
            }
        }
        let rejected = RejectedRowsFile.bytes(of: bytes, header: header, rejections: rejections)
        // A header that starts with a byte order mark (after blank lines) starts the
        // rejected-rows file with it, and then it reads as a mark: that file is not compared.
        guard !bytes[header.bytes].starts(with: CSVReader.byteOrderMark) else { return }
        let reread = CSVReader.read(rejected)
        require(reread.first?.fields == header.fields + ["reason"],
                "the rejected-rows file's header is not the file's with reason")
        require(reread.count == rejections.count + 1,
                "the rejected-rows file has \(reread.count) rows for \(rejections.count) rejections and a header")
        for (row, rejection) in zip(reread.dropFirst(), rejections) {
            require(row.fields.last == "line \(rejection.row.line): \(rejection.reason)",
                    "the reason of line \(rejection.row.line) is not the last field of its rejected row")
        }
    }

    /// The rows' byte ranges are ordered, inside the input, and each reads alone as the same row.
    static func checkRows(_ rows: [CSVReader.Row], _ bytes: [UInt8]) {
        var end = 0
        for row in rows {
            require(row.bytes.lowerBound >= end && row.bytes.upperBound <= row.lineEnd.lowerBound
                        && row.lineEnd.upperBound <= bytes.count,
                    "row at line \(row.line) has bytes \(row.bytes), line end \(row.lineEnd) after \(end) in \(bytes.count)")
            end = row.lineEnd.upperBound
            let alone = Array(bytes[row.bytes])
            guard !alone.starts(with: CSVReader.byteOrderMark) else { continue }
            require(CSVReader.read(alone).map(\.fields) == [row.fields],
                    "row at line \(row.line) reads differently alone")
        }
    }
}
