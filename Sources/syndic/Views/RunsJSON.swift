import Foundation
import SyndicCore

/// The JSON form of `syndic runs`: the runs listed, newest first. Computes nothing.
struct RunsJSON: JSONDocument {
    /// Bumped on any incompatible change of this document (docs/json.md).
    static let currentFormatVersion = "1"

    var formatVersion: String
    var runs: [Run]

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case runs
    }

    init(runs: [RunInfo]) {
        formatVersion = Self.currentFormatVersion
        self.runs = runs.map(Run.init)
    }

    /// One run: the same object in `runs`, `runs show` and `status`.
    struct Run: Encodable {
        var id: Int64
        var channel: String
        var job: JobKind
        var trigger: RunTrigger
        /// The schedule slot a scheduled run is for.
        var slot: String?
        var dryRun: Bool
        var full: Bool
        var force: Bool
        var status: RunStatus
        var attempt: Int
        var maxAttempts: Int
        var queuedAt: String
        /// A queued run waits until then (a retry's backoff).
        var notBefore: String
        var startedAt: String?
        var finishedAt: String?
        /// The worker holding the run's lease.
        var worker: String?
        var cancelRequested: Bool
        var counts: [String: Int]
        var error: String?

        enum CodingKeys: String, CodingKey {
            case id, channel, job, trigger, slot
            case dryRun = "dry_run"
            case full, force, status, attempt
            case maxAttempts = "max_attempts"
            case queuedAt = "queued_at"
            case notBefore = "not_before"
            case startedAt = "started_at"
            case finishedAt = "finished_at"
            case worker
            case cancelRequested = "cancel_requested"
            case counts, error
        }

        init(_ run: RunInfo) {
            id = run.id
            channel = run.channel
            job = run.job
            trigger = run.trigger
            slot = run.slot.map(JSONDate.utc)
            dryRun = run.dryRun
            full = run.full
            force = run.force
            status = run.status
            attempt = run.attempt
            maxAttempts = run.maxAttempts
            queuedAt = JSONDate.utc(run.queuedAt)
            notBefore = JSONDate.utc(run.notBefore)
            startedAt = run.startedAt.map(JSONDate.utc)
            finishedAt = run.finishedAt.map(JSONDate.utc)
            worker = run.leaseOwner
            cancelRequested = run.cancelRequested
            counts = run.counts
            error = run.error
        }
    }
}
