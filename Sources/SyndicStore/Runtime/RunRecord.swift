import Foundation
import GRDB
import SyndicCore

/// A row of `run`: one execution of one job of one channel, from queued to finished.
struct RunRecord: Codable, Hashable {
    var id: Int64?
    var channel: String
    var job: String
    var trigger: String
    var dryRun: Bool
    var full: Bool
    var force: Bool
    var slot: Date?
    var status: String
    var attempt: Int
    var maxAttempts: Int
    var notBefore: Date
    var queuedAt: Date
    var startedAt: Date?
    var finishedAt: Date?
    var leaseOwner: String?
    var leaseExpiresAt: Date?
    var cancelRequested: Bool
    var counts: String
    var report: String?
    var error: String?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let channel = Column(CodingKeys.channel)
        static let job = Column(CodingKeys.job)
        static let status = Column(CodingKeys.status)
    }

    /// The public view of the row.
    var info: RunInfo {
        let parsedCounts = (try? CanonicalJSON.parse(counts).objectValue) ?? [:]
        return RunInfo(id: id ?? 0, channel: channel, job: JobKind(rawValue: job) ?? .productExport,
                       trigger: RunTrigger(rawValue: trigger) ?? .manual, dryRun: dryRun, full: full, force: force, slot: slot,
                       status: RunStatus(rawValue: status) ?? .failed, attempt: attempt, maxAttempts: maxAttempts,
                       notBefore: notBefore, queuedAt: queuedAt, startedAt: startedAt, finishedAt: finishedAt,
                       leaseOwner: leaseOwner, leaseExpiresAt: leaseExpiresAt, cancelRequested: cancelRequested,
                       counts: parsedCounts.compactMapValues(\.intValue), report: report, error: error)
    }
}

extension RunRecord: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "run"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension RunRecord {
    /// A new run of `request`, queued at `now` (both stores insert it).
    static func queued(_ request: RunRequest, slot: Date?, now: Date, retry: RetryPolicy) -> RunRecord {
        RunRecord(id: nil, channel: request.channel, job: request.job.rawValue, trigger: request.trigger.rawValue,
                  dryRun: request.dryRun, full: request.full, force: request.force, slot: slot,
                  status: RunStatus.queued.rawValue, attempt: 1,
                  maxAttempts: retry.maxAttempts, notBefore: now, queuedAt: now, startedAt: nil, finishedAt: nil,
                  leaseOwner: nil, leaseExpiresAt: nil, cancelRequested: false, counts: "{}", report: nil, error: nil)
    }

    /// The log line of a manual run queued for `request`: `queued (manual)`, `queued (dry-run)`,
    /// `queued (full)`, with `, forced` for a run that skips the export guard.
    static func queuedMessage(_ request: RunRequest) -> String {
        let kind = request.dryRun ? "dry-run" : request.full ? "full" : "manual"
        return "queued (\(kind)\(request.force ? ", forced" : ""))"
    }

    /// Counts as stored: canonical JSON.
    static func countsJSON(_ counts: [String: Int]) -> String {
        CanonicalJSON.string(.object(counts.mapValues { .int($0) }))
    }

    /// `?, ?, …` for an `IN (…)` list of `count` values.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// What a failed attempt does to a run, decided once for both stores: the run is queued
    /// again after a backoff (`immediately` for a lease taken back), canceled when its channel
    /// is being deleted, or failed for good. Updates the record; returns the log line to add
    /// and, for a run failed for good, the alert to raise.
    mutating func fail(error: String, now: Date, retry: RetryPolicy, immediately: Bool, retryable: Bool,
                       category: String?)
        -> (log: (level: String, message: String), alert: (kind: String, message: String)?) {
        self.error = error
        let policy = RetryPolicy(maxAttempts: maxAttempts, baseDelay: retry.baseDelay, maxDelay: retry.maxDelay)
        if !cancelRequested, retryable, let backoff = policy.nextAttempt(after: attempt, failedAt: now) {
            let next = immediately ? now : backoff
            let line = "attempt \(attempt) failed: \(error); retrying at \(Timestamp.iso(next, zone: "UTC"))"
            status = RunStatus.queued.rawValue
            attempt += 1
            notBefore = next
            return (("error", line), nil)
        }
        finishedAt = now
        if cancelRequested {
            status = RunStatus.canceled.rawValue
            return (("warning", "attempt \(attempt) stopped: \(error); canceled"), nil)
        }
        status = RunStatus.failed.rawValue
        let why = retryable ? "no attempt left" : "not retried (it would fail the same way)"
        let kind = AlertKind.failedRun(job: JobKind(rawValue: job), category: category).rawValue
        let attempts = "\(attempt) attempt\(attempt == 1 ? "" : "s")"
        return (("error", "attempt \(attempt) failed: \(error); \(why)"),
                (kind, "\(job) failed after \(attempts): \(error)"))
    }

    /// What holding a run does, decided once for both stores: the job sent nothing on purpose
    /// (a product export's guard held it), so the run is finished `held` — not retried — and
    /// raises an `export-held` alert. Updates the record; returns the log line to add and the
    /// alert to raise.
    mutating func hold(reason: String, now: Date)
        -> (log: (level: String, message: String), alert: (kind: String, message: String)) {
        status = RunStatus.held.rawValue
        finishedAt = now
        error = nil
        let force = "syndic run \(channel) \(job) --force sends it once"
        return (("warning", "held: \(reason); nothing was sent (\(force))"),
                (AlertKind.exportHeld.rawValue, "\(job) of \(channel) held: \(reason); nothing was sent (\(force))"))
    }
}
