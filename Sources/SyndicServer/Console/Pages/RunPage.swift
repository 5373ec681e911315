import Foundation
import SyndicCore

/// One run: what it was, its counts, its report, the exports it recorded, its files to
/// download, and its log lines.
struct RunPage: Sendable {
    var frame: PageFrame
    var heading: String
    var channel: String
    var channelHref: String
    var status: String
    var statusClass: String
    var facts: [PageFact]
    var hasError: Bool
    var error: String
    var counts: [PageFact]
    var hasCounts: Bool
    var hasReport: Bool
    var report: String
    var exports: [String]
    var hasExports: Bool
    var files: [File]
    var hasFiles: Bool
    var logs: [LogLine]
    var hasLogs: Bool

    struct File: Sendable, Equatable {
        var fileName: String
        var fileHref: String
        var size: String
    }

    struct LogLine: Sendable, Equatable {
        var at: String
        var level: String
        var levelClass: String
        var message: String
    }

    /// What the page is built from.
    struct Input: Sendable {
        var run: RunInfo
        var lines: [RunLogLine]
        var exports: [ProductExportRecord]
        var files: [(name: String, size: Int)]
    }

    static func build(_ input: Input, csrf: String) -> RunPage {
        let run = input.run
        var facts = [PageFact(label: "Job", value: RunRow(run).runJob),
                     PageFact(label: "Trigger", value: run.trigger.rawValue + (run.slot.map { " (slot \(PageFormat.date($0)))" } ?? "")),
                     PageFact(label: "Dry run", value: run.dryRun ? "yes: nothing was sent" : "no"),
                     PageFact(label: "Attempt", value: "\(run.attempt) of \(run.maxAttempts)"),
                     PageFact(label: "Queued", value: PageFormat.date(run.queuedAt)),
                     PageFact(label: "Started", value: PageFormat.date(run.startedAt)),
                     PageFact(label: "Finished", value: PageFormat.date(run.finishedAt))]
        if let started = run.startedAt, let finished = run.finishedAt {
            facts.append(PageFact(label: "Duration", value: String(format: "%.1f s", finished.timeIntervalSince(started))))
        }
        if run.status == .queued, run.notBefore > run.queuedAt {
            facts.append(PageFact(label: "Next attempt", value: "not before \(PageFormat.date(run.notBefore))"))
        }
        if let owner = run.leaseOwner { facts.append(PageFact(label: "Worker", value: owner)) }
        if run.cancelRequested { facts.append(PageFact(label: "Cancel", value: "requested")) }
        let runPath = "/runs/\(run.id)/files/"
        return RunPage(
            frame: PageFrame(title: "Run \(run.id)", section: .runs, csrf: csrf),
            heading: "Run \(run.id): \(run.channel) \(run.job.rawValue)",
            channel: run.channel, channelHref: "/channels/" + PageFormat.segment(run.channel),
            status: run.status.rawValue, statusClass: PageFormat.statusClass(run.status), facts: facts,
            hasError: run.error != nil, error: run.error ?? "",
            counts: run.counts.keys.sorted().map { PageFact(label: $0, value: String(run.counts[$0] ?? 0)) },
            hasCounts: !run.counts.isEmpty,
            hasReport: run.report?.isEmpty == false, report: run.report ?? "",
            exports: input.exports.map(exportText), hasExports: !input.exports.isEmpty,
            files: input.files.map { File(fileName: $0.name, fileHref: runPath + PageFormat.segment($0.name), size: size($0.size)) },
            hasFiles: !input.files.isEmpty,
            logs: input.lines.map {
                LogLine(at: PageFormat.date($0.at), level: $0.level, levelClass: "level-" + levelClass($0.level), message: $0.message)
            },
            hasLogs: !input.lines.isEmpty)
    }

    /// `delta export recorded 2026-03-11T02:30:00Z: 12 products sent to out.csv (A, B, …)`.
    static func exportText(_ export: ProductExportRecord) -> String {
        var text = "\(export.mode) export recorded \(PageFormat.date(export.at)): \(PageFormat.count(export.sent, "product")) sent"
        if let file = export.file { text += " to \(file)" }
        if !export.products.isEmpty {
            let shown = export.products.prefix(20)
            text += " (" + shown.joined(separator: ", ") + (export.products.count > shown.count ? ", … \(export.products.count - shown.count) more" : "") + ")"
        }
        return text
    }

    /// `812 bytes`, `1.2 KB`, `3.4 MB`.
    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return PageFormat.count(bytes, "byte") }
        if bytes < 1024 * 1024 { return String(format: "%.1f KB", Double(bytes) / 1024) }
        return String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    /// A CSS-safe name of a log level.
    private static func levelClass(_ level: String) -> String {
        let known = ["debug", "info", "notice", "warning", "error"]
        return known.contains(level.lowercased()) ? level.lowercased() : "other"
    }
}
