import Foundation
import Logging
import SyndicCore

/// A log event as one line for people: `2026-12-06T21:03:10Z info message
/// run=5 channel=acme job=product-export`, the level left out for `info`, control
/// characters shown as U+FFFD, secrets taken out.
enum TextLogLine {
    static func render(_ fields: LogFields) -> String {
        var line = Timestamp.iso(fields.timestamp, zone: "UTC")
        if fields.level != .info { line += " " + fields.level.rawValue + ":" }
        line += " " + fields.message
        for (key, value) in fields.metadata {
            line += " \(key)=\(quoted(value.description))"
        }
        return TerminalText.safeLine(line)
    }

    /// A value as is, or in quotes when it has spaces or quotes.
    private static func quoted(_ text: String) -> String {
        guard text.isEmpty || text.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
