import Foundation
import SyndicCore

/// A mirakl channel's offers: mapped products as a `;`-separated CSV (a header of the
/// mapping's targets), imported with OF01 (`with_products=true` when a target is not an offer
/// column), followed with OF02 until the import completes, and — when Mirakl made one — its
/// OF03 error report kept with the run; the products it names are sent again by the next
/// delta export. When the report does not name every line in error (`lines_in_error` above
/// the rows matched to products), no product of the file counts as delivered: the next
/// delta export sends them all again. A dry run keeps the CSV instead.
final class MiraklOfferDestination: ProductDestination {
    private let client: MiraklClient?
    private let fileName: String
    private var writer: CSVWriter
    private var keys: [String] = []
    private let skuColumn: Int?
    private var skus: [String: String] = [:]
    private let pollInterval: Double
    private let maxWait: Double
    private let skipEmpty: Bool
    private let cancellation: CancellationFlag
    /// Whether the file carries product columns beside the offer's.
    let withProducts: Bool

    /// `client` is nil for a dry run.
    init(client: MiraklClient?, targets: [String], fileName: String, pollInterval: Double, maxWait: Double = 3600,
         skipEmpty: Bool, cancellation: CancellationFlag) {
        self.client = client
        self.cancellation = cancellation
        self.fileName = fileName
        self.pollInterval = pollInterval
        self.maxWait = maxWait
        self.skipEmpty = skipEmpty
        writer = CSVWriter(header: targets, separator: ";")
        skuColumn = targets.firstIndex(of: "sku") ?? targets.firstIndex(of: "shop_sku")
        withProducts = !targets.allSatisfy(MiraklOfferColumns.isOffer)
    }

    func add(_ row: [String], key: String, identifier: String?) throws {
        writer.writeRow(row)
        keys.append(key)
        if let skuColumn { skus[row[skuColumn]] = key }
    }

    func finish() throws -> DestinationOutcome {
        var outcome = DestinationOutcome(delivered: keys.count)
        if keys.isEmpty, skipEmpty {
            outcome.notes.append("no product changed since the last export: nothing imported")
            return outcome
        }
        let csv = Data(writer.bytes)
        guard let client else {
            outcome.artifacts.append((fileName, csv))
            outcome.notes.append("dry run: \(keys.count) offers in \(fileName), not imported")
            return outcome
        }
        let id = try client.importOffers(csv: csv, fileName: fileName, withProducts: withProducts)
        outcome.notes.append("OF01 import \(id)")
        var waited = 0.0
        var status = try client.importStatus(id)
        while !["COMPLETE", "FAILED", "REJECTED", "CANCELLED"].contains(status["status"]?.stringValue ?? "") {
            guard waited < maxWait else {
                throw FlowError(.remote, "Mirakl import \(id) did not complete within \(Int(maxWait)) s (last status \(status["status"]?.stringValue ?? "none"))")
            }
            try cancellation.check()
            Thread.sleep(forTimeInterval: pollInterval)
            waited += pollInterval
            status = try client.importStatus(id)
        }
        let state = status["status"]?.stringValue ?? ""
        guard state == "COMPLETE" else {
            throw FlowError(.remote, "Mirakl import \(id) ended \(state)\(status["reason_status"]?.stringValue.map { ": \($0)" } ?? "")")
        }
        var matched: [String] = []
        if status["has_error_report"]?.boolValue == true {
            let report = try client.errorReport(id)
            outcome.artifacts.append(("error-report.csv", report))
            var seen = Set<String>()
            matched = refusedKeys(in: report).filter { seen.insert($0).inserted }
        }
        let read = status["lines_read"]?.intValue ?? keys.count
        let failed = status["lines_in_error"]?.intValue ?? matched.count
        outcome.notes.append("Mirakl import \(id): \(read) lines read, \(failed) in error\(failed > 0 && status["has_error_report"]?.boolValue == true ? " (error-report.csv)" : "")")
        if failed > matched.count {
            // Some lines in error cannot be told apart: none of the file counts as delivered.
            outcome.refusedKeys = keys
            outcome.delivered = 0
            outcome.notes.append("the error report names \(matched.count) of the \(failed) lines in error: "
                                 + "every product of the file is sent again by the next delta export")
        } else {
            outcome.refusedKeys = matched
            outcome.delivered = keys.count - matched.count
        }
        return outcome
    }

    /// The keys of the products an OF03 report names: by its `sku` column when the mapping has
    /// one, else by `error-line` (the file's line number, the header being line 1).
    private func refusedKeys(in report: Data) -> [String] {
        let rows = CSVReader.rows(String(decoding: report, as: UTF8.self), separator: ";")
        guard let header = rows.first else { return [] }
        let sku = header.firstIndex(of: "sku") ?? header.firstIndex(of: "shop_sku")
        let line = header.firstIndex(of: "error-line")
        var refused: [String] = []
        for row in rows.dropFirst() {
            if let sku, sku < row.count, let key = skus[row[sku]] {
                refused.append(key)
            } else if let line, line < row.count, let number = Int(row[line]), number >= 2, number - 2 < keys.count {
                refused.append(keys[number - 2])
            }
        }
        return refused
    }

    func abandon() {}
}
