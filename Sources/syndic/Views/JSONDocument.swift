import Foundation
import SyndicCore

/// A command's `--format json` output: one object with a `format_version`, snake_case keys,
/// dates in ISO 8601 UTC (`2026-11-23T10:00:00Z`), and no null: a value that is unknown or does
/// not apply leaves its key out. Printed like the plan JSON: pretty, keys sorted, slashes not
/// escaped. Conforming types carry store values as they are and compute nothing.
protocol JSONDocument: Encodable {}

extension JSONDocument {
    /// The document as printed.
    func render() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

/// Dates of the JSON documents: ISO 8601, UTC, whole seconds, with `Z`.
enum JSONDate {
    static func utc(_ date: Date) -> String { Timestamp.iso(date, zone: "UTC") }
}
