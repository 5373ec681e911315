import SyndicCore

/// Renders a plan as a pull-request comment: a summary line, then the changes in a
/// collapsible ```diff block. Long plans can be split into several comments, each one
/// valid Markdown on its own (the diff fence and `<details>` are closed in every part).
struct PlanMarkdownView {
    let plan: Plan
    let serial: Int
    let gitCommit: String?

    /// The whole plan as one comment.
    func render() -> String {
        comment(header: header(), blocks: plan.changes.map(diffLines), footer: footer(), part: nil)
    }

    /// The plan as comments of at most `maxBytes` UTF-8 bytes each (a single change larger
    /// than that is split between its lines).
    func renderComments(maxBytes: Int) -> [String] {
        let head = header(), foot = footer()
        var blocks: [[String]] = []
        let room = maxBytes - 400 - head.joined(separator: "\n").utf8.count
        for block in plan.changes.map(diffLines) {
            var current: [String] = []
            for line in block {
                if !current.isEmpty, (current + [line]).joined(separator: "\n").utf8.count > room {
                    blocks.append(current)
                    current = []
                }
                current.append(line)
            }
            if !current.isEmpty { blocks.append(current) }
        }
        var parts: [[[String]]] = [[]]
        for block in blocks {
            let candidate = parts[parts.count - 1] + [block]
            if !parts[parts.count - 1].isEmpty,
               comment(header: head, blocks: candidate, footer: foot, part: (99, 99)).utf8.count > maxBytes {
                parts.append([block])
            } else {
                parts[parts.count - 1] = candidate
            }
        }
        if parts.count == 1 { return [render()] }
        return parts.enumerated().map { index, blocks in
            comment(header: index == 0 ? head : ["#### syndic plan\(gitCommit.map { " at `\($0)`" } ?? "") (continued)"],
                    blocks: blocks, footer: index == parts.count - 1 ? foot : [], part: (index + 1, parts.count))
        }
    }

    // MARK: - Pieces

    private func comment(header: [String], blocks: [[String]], footer: [String], part: (Int, Int)?) -> String {
        var lines = header
        if plan.hasChanges, !blocks.isEmpty {
            let count = plan.changes.count
            let partText = part.map { " — part \($0.0) of \($0.1)" } ?? ""
            lines.append("")
            lines.append("<details><summary>\(count) change\(count == 1 ? "" : "s") (state serial \(serial))\(partText)</summary>")
            lines.append("")
            lines.append("```diff")
            lines += blocks.flatMap { $0 }
            lines.append("```")
            lines.append("")
            lines.append("</details>")
        }
        lines += footer
        return lines.joined(separator: "\n")
    }

    private func header() -> [String] {
        let commit = gitCommit.map { " at `\($0)`" } ?? ""
        guard plan.hasChanges else {
            guard let partial = plan.partial else {
                return ["#### syndic plan: no changes\(commit)", "", "The state matches the configuration (serial \(serial))."]
            }
            return ["#### syndic plan: no changes in the selection\(commit)", "", "> [!NOTE]"]
                + PlanSummary.partialLines(partial).map { "> \(escape($0))" }
        }
        var lines = ["#### syndic plan\(commit)", "", "**\(PlanSummary.line(plan))**"]
        if let partial = plan.partial {
            lines.append("")
            lines.append("> [!NOTE]")
            lines += PlanSummary.partialLines(partial).map { "> \(escape($0))" }
        }
        let deletes = plan.deletedChannels
        if !deletes.isEmpty {
            lines.append("")
            lines.append("> [!WARNING]")
            lines.append("> Deletes \(deletes.map { "`\($0)`" }.joined(separator: ", ")) with all \(deletes.count == 1 ? "its" : "their") data. Apply needs \(deletes.map { "`--confirm-delete \($0)`" }.joined(separator: " ")).")
        }
        return lines
    }

    private func footer() -> [String] {
        var lines: [String] = []
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
            lines += plan.notes.map { "- \(escape($0.text))" }
        }
        return lines
    }

    private func diffLines(_ change: Change) -> [String] {
        let mark: String
        switch change.action {
        case .create: mark = "+"
        case .delete: mark = "-"
        default: mark = "!"
        }
        var lines = [change.action == .rename && change.formerAddress != nil
            ? "\(mark) \(change.formerAddress!) → \(change.address) (renamed)"
            : "\(mark) \(change.address) (\(change.action.rawValue))"]
        for field in change.fields {
            if change.action == .create {
                lines.append("+     \(field.path) = \(fence(field.after ?? ""))")
            } else {
                lines.append("!     \(field.path): \(fence(field.before ?? "(none)")) -> \(fence(field.after ?? "(none)"))")
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
        lines += change.notes.map { "#     \($0.text)" }
        if let blocked = change.blocked { lines.append("!     blocked: \(blocked)") }
        return lines
    }

    /// Keeps a value from closing the diff fence.
    private func fence(_ text: String) -> String { text.replacingOccurrences(of: "```", with: "`‵`") }

    /// Keeps user text from breaking the Markdown around it.
    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
