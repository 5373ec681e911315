import SyndicCore
import SyndicEngine
import SyndicStore

/// Renders `syndic status`: one line per channel, or the details of one. Computes nothing.
struct StatusView {
    let reports: [ChannelStatusReport]
    let serial: Int
    let detailed: Bool

    func render() -> String {
        if reports.isEmpty { return "No channels applied yet (serial \(serial)). Run `syndic apply`." }
        if detailed, let report = reports.first { return details(report) }
        var rows = [["CHANNEL", "TYPE", "STATUS", "CREDENTIALS", "NEXT RUN"]]
        for report in reports {
            let next = report.suspension != nil ? "- (suspended)"
                : report.nextRun.map { "\($0.job.rawValue) \($0.time)" } ?? "-"
            rows.append([report.name, report.type, status(report), report.credentialSummary, next])
        }
        return Table.render(rows) + "\n\nserial \(serial)"
    }

    private func details(_ report: ChannelStatusReport) -> String {
        var lines = ["channel.\(report.name)", "  type:        \(report.type)", "  status:      \(status(report))"]
        if let suspension = report.suspension {
            lines.append("  suspended:   since \(Timestamp.iso(suspension.at, zone: "UTC")) by \(suspension.by): \(suspension.reason)")
        }
        lines.append("  credentials: \(report.credentialSummary)")
        for credential in report.credentials {
            let message = credential.message.map { " (\($0))" } ?? ""
            lines.append("    \(credential.path): \(credential.status)\(message), since \(Timestamp.iso(credential.changedAt, zone: "UTC"))")
        }
        if report.credentialSummary == "INVALID" {
            lines.append("  warning: the marketplace rejected the credentials; rotate the secret and apply")
        }
        lines.append("  file:        \(report.sourceFile)")
        if report.schedules.isEmpty {
            lines.append("  schedules:   none")
        } else {
            let quiet = report.fires ? "" : ", firing nothing while \(report.suspension != nil ? "suspended" : "inactive")"
            lines.append("  schedules (\(report.timeZone))\(quiet):")
            for entry in report.schedules {
                lines.append("    \(entry.job.rawValue): \(entry.schedule); next \(entry.next.joined(separator: ", "))")
            }
        }
        for run in report.pending {
            lines.append("  \(run.status.rawValue): run \(run.id) \(run.job.rawValue) (\(run.trigger.rawValue), attempt \(run.attempt) of \(run.maxAttempts))")
        }
        for run in report.lastRuns {
            let finished = run.finishedAt.map { Timestamp.iso($0, zone: "UTC") } ?? "-"
            lines.append("  last \(run.job.rawValue): run \(run.id) \(run.status.rawValue) at \(finished)")
        }
        lines.append("serial \(serial)")
        // Credential messages quote the remote's answer: no control character of theirs acts.
        return TerminalText.safe(lines.joined(separator: "\n"))
    }

    private func status(_ report: ChannelStatusReport) -> String {
        let base = report.active ? "active" : "inactive"
        return report.suspension == nil ? base : "\(base), suspended"
    }
}
