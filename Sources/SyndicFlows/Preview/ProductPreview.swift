import Foundation
import SyndicCore
import SyndicEngine

/// The first mapped products of a channel: its source read from the
/// start, its filter and mapping applied, nothing sent and nothing recorded. Reading stops as
/// soon as enough products are mapped.
public struct ProductPreview: Sendable {
    /// The mapping's targets in its order (as the file writes them): the columns of every row.
    public var targets: [String]
    /// The mapped products, in source order: key and cells.
    public var rows: [(key: String, cells: [String])]
    public var read: Int
    public var filteredOut: Int
    /// Skipped products: key and reason.
    public var skipped: [(key: String, reason: String)]
    /// Products that are not products: position and reason.
    public var invalid: [(position: Int, reason: String)]
    /// Where the products came from.
    public var source: String

    /// Previews `channel` as the resources describe it (relative paths from `baseDirectory`).
    public static func make(channel: AppliedResource, connections: [AppliedResource], baseDirectory: String,
                            workDirectory: URL, limit: Int) throws -> ProductPreview {
        let inputs = FlowInputs(channel: channel, connections: Dictionary(uniqueKeysWithValues: connections.map { ($0.name, $0) }),
                                baseDirectory: baseDirectory, workDirectory: workDirectory)
        let spec: ChannelSpec
        let value: Value
        do {
            spec = try channel.channelSpec()
            value = try CanonicalJSON.parse(channel.specJSON)
        } catch {
            throw FlowError(.configuration, "\(channel.address) cannot be read: \(error)")
        }
        let sources = ProductSources(inputs: inputs, http: .init())
        let program = try sources.program(for: spec, spec: value)
        let source = try sources.source(for: spec, program: program)
        var preview = ProductPreview(targets: program.mapping.targets, rows: [], read: 0, filteredOut: 0, skipped: [],
                                     invalid: [], source: source.description)
        var tracker = DeltaTracker(delta: false, specDigest: program.specDigest, previous: nil)
        var scratch = ProductExportProgram.Scratch()
        struct Enough: Error {}
        do {
            try source.forEachProduct { text, position in
                preview.read += 1
                switch program.process(text, tracker: &tracker, scratch: &scratch) {
                case .send, .same:
                    preview.rows.append((scratch.key, scratch.row))
                    if preview.rows.count >= limit { throw Enough() }
                case .unchanged: break
                case .filteredOut: preview.filteredOut += 1
                case .skipped(let skip):
                    preview.skipped.append((scratch.fields.property("identifier")?.stringValue ?? scratch.key, skip.reason))
                case .invalid(let reason): preview.invalid.append((position, reason))
                }
            }
        } catch is Enough {}
        return preview
    }
}
