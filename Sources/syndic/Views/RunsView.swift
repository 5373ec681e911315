import Foundation
import SyndicCore
import SyndicStore

/// Renders `syndic runs`: one line per run.
struct RunsView {
    let runs: [RunInfo]

    func render() -> String {
        if runs.isEmpty { return "No runs." }
        var rows = [["RUN", "CHANNEL", "JOB", "TRIGGER", "STATUS", "ATTEMPT", "QUEUED", "FINISHED"]]
        for run in runs {
            let flags = run.dryRun ? " (dry run)" : run.full ? " (full)" : ""
            rows.append([String(run.id), run.channel, run.job.rawValue + flags, run.trigger.rawValue, run.status.rawValue,
                         "\(run.attempt)/\(run.maxAttempts)", Timestamp.iso(run.queuedAt, zone: "UTC"),
                         run.finishedAt.map { Timestamp.iso($0, zone: "UTC") } ?? "-"])
        }
        return Table.render(rows)
    }
}

/// Renders one run with its report and log lines. The text is made safe for a terminal
/// (``TerminalText/safe(_:)``): reports, errors and log lines quote marketplaces and partner
/// files, whose control characters show as U+FFFD instead of acting.
struct RunView {
    let run: RunInfo
    let lines: [RunLogLine]
    /// The product exports the run recorded (a delta export lists the products it sent).
    var exports: [ProductExportRecord] = []
    /// Files the run kept (feedback file, error report, dry-run payloads): names and sizes.
    var files: [(name: String, size: Int)] = []
    /// How many sent products to list per export (all with `--products`).
    var productLimit: Int? = 20

    func render() -> String {
        var out = ["run \(run.id): \(run.channel) \(run.job.rawValue)",
                   "  trigger:  \(run.trigger.rawValue)\(run.slot.map { " (slot \(Timestamp.iso($0, zone: "UTC")))" } ?? "")",
                   "  dry run:  \(run.dryRun ? "yes" : "no")\(run.full ? ", full export" : "")",
                   "  status:   \(run.status.rawValue)",
                   "  attempt:  \(run.attempt) of \(run.maxAttempts)",
                   "  queued:   \(Timestamp.iso(run.queuedAt, zone: "UTC"))"]
        if let started = run.startedAt { out.append("  started:  \(Timestamp.iso(started, zone: "UTC"))") }
        if let finished = run.finishedAt {
            out.append("  finished: \(Timestamp.iso(finished, zone: "UTC"))")
            if let started = run.startedAt {
                out.append(String(format: "  duration: %.1f s", finished.timeIntervalSince(started)))
            }
        }
        if run.status == .queued, run.notBefore > run.queuedAt {
            out.append("  next attempt not before \(Timestamp.iso(run.notBefore, zone: "UTC"))")
        }
        if let owner = run.leaseOwner { out.append("  worker:   \(owner)") }
        if !run.counts.isEmpty {
            out.append("  counts:   " + run.counts.keys.sorted().map { "\($0) \(run.counts[$0]!)" }.joined(separator: ", "))
        }
        if let error = run.error { out.append("  error:    \(error)") }
        if let report = run.report, !report.isEmpty {
            out.append("report:")
            out += report.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }
        }
        for export in exports {
            out.append("\(export.mode) export recorded \(Timestamp.iso(export.at, zone: "UTC")): \(export.sent) products sent"
                       + (export.file.map { " to \($0)" } ?? ""))
            if !export.products.isEmpty {
                let shown = productLimit.map { Array(export.products.prefix($0)) } ?? export.products
                out.append("  products sent: " + shown.joined(separator: ", ")
                           + (shown.count < export.products.count ? ", … (\(export.products.count - shown.count) more; --products lists all)" : ""))
            }
        }
        if !files.isEmpty {
            out.append("files (syndic runs show \(run.id) --file NAME):")
            out += files.map { "  \($0.name) (\($0.size) bytes)" }
        }
        if !lines.isEmpty {
            out.append("log:")
            for line in lines {
                let head = "  \(Timestamp.iso(line.at, zone: "UTC")) \(line.level.padding(toLength: 7, withPad: " ", startingAt: 0)) "
                let parts = line.message.split(separator: "\n", omittingEmptySubsequences: false)
                out.append(head + (parts.first.map(String.init) ?? ""))
                let indent = String(repeating: " ", count: head.count)
                out += parts.dropFirst().map { indent + $0 }
            }
        }
        return TerminalText.safe(out.joined(separator: "\n"))
    }
}
