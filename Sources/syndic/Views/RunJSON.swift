import Foundation
import SyndicCore

/// The JSON form of `syndic runs show RUN_ID`: the run, its report, the product exports it
/// recorded, the files it kept and its log lines. Computes nothing.
struct RunJSON: JSONDocument {
    /// Bumped on any incompatible change of this document (docs/json.md).
    static let currentFormatVersion = "1"

    var formatVersion: String
    var run: RunsJSON.Run
    var report: String?
    var exports: [Export]
    var files: [File]
    var log: [LogLine]

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case run, report, exports, files, log
    }

    /// `productLimit`: how many sent products to list per export (all when nil, with `--products`).
    init(run: RunInfo, lines: [RunLogLine], exports: [ProductExportRecord], files: [(name: String, size: Int)],
         productLimit: Int?) {
        formatVersion = Self.currentFormatVersion
        self.run = RunsJSON.Run(run)
        report = run.report
        self.exports = exports.map { Export($0, productLimit: productLimit) }
        self.files = files.map { File(name: $0.name, size: $0.size) }
        log = lines.map(LogLine.init)
    }

    /// A product export the run recorded.
    struct Export: Encodable {
        var mode: String
        var at: String
        var sent: Int
        var file: String?
        /// The keys of the products a delta export sent, the first `productLimit` of them.
        var products: [String]
        /// How many product keys the export recorded (more than `products` holds when cut).
        var productsRecorded: Int

        enum CodingKeys: String, CodingKey {
            case mode, at, sent, file, products
            case productsRecorded = "products_recorded"
        }

        init(_ export: ProductExportRecord, productLimit: Int?) {
            mode = export.mode
            at = JSONDate.utc(export.at)
            sent = export.sent
            file = export.file
            products = productLimit.map { Array(export.products.prefix($0)) } ?? export.products
            productsRecorded = export.products.count
        }
    }

    /// A file the run kept; `syndic runs show RUN_ID --file NAME` prints it.
    struct File: Encodable {
        var name: String
        var size: Int
    }

    /// One log line.
    struct LogLine: Encodable {
        var at: String
        var level: String
        var message: String

        init(_ line: RunLogLine) {
            at = JSONDate.utc(line.at)
            level = line.level
            message = line.message
        }
    }
}
