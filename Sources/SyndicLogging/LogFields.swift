import Foundation
import Logging
import SyndicCore

/// The fields of one log line, shared by the text and JSON handlers: the message and the
/// merged metadata, secrets taken out.
struct LogFields {
    /// Metadata keys written first, in this order, when present.
    static let leading = ["run", "channel", "job"]

    var timestamp: Date
    var level: Logger.Level
    var message: String
    /// Sorted: the leading keys first, then by name.
    var metadata: [(key: String, value: Logger.MetadataValue)]

    init(event: LogEvent, handlerMetadata: Logger.Metadata, provider: Logger.MetadataProvider?, now: Date) {
        var merged = handlerMetadata
        if let provided = provider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        if let error = event.error, merged["error"] == nil { merged["error"] = .string("\(error)") }
        timestamp = now
        level = event.level
        message = LogRedactor.redact(event.message.description)
        metadata = merged.map { (key: $0.key, value: Self.redacted(key: $0.key, $0.value)) }.sorted { lhs, rhs in
            let left = Self.leading.firstIndex(of: lhs.key) ?? Self.leading.count
            let right = Self.leading.firstIndex(of: rhs.key) ?? Self.leading.count
            return left != right ? left < right : lhs.key < rhs.key
        }
    }

    /// A value with secrets taken out: whole when its key names a secret.
    static func redacted(key: String, _ value: Logger.MetadataValue) -> Logger.MetadataValue {
        if LogRedactor.isSecretName(key) { return .string(LogRedactor.mask) }
        switch value {
        case .string(let text): return .string(LogRedactor.redact(text))
        case .stringConvertible(let convertible):
            if convertible is any BinaryInteger || convertible is Double || convertible is Bool { return value }
            return .string(LogRedactor.redact(convertible.description))
        case .array(let values): return .array(values.map { redacted(key: "", $0) })
        case .dictionary(let entries):
            return .dictionary(entries.reduce(into: [:]) { $0[$1.key] = redacted(key: $1.key, $1.value) })
        }
    }
}
