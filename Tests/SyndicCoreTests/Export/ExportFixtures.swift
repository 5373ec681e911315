@testable import SyndicCore

/// Helpers shared by the export tests: JSON text handed over as raw bytes, a channel spec
/// decoded the way the engine decodes it, and outcomes as comparable labels.
enum ExportFixtures {
    /// Runs `body` on the UTF-8 bytes of `text`, in a buffer of exactly that size.
    static func withBytes<R>(_ text: String, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Array(text.utf8).withUnsafeBytes(body)
    }

    /// Scans `text` with `scanner`: the fields kept, or the error.
    static func scan(_ scanner: ProductScanner, _ text: String) -> Result<ProductFields, ProductScanError> {
        withBytes(text) { buffer in
            var fields = ProductFields()
            do throws(ProductScanError) {
                try scanner.scan(buffer, into: &fields)
                return .success(fields)
            } catch {
                return .failure(error)
            }
        }
    }

    /// The entries of `fields` as `attribute|locale|scope|data` lines (`-` for nil), in order.
    static func entries(_ fields: ProductFields) -> [String] {
        fields.entries.map { "\($0.attribute)|\($0.locale ?? "-")|\($0.scope ?? "-")|\(CanonicalJSON.string($0.data))" }
    }

    /// Parses JSON text (test data is valid by construction).
    static func value(_ json: String) throws -> Value { try CanonicalJSON.parse(json) }

    /// The channel spec value and the typed spec decoded from it, as the engine does.
    static func channel(_ json: String) throws -> (spec: Value, channel: ChannelSpec) {
        let spec = try CanonicalJSON.parse(json)
        return (spec, try ValueDecoding.decode(ChannelSpec.self, from: spec))
    }

    /// The program of a channel given as JSON text.
    static func program(_ json: String) throws -> ProductExportProgram {
        let (spec, channel) = try channel(json)
        return try ProductExportProgram(channel: channel, spec: spec)
    }

    /// The name of an outcome's case, with its reason where it has one.
    static func label(_ outcome: ProductExportProgram.Outcome) -> String {
        switch outcome {
        case .unchanged: "unchanged"
        case .filteredOut: "filteredOut"
        case .skipped(let skip): "skipped: \(skip.reason)"
        case .invalid(let reason): "invalid: \(reason)"
        case .same: "same"
        case .send: "send"
        }
    }

    /// The name of an outcome's case only.
    static func kind(_ outcome: ProductExportProgram.Outcome) -> String {
        String(label(outcome).prefix { $0 != ":" })
    }
}
