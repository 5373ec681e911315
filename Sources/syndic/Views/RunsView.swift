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

/// Renders one run with its report and log lines.
struct RunView {
    let run: RunInfo
    let lines: [RunLogLine]

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
        if !lines.isEmpty {
            out.append("log:")
            out += lines.map { "  \(Timestamp.iso($0.at, zone: "UTC")) \($0.level.padding(toLength: 7, withPad: " ", startingAt: 0)) \($0.message)" }
        }
        return out.joined(separator: "\n")
    }
}
