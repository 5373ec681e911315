import SyndicCore

/// The requests of a shipment file, read row by row as the store asks for them (so that it
/// applies the first rows while later ones are still being read): each valid row becomes a
/// request, and its row is kept to report what the store made of it; each invalid row is
/// refused with its reason. Used by one thread at a time; its rows and rejections are read
/// once the store is done with it.
final class ShipmentFileRequests: ShipmentRequestSource, @unchecked Sendable {
    private var rows: CSVReader.Rows
    private let columns: ShipmentTemplate.Header
    /// The rows of the requests given so far, in order, without their fields (the requests
    /// hold what they said; the line and bytes are what a report of the row needs).
    private(set) var requestRows: [CSVReader.Row] = []
    /// The rows refused before reaching the store, with why, in file order.
    private(set) var rejections: [(row: CSVReader.Row, reason: String)] = []

    /// The requests of the rows `rows` has left, read with the file's header `columns`.
    init(_ rows: CSVReader.Rows, columns: ShipmentTemplate.Header) {
        self.rows = rows
        self.columns = columns
    }

    func next(_ limit: Int) -> [ShipmentRequest] {
        var requests: [ShipmentRequest] = []
        while requests.count < max(1, limit), let row = rows.next() {
            switch ShipmentTemplate.request(row.fields, line: row.line, header: columns) {
            case .success(let request):
                requests.append(request)
                var kept = row
                kept.fields = []
                requestRows.append(kept)
            case .failure(let problem):
                rejections.append((row, problem.reason))
            }
        }
        return requests
    }
}
