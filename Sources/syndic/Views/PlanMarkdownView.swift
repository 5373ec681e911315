import SyndicCore

/// Renders a plan as a pull-request comment: a summary line, then the changes in a
/// collapsible ```diff block.
struct PlanMarkdownView {
    let plan: Plan
    let serial: Int
    let gitCommit: String?

    func render() -> String {
        var lines: [String] = []
        let commit = gitCommit.map { " at `\($0)`" } ?? ""
        if !plan.hasChanges {
            lines.append("#### syndic plan: no changes\(commit)")
            lines.append("")
            lines.append("The state matches the configuration (serial \(serial)).")
        } else {
            lines.append("#### syndic plan\(commit)")
            lines.append("")
            lines.append("**\(PlanSummary.line(plan))**")
            let deletes = plan.deletedChannels
            if !deletes.isEmpty {
                lines.append("")
                lines.append("> [!WARNING]")
                lines.append("> Deletes \(deletes.map { "`\($0)`" }.joined(separator: ", ")) with all \(deletes.count == 1 ? "its" : "their") data. Apply needs \(deletes.map { "`--confirm-delete \($0)`" }.joined(separator: " ")).")
            }
            lines.append("")
            lines.append("<details><summary>\(plan.changes.count) change\(plan.changes.count == 1 ? "" : "s") (state serial \(serial))</summary>")
            lines.append("")
            lines.append("```diff")
            for change in plan.changes { lines += diffLines(change) }
            lines.append("```")
            lines.append("")
            lines.append("</details>")
        }
        let warnings = plan.diagnostics.filter { $0.severity == .warning }
        if !warnings.isEmpty {
            lines.append("")
            lines.append("**Warnings**")
            lines.append("")
            lines += warnings.map { "- `\($0.location?.description ?? "")` \(escape($0.message))" }
        }
        if !plan.notes.isEmpty {
            lines.append("")
            lines.append("**Notes**")
            lines.append("")
            lines += plan.notes.map { "- \(escape($0))" }
        }
        return lines.joined(separator: "\n")
    }

    private func diffLines(_ change: Change) -> [String] {
        let mark: String
        switch change.action {
        case .create: mark = "+"
        case .delete: mark = "-"
        default: mark = "!"
        }
        var lines = ["\(mark) \(change.address) (\(change.action.rawValue))"]
        for field in change.fields {
            if change.action == .create {
                lines.append("+     \(field.path) = \(field.after ?? "")")
            } else {
                lines.append("!     \(field.path): \(field.before ?? "(none)") -> \(field.after ?? "(none)")")
            }
        }
        for schedule in change.schedules {
            if let before = schedule.before {
                lines.append("-     \(schedule.job.rawValue): \(before.schedule) (\(schedule.timeZone)); next \(before.next.joined(separator: ", "))")
            }
            if let after = schedule.after {
                lines.append("+     \(schedule.job.rawValue): \(after.schedule) (\(schedule.timeZone)); next \(after.next.joined(separator: ", "))")
            }
        }
        if !change.data.isEmpty {
            lines.append("-     data deleted with it: " + change.data.map { "\($0.label) \($0.count)" }.joined(separator: ", "))
        }
        lines += change.notes.map { "#     \($0)" }
        return lines
    }

    /// Keeps user text from breaking the Markdown around it.
    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
