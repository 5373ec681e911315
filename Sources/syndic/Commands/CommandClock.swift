import Foundation
import SyndicCore

/// The current time for a command; `SYNDIC_NOW` (ISO 8601) pins it for reproducible output.
enum CommandClock {
    /// The pinned time when `SYNDIC_NOW` is set, else the system time.
    static func now() -> Date {
        if let pinned = ProcessInfo.processInfo.environment["SYNDIC_NOW"],
           let date = ISO8601DateFormatter().date(from: pinned) {
            return date
        }
        return Date()
    }
}

extension Timestamp {
    /// The current time in UTC, for worker log lines.
    static func now() -> String { iso(Date(), zone: "UTC") }
}
