import SyndicCore

/// One run in a table of runs (the runs page, a channel's recent runs).
struct RunRow: Sendable, Equatable {
    var runID: String
    var runHref: String
    var runChannel: String
    var runChannelHref: String
    /// The job, with `(dry run)`, `(full)` or `(forced)` when the run was one.
    var runJob: String
    var runTrigger: String
    var runStatus: String
    var runStatusClass: String
    var runAttempt: String
    var runQueued: String
    var runFinished: String

    init(_ run: RunInfo) {
        runID = String(run.id)
        runHref = "/runs/\(run.id)"
        runChannel = run.channel
        runChannelHref = "/channels/" + PageFormat.segment(run.channel)
        let flags = [run.dryRun ? "dry run" : nil, run.full ? "full" : nil, run.force ? "forced" : nil].compactMap { $0 }
        runJob = run.job.rawValue + (flags.isEmpty ? "" : " (\(flags.joined(separator: ", ")))")
        runTrigger = run.trigger.rawValue
        runStatus = run.status.rawValue
        runStatusClass = PageFormat.statusClass(run.status)
        runAttempt = "\(run.attempt)/\(run.maxAttempts)"
        runQueued = PageFormat.date(run.queuedAt)
        runFinished = PageFormat.date(run.finishedAt)
    }
}
