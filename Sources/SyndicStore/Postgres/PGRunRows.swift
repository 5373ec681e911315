import Foundation
import SyndicCore

/// `run` rows on PostgreSQL: what the GRDB record methods do for the SQLite twin (decoding
/// a row, inserting a run, writing back what the queue changed), and the queue's look-ups.
extension RunRecord {
    /// The record of a `run` row read with `SELECT *` or `RETURNING *`.
    init(_ row: PGRow) throws {
        self.init(id: try row.get("id", as: Int64.self),
                  channel: try row.get("channel", as: String.self),
                  job: try row.get("job", as: String.self),
                  trigger: try row.get("trigger", as: String.self),
                  dryRun: try row.get("dry_run", as: Bool.self),
                  full: try row.get("full", as: Bool.self),
                  force: try row.get("force", as: Bool.self),
                  slot: try row.get("slot", as: Date?.self),
                  status: try row.get("status", as: String.self),
                  attempt: try row.get("attempt", as: Int.self),
                  maxAttempts: try row.get("max_attempts", as: Int.self),
                  notBefore: try row.get("not_before", as: Date.self),
                  queuedAt: try row.get("queued_at", as: Date.self),
                  startedAt: try row.get("started_at", as: Date?.self),
                  finishedAt: try row.get("finished_at", as: Date?.self),
                  leaseOwner: try row.get("lease_owner", as: String?.self),
                  leaseExpiresAt: try row.get("lease_expires_at", as: Date?.self),
                  cancelRequested: try row.get("cancel_requested", as: Bool.self),
                  counts: try row.get("counts", as: String.self),
                  report: try row.get("report", as: String?.self),
                  error: try row.get("error", as: String?.self))
    }

    /// Inserts the run; returns it as stored, with its new id.
    func inserted(_ session: PGSession) throws -> RunRecord {
        guard let row = try session.row("""
            INSERT INTO run (channel, job, trigger, dry_run, "full", "force", slot, status, attempt, max_attempts,
                             not_before, queued_at, started_at, finished_at, lease_owner, lease_expires_at,
                             cancel_requested, counts, report, error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            RETURNING *
            """, [channel, job, trigger, dryRun, full, force, slot, status, attempt, maxAttempts, notBefore, queuedAt,
                  startedAt, finishedAt, leaseOwner, leaseExpiresAt, cancelRequested, counts, report, error]) else {
            throw PGError(message: "inserting a run returned no row", sqlState: nil, detail: nil)
        }
        return try RunRecord(row)
    }

    /// Writes back what the queue changes in a run (status, attempt, timing, lease, outcome);
    /// returns the run as stored. The caller holds the run's row lock.
    func updated(_ session: PGSession) throws -> RunRecord {
        guard let id, let row = try session.row("""
            UPDATE run SET status = ?, attempt = ?, not_before = ?, started_at = ?, finished_at = ?, lease_owner = ?,
              lease_expires_at = ?, counts = ?, report = ?, error = ?
            WHERE id = ?
            RETURNING *
            """, [status, attempt, notBefore, startedAt, finishedAt, leaseOwner, leaseExpiresAt, counts, report, error,
                  id]) else {
            throw QueueError.unknownRun(id ?? 0)
        }
        return try RunRecord(row)
    }

    /// The oldest queued or running run of one job of one channel, if any.
    static func active(_ session: PGSession, channel: String, job: String) throws -> RunRecord? {
        try session.row("""
            SELECT * FROM run WHERE channel = ? AND job = ? AND status IN ('queued', 'running') ORDER BY id LIMIT 1
            """, [channel, job]).map { try RunRecord($0) }
    }

    /// Whether a run of one job of one channel is running.
    static func isRunning(_ session: PGSession, channel: String, job: String) throws -> Bool {
        try session.row("SELECT 1 FROM run WHERE status = 'running' AND channel = ? AND job = ? LIMIT 1",
                        [channel, job]) != nil
    }

    /// The next runnable queued run of one of `jobs` (or exactly `runID`), other than those
    /// `passed`, locked `FOR UPDATE`; a run another transaction holds is skipped.
    static func nextQueued(_ session: PGSession, jobs: Set<JobKind>, runID: Int64?, passing passed: [Int64],
                           now: Date) throws -> RunRecord? {
        var binds: [(any PGBind)?] = [now]
        for job in jobs { binds.append(job.rawValue) }
        var only = ""
        if let runID {
            only += " AND r.id = ?"
            binds.append(runID)
        }
        if !passed.isEmpty {
            only += " AND r.id NOT IN (\(RunRecord.placeholders(passed.count)))"
            for id in passed { binds.append(id) }
        }
        return try session.row("""
            SELECT r.* FROM run r
            WHERE r.status = 'queued' AND r.not_before <= ?
              AND r.job IN (\(RunRecord.placeholders(jobs.count)))\(only)
              AND NOT EXISTS (SELECT 1 FROM run b WHERE b.status = 'running'
                              AND b.channel = r.channel AND b.job = r.job)
            ORDER BY r.not_before, r.id LIMIT 1
            FOR UPDATE OF r SKIP LOCKED
            """, binds).map { try RunRecord($0) }
    }

    /// The run, locked `FOR UPDATE`, if it is running under `worker`'s lease.
    static func held(_ session: PGSession, runID: Int64, worker: String) throws -> RunRecord? {
        guard let row = try session.row("SELECT * FROM run WHERE id = ? FOR UPDATE", [runID]) else { return nil }
        let run = try RunRecord(row)
        return run.status == RunStatus.running.rawValue && run.leaseOwner == worker ? run : nil
    }
}
