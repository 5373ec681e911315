import SyndicCore

/// Renders a plan for a terminal. Computes nothing: every fact comes from the plan.
struct PlanTextView {
    let plan: Plan
    let serial: Int
    let style: TextStyle

    func render() -> String {
        var lines: [String] = []
        let warnings = plan.diagnostics.filter { $0.severity == .warning }
        if !plan.hasChanges {
            lines.append(plan.partial == nil ? "No changes. The state matches the configuration (serial \(serial))."
                         : "No changes in the selection (serial \(serial)).")
        } else {
            lines.append("syndic will perform these actions (state serial \(serial)):")
        }
        if let partial = plan.partial {
            lines.append("")
            lines += PlanSummary.partialLines(partial).map { style.yellow($0) }
        }
        if plan.hasChanges {
            for change in plan.changes {
                lines.append("")
                lines += block(change)
            }
        }
        if !warnings.isEmpty {
            lines.append("")
            lines.append(style.yellow("Warnings:"))
            lines += warnings.map { "  " + $0.description }
        }
        if !plan.notes.isEmpty {
            lines.append("")
            lines.append("Notes:")
            lines += plan.notes.map { "  " + $0.text }
        }
        if plan.hasChanges {
            lines.append("")
            lines.append(style.bold(PlanSummary.line(plan)))
        }
        return lines.joined(separator: "\n")
    }

    private func block(_ change: Change) -> [String] {
        let head: String
        if change.action == .rename, let former = change.formerAddress {
            head = "  \(change.action.symbol) \(former) → \(change.address)  (renamed)"
        } else {
            head = "  \(change.action.symbol) \(change.address)" + (change.action == .create || change.action == .update
                || change.action == .delete ? "" : "  (\(change.action.rawValue))")
        }
        var lines = [colour(change.action, style.bold(head))]
        let width = min(40, change.fields.map(\.path.count).max() ?? 0)
        for field in change.fields {
            let name = field.path.padding(toLength: max(width, field.path.count), withPad: " ", startingAt: 0)
            switch change.action {
            case .create: lines.append("      \(name) = \(field.after ?? "")")
            default: lines.append("      \(name) : \(field.before ?? "(none)") -> \(field.after ?? "(none)")")
            }
        }
        for schedule in change.schedules {
            lines.append("      \(schedule.job.rawValue) (\(schedule.timeZone))")
            if let before = schedule.before {
                lines.append("        before: \(before.schedule); next \(before.next.joined(separator: ", "))")
            }
            if let after = schedule.after {
                lines.append("        after:  \(after.schedule); next \(after.next.joined(separator: ", "))")
            }
        }
        if !change.data.isEmpty {
            let counts = change.data.map { "\($0.label) \($0.count)" }.joined(separator: ", ")
            lines.append("      data deleted with it: \(counts)")
        }
        lines += change.notes.map { style.dim("      # \($0.text)") }
        if let blocked = change.blocked { lines.append("      ! blocked: \(blocked)") }
        return lines
    }

    private func colour(_ action: ChangeAction, _ text: String) -> String {
        switch action {
        case .create, .activate, .schedule: return style.green(text)
        case .delete, .deactivate, .unschedule: return style.red(text)
        case .update, .rotate, .rename: return style.yellow(text)
        }
    }
}

/// The one-line summary shared by the text and Markdown views.
enum PlanSummary {
    /// `Plan: 1 to create, 0 to update, ...`; renames are counted only when there are some.
    static func line(_ plan: Plan) -> String {
        "Plan: " + plan.summary.filter { $0.action != .rename || $0.count > 0 }
            .map { "\($0.count) to \($0.action.verb)" }.joined(separator: ", ") + "."
    }

    /// What a partial plan covers and leaves out.
    static func partialLines(_ partial: PartialPlan) -> [String] {
        var lines = ["This plan is partial (\(partial.selection.commandLine)): it covers the selected resources only."]
        if !partial.dependencies.isEmpty {
            lines.append("Included because a selected change needs them: \(partial.dependencies.joined(separator: ", ")).")
        }
        if partial.leftOut.isEmpty {
            lines.append("No other resource has changes.")
        } else {
            let count = partial.leftOut.count
            lines.append("Left out, with changes of their own (\(count) resource\(count == 1 ? "" : "s")): "
                         + partial.leftOut.joined(separator: ", ") + ".")
        }
        return lines
    }
}
