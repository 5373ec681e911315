import Foundation
import SyndicCore
import SyndicStore

/// Renders `syndic history`: revisions, newest first, with the fields they changed.
struct HistoryView {
    let entries: [HistoryEntry]
    let address: String?

    func render() -> String {
        if entries.isEmpty {
            return address.map { "No history for \($0)." } ?? "No history yet. Run `syndic apply`."
        }
        var lines: [String] = []
        for entry in entries {
            let commit = entry.gitCommit.map { " commit \($0)" } ?? ""
            lines.append("serial \(entry.serial)  \(Planner.timestamp(entry.at, zone: "UTC"))  \(entry.operation) by \(entry.user)\(commit)")
            for change in entry.changes {
                var line = "  \(change.action.padding(toLength: 10, withPad: " ", startingAt: 0)) \(change.address)"
                if let field = change.field {
                    line += "  \(field)"
                    if change.before != nil || change.after != nil {
                        line += ": \(change.before ?? "(none)") -> \(change.after ?? "(none)")"
                    }
                } else if let after = change.after {
                    line += "  (\(after))"
                }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }
}
