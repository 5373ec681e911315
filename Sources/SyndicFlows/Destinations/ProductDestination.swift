import Foundation
import SyndicCore

/// Where a product export sends mapped products: a CSV file on storage (flat-file), the
/// Akeneo API (akeneo-api), a Mirakl offer import (mirakl).
///
/// Rows arrive one by one (`add`), or — for a destination with a `rowFormat` — already
/// encoded, many at a time (`addEncoded`); `finish` delivers what is pending and says what
/// the destination refused. A dry run builds everything and sends nothing.
protocol ProductDestination: AnyObject {
    /// Takes one mapped row (cells in the mapping's target order) of the product `key`;
    /// `identifier` is the product's identifier, when it has one.
    func add(_ row: [String], key: String, identifier: String?) throws
    /// The CSV format of a destination that takes its rows encoded (`addEncoded`), so that
    /// the export's workers encode them; nil: rows come as cells (`add`).
    var rowFormat: CSVRowFormat? { get }
    /// Takes `rows` whole rows encoded in `rowFormat`, in source order (only called when
    /// `rowFormat` is not nil).
    func addEncoded(_ bytes: [UInt8], rows: Int) throws
    /// Delivers what is pending; throws when the delivery failed as a whole.
    func finish() throws -> DestinationOutcome
    /// Removes temporary files after a failure.
    func abandon()
    /// Whether `add` may already deliver to the partner (batches sent during the scan): an
    /// export guard must then decide before the first product is added.
    var sendsWhileAdding: Bool { get }
}

extension ProductDestination {
    /// Most destinations deliver only in `finish`.
    var sendsWhileAdding: Bool { false }

    /// Most destinations take cells.
    var rowFormat: CSVRowFormat? { nil }

    func addEncoded(_ bytes: [UInt8], rows: Int) throws {
        preconditionFailure("\(type(of: self)) takes rows as cells, not encoded")
    }
}

/// What a destination did with an export.
struct DestinationOutcome {
    /// Products the destination accepted (or, in a dry run, would have been sent).
    var delivered = 0
    /// Keys of products the destination refused: the next delta export sends them again.
    var refusedKeys: [String] = []
    /// Where the file went (flat-file), or the dry run's file.
    var file: String?
    /// Files kept with the run (feedback file, error report, dry-run payloads).
    var artifacts: [(name: String, content: Data)] = []
    /// Lines for the run report.
    var notes: [String] = []
}
