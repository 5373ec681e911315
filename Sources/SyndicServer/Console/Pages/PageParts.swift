import Foundation
import SyndicCore

/// A link: its text and where it goes.
struct PageLink: Sendable, Equatable {
    var text: String
    var href: String
}

/// A labelled value of a page's fact list (`<dl>`).
struct PageFact: Sendable, Equatable {
    var label: String
    var value: String
}

/// One choice of a `<select>`.
struct PageOption: Sendable, Equatable {
    var value: String
    var label: String
    var selected: Bool

    /// The choices `values` (with their labels), the one equal to `current` selected, after
    /// an "all" choice with an empty value.
    static func list(all: String, _ values: [(value: String, label: String)], current: String?) -> [PageOption] {
        [PageOption(value: "", label: all, selected: current == nil)]
            + values.map { PageOption(value: $0.value, label: $0.label, selected: $0.value == current) }
    }
}

/// How the console writes values: dates in UTC ISO 8601, amounts with their currency, a
/// dash for what is unknown.
enum PageFormat {
    /// `2026-03-11T12:00:00Z`, or `-`.
    static func date(_ date: Date?) -> String {
        date.map { Timestamp.iso($0, zone: "UTC") } ?? "-"
    }

    /// `129.90 EUR`, or `-`.
    static func money(_ amount: Double?, _ currency: String?) -> String {
        guard let amount else { return "-" }
        return OrderExportTemplate.number(amount) + (currency.map { " " + $0 } ?? "")
    }

    /// The text, or `-` when nil or empty.
    static func text(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "-" }
        return text
    }

    /// `1 order`, `2 orders`.
    static func count(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    /// A path segment with every reserved character percent-encoded.
    static func segment(_ text: String) -> String {
        ConsoleQuery.encoded(text)
    }

    /// The CSS class of a run status badge.
    static func statusClass(_ status: RunStatus) -> String {
        switch status {
        case .succeeded: "badge ok"
        case .failed: "badge bad"
        case .held, .canceled: "badge warn"
        case .queued, .running: "badge info"
        }
    }
}
