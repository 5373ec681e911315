import Foundation
import SyndicCore

/// The job queue on PostgreSQL, shared by workers on several hosts. Every write is one READ
/// COMMITTED transaction that locks what it changes:
/// - a run's row is locked `FOR UPDATE` by whatever changes its status or lease (a claim, a
///   take-back, a finish, a release), and claimers skip the rows another one holds
///   (`SKIP LOCKED`), so they never take the same run nor wait for each other;
/// - the lines of a run's log are numbered (its last number plus one) only under its row
///   lock, by a statement that starts once the lock is held and so sees every line the
///   previous holder wrote (a serializable transaction would read the log from the snapshot
///   it took before waiting, and number a line twice);
/// - an advisory lock per job of a channel (`lockJob`) serializes what queues a run of the
///   job (a scheduler tick, `enqueue`) and what starts one (a claim).
///
/// Like the SQLite twin, the queue's own operations are not fenced: finishing, releasing and
/// renewing check the lease themselves.
extension PostgresStateStore {
    // MARK: - Queueing

    /// Queues runs for the scheduled jobs that are due at `now`; returns the new runs' ids.
    ///
    /// Several workers tick at once: the due `job_schedule` rows are locked `FOR UPDATE SKIP
    /// LOCKED`, so each due row is handled by one tick, which queues its slot and moves the
    /// row to its next due time before it commits. Another tick skips the row while it is
    /// locked, and afterwards reads its new due time (READ COMMITTED rereads a row changed
    /// since the statement began before locking it), so a slot is queued exactly once, with
    /// no serialization failures to retry. A run is queued under its job's lock, after
    /// checking again that no other process queued one of the job meanwhile.
    public func enqueueDueRuns(now: Date, planner: DueJobPlanner, retry: RetryPolicy) throws -> [Int64] {
        try pool.write(isolation: .readCommitted) { session in
            let due = try session.rows("""
                SELECT channel, job, schedule, time_zone, next_due FROM job_schedule WHERE next_due <= ?
                ORDER BY next_due, channel COLLATE "C", job COLLATE "C"
                FOR UPDATE SKIP LOCKED
                """, [now])
            guard !due.isEmpty else { return [] }
            let channels = Set(try due.map { try $0.get("channel", as: String.self) })
            let gates = try Self.openGates(session, channels: channels)
            let busy = Set(try session.rows("""
                SELECT DISTINCT channel, job FROM run WHERE status IN ('queued', 'running')
                """).map { try $0.get("channel", as: String.self) + "/" + $0.get("job", as: String.self) })
            var queued: [Int64] = []
            var decoded: [String: Schedule] = [:]
            for row in due {
                let channel = try row.get("channel", as: String.self), jobName = try row.get("job", as: String.self)
                let stored = try row.get("schedule", as: String.self)
                // Many channels share a schedule: decode each text once per tick.
                if decoded[stored] == nil { decoded[stored] = ScheduleCoding.decode(stored) }
                guard let job = JobKind(rawValue: jobName), let schedule = decoded[stored] else { continue }
                let scheduled = ScheduledJob(channel: channel, job: job, schedule: schedule,
                                             timeZone: try row.get("time_zone", as: String.self),
                                             nextDue: try row.get("next_due", as: Date.self))
                let key = "\(channel)/\(jobName)"
                let gateOpen = gates.contains(channel)
                switch planner.decide(scheduled, gateOpen: gateOpen, busy: busy.contains(key), now: now) {
                case .enqueue(let slot, let nextDue)?:
                    try Self.lockJob(session, channel: channel, job: jobName)
                    // Queued by another process since `busy` was read: the slot waits, as for a busy job.
                    guard try RunRecord.active(session, channel: channel, job: jobName) == nil else { continue }
                    let run = try RunRecord.queued(RunRequest(channel: channel, job: job, trigger: .schedule),
                                                          slot: slot, now: now, retry: retry).inserted(session)
                    try Self.log(session, runID: run.id!, channel: channel, at: now, level: "info",
                                 message: "queued by the schedule for \(Timestamp.iso(slot, zone: scheduled.timeZone))")
                    queued.append(run.id!)
                    try Self.advance(session, channel: channel, job: jobName, slot: slot, nextDue: nextDue)
                case .skip(let slot, let nextDue)?:
                    try Self.advance(session, channel: channel, job: jobName, slot: slot, nextDue: nextDue)
                case .wait?, nil:
                    continue
                }
            }
            return queued
        }
    }

    /// Queues a manual run (the caller checked `ManualRunPolicy`). Throws when the same job
    /// of the channel is already queued or running: the check and the insert run under the
    /// job's lock, so two processes never both queue it.
    public func enqueue(_ request: RunRequest, now: Date, retry: RetryPolicy) throws -> RunInfo {
        try pool.write(isolation: .readCommitted) { session in
            try Self.lockJob(session, channel: request.channel, job: request.job.rawValue)
            if let existing = try RunRecord.active(session, channel: request.channel, job: request.job.rawValue) {
                throw QueueError.alreadyQueued(channel: request.channel, job: request.job, runID: existing.id ?? 0,
                                               status: RunStatus(rawValue: existing.status) ?? .queued)
            }
            let run = try RunRecord.queued(request, slot: nil, now: now, retry: retry).inserted(session)
            try Self.log(session, runID: run.id!, channel: request.channel, at: now, level: "info",
                         message: RunRecord.queuedMessage(request))
            return run.info
        }
    }

    // MARK: - Leases

    /// Claims the next runnable run of one of `jobs` (or exactly `runID`) under a lease.
    /// Runs whose lease expired are first taken back (retried or failed).
    ///
    /// The candidate is locked `FOR UPDATE SKIP LOCKED`, so concurrent claimers take different
    /// runs without waiting for each other. The same job of a channel never runs twice at once:
    /// the claimer also takes the job's advisory lock without waiting
    /// (`pg_try_advisory_xact_lock`), and then checks in a statement of its own that no run of
    /// the job is running. Two claimers racing on two queued runs of one job are serialized by
    /// that lock: the one that does not get it passes its run over, and the one that gets it
    /// after the other committed sees the other's run running. A row lock would not do: the
    /// two claimers lock different runs, and the job's `job_schedule` row exists only for
    /// scheduled jobs.
    public func claimRun(jobs: Set<JobKind>, runID: Int64?, worker: String, lease: TimeInterval, now: Date,
                         retry: RetryPolicy) throws -> RunInfo? {
        try pool.write(isolation: .readCommitted) { session in
            // Any worker takes back dead workers' runs, even one that can run none of them.
            try Self.reapExpiredLeases(session, now: now, retry: retry)
            guard !jobs.isEmpty else { return nil }
            var passed: [Int64] = []
            while true {
                guard var run = try RunRecord.nextQueued(session, jobs: jobs, runID: runID, passing: passed, now: now)
                else { return nil }
                // Another claimer is starting a run of this job, or one started since the candidate was read.
                guard try Self.tryLockJob(session, channel: run.channel, job: run.job),
                      try !RunRecord.isRunning(session, channel: run.channel, job: run.job) else {
                    passed.append(run.id!)
                    continue
                }
                // A channel that became inactive or suspended runs nothing but dry-run exports.
                if !run.dryRun, try Self.openGates(session, channels: [run.channel]).isEmpty {
                    run.status = RunStatus.canceled.rawValue
                    run.finishedAt = now
                    run.error = "canceled: channel \(run.channel) is inactive or suspended"
                    run = try run.updated(session)
                    try Self.log(session, runID: run.id!, channel: run.channel, at: now, level: "warning",
                                 message: run.error!)
                    continue
                }
                run.status = RunStatus.running.rawValue
                run.leaseOwner = worker
                run.leaseExpiresAt = now.addingTimeInterval(lease)
                run.startedAt = run.startedAt ?? now
                run = try run.updated(session)
                try Self.log(session, runID: run.id!, channel: run.channel, at: now, level: "info",
                             message: "attempt \(run.attempt) of \(run.maxAttempts) started by \(worker)")
                return run.info
            }
        }
    }

    /// Extends the lease of a running run (one statement: it waits for a transaction that
    /// holds the run, then applies only if the run is still running under `worker`).
    public func renewLease(runID: Int64, worker: String, until: Date) throws -> LeaseState {
        try pool.write(isolation: .readCommitted) { session in
            guard let cancel = try session.value("""
                UPDATE run SET lease_expires_at = ? WHERE id = ? AND status = 'running' AND lease_owner = ?
                RETURNING cancel_requested
                """, [until, runID, worker], as: Bool.self) else { return .lost }
            return cancel ? .cancelRequested : .held
        }
    }

    /// Records the outcome; a failure with attempts left is queued again after a backoff.
    /// Returns the run as it is afterwards.
    public func finishRun(runID: Int64, worker: String, outcome: RunOutcome, now: Date,
                          retry: RetryPolicy) throws -> RunInfo? {
        try pool.write(isolation: .readCommitted) { session in
            guard var run = try RunRecord.held(session, runID: runID, worker: worker) else { return nil }
            run.leaseOwner = nil
            run.leaseExpiresAt = nil
            switch outcome {
            case .succeeded(let counts, let report):
                run.status = RunStatus.succeeded.rawValue
                run.finishedAt = now
                run.counts = RunRecord.countsJSON(counts)
                run.report = report
                run.error = nil
                try Self.log(session, runID: runID, channel: run.channel, at: now, level: "info", message: "succeeded")
            case .canceled(let reason):
                run.status = RunStatus.canceled.rawValue
                run.finishedAt = now
                run.error = "canceled: \(reason)"
                try Self.log(session, runID: runID, channel: run.channel, at: now, level: "warning",
                             message: run.error!)
            case .failed(let error, let counts, let report, let retryable, let category):
                run.counts = RunRecord.countsJSON(counts)
                run.report = report
                try Self.fail(session, &run, error: error, now: now, retry: retry, retryable: retryable,
                              category: category)
            case .held(let counts, let report, let reason):
                run.counts = RunRecord.countsJSON(counts)
                run.report = report
                let held = run.hold(reason: reason, now: now)
                try Self.log(session, runID: runID, channel: run.channel, at: now, level: held.log.level,
                             message: held.log.message)
                try session.execute("INSERT INTO event (channel, kind, message, run_id, at) VALUES (?, ?, ?, ?, ?)",
                                    [run.channel, held.alert.kind, held.alert.message, runID, now])
            }
            return try run.updated(session).info
        }
    }

    /// Gives a running run back to the queue (a worker shutting down).
    public func releaseRun(runID: Int64, worker: String, now: Date) throws {
        try pool.write(isolation: .readCommitted) { session in
            guard var run = try RunRecord.held(session, runID: runID, worker: worker) else { return }
            run.status = RunStatus.queued.rawValue
            run.leaseOwner = nil
            run.leaseExpiresAt = nil
            run.notBefore = now
            _ = try run.updated(session)
            try Self.log(session, runID: runID, channel: run.channel, at: now, level: "warning",
                         message: "released by \(worker) while shutting down; it will run again")
        }
    }

    /// Appends log lines to a run. The run's row is locked `FOR NO KEY UPDATE` (as an update
    /// would), so its lines are numbered by one writer at a time: this worker's logger, or the
    /// queue writing the run's own lines.
    public func appendLogs(runID: Int64, lines: [RunLogLine]) throws {
        guard !lines.isEmpty else { return }
        try pool.write(isolation: .readCommitted) { session in
            guard let channel = try session.value("SELECT channel FROM run WHERE id = ? FOR NO KEY UPDATE",
                                                  [runID], as: String.self) else { return }
            var seq = try session.value("SELECT COALESCE(MAX(seq), 0)::bigint FROM run_log WHERE run_id = ?", [runID],
                                        as: Int64.self) ?? 0
            for start in stride(from: 0, to: lines.count, by: 500) {
                let chunk = lines[start..<min(start + 500, lines.count)]
                var binds: [(any PGBind)?] = []
                for line in chunk {
                    seq += 1
                    binds += [runID, channel, seq, line.at, line.level, line.message]
                }
                let values = Array(repeating: "(?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
                try session.execute("INSERT INTO run_log (run_id, channel, seq, at, level, message) VALUES " + values,
                                    binds)
            }
        }
    }

    // MARK: - Cancellation

    /// Cancels the queued runs of these channels and asks their running runs to stop;
    /// returns the runs still running. Their queued and running runs are locked first, so a
    /// run a worker is claiming or releasing meanwhile is canceled or flagged as it ends up.
    public func cancelRuns(ofChannels channels: [String], now: Date) throws -> [RunInfo] {
        guard !channels.isEmpty else { return [] }
        return try pool.write(isolation: .readCommitted) { session in
            let names: [(any PGBind)?] = channels.map { $0 }
            let list = RunRecord.placeholders(channels.count)
            try session.execute("""
                SELECT id FROM run WHERE status IN ('queued', 'running') AND channel IN (\(list))
                ORDER BY id FOR NO KEY UPDATE
                """, names)
            try session.execute("""
                UPDATE run SET status = 'canceled', finished_at = ?,
                  error = 'canceled: channel ' || channel || ' is being deleted'
                WHERE status = 'queued' AND channel IN (\(list))
                """, [now as (any PGBind)?] + names)
            return try session.rows("""
                UPDATE run SET cancel_requested = true WHERE status = 'running' AND channel IN (\(list)) RETURNING *
                """, names).map { try RunRecord($0).info }.sorted { $0.id < $1.id }
        }
    }

    /// Runs that are running and hold a live lease, for these channels.
    public func liveRuns(ofChannels channels: [String], now: Date) throws -> [RunInfo] {
        guard !channels.isEmpty else { return [] }
        var binds: [(any PGBind)?] = [now]
        for channel in channels { binds.append(channel) }
        return try pool.read { session in
            try session.rows("""
                SELECT * FROM run WHERE status = 'running' AND lease_expires_at >= ?
                  AND channel IN (\(RunRecord.placeholders(channels.count)))
                ORDER BY id
                """, binds).map { try RunRecord($0).info }
        }
    }

    // MARK: - Reading and retention

    /// Lists runs, newest first.
    public func runs(_ filter: RunFilter) throws -> [RunInfo] {
        try pool.read { session in
            var conditions: [String] = []
            var binds: [(any PGBind)?] = []
            if let channel = filter.channel {
                conditions.append("channel = ?")
                binds.append(channel)
            }
            if let job = filter.job {
                conditions.append("job = ?")
                binds.append(job.rawValue)
            }
            if let status = filter.status {
                conditions.append("status = ?")
                binds.append(status.rawValue)
            }
            binds.append(Self.limit(filter.limit))
            binds.append(max(0, filter.offset))
            let condition = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try session.rows("SELECT * FROM run \(condition) ORDER BY id DESC LIMIT ? OFFSET ?", binds)
                .map { try RunRecord($0).info }
        }
    }

    /// One run and its log lines.
    public func run(id: Int64) throws -> (RunInfo, [RunLogLine])? {
        try pool.read { session in
            guard let row = try session.row("SELECT * FROM run WHERE id = ?", [id]) else { return nil }
            let lines = try session.rows("SELECT seq, at, level, message FROM run_log WHERE run_id = ? ORDER BY seq",
                                         [id]).map {
                try RunLogLine(seq: $0.get("seq", as: Int.self), at: $0.get("at", as: Date.self),
                               level: $0.get("level", as: String.self), message: $0.get("message", as: String.self))
            }
            return (try RunRecord(row).info, lines)
        }
    }

    /// Deletes finished runs (and their logs) older than each channel's `logs.retainDays`.
    public func purgeExpiredRuns(now: Date, defaultRetainDays: Int) throws -> Int {
        try pool.write(isolation: .readCommitted) { session in
            let channels = try session.rows("""
                SELECT c.channel, r.spec FROM (SELECT DISTINCT channel FROM run) c
                LEFT JOIN resource r ON r.kind = 'Channel' AND r.name = c.channel
                """)
            var removed = 0
            for row in channels {
                let spec = try row.get("spec", as: String?.self).flatMap { try? CanonicalJSON.parse($0) }
                let days = spec?.value(at: "logs.retainDays")?.intValue ?? defaultRetainDays
                let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
                let channel = try row.get("channel", as: String.self)
                removed += try session.execute("""
                    DELETE FROM run
                    WHERE channel = ? AND status IN ('succeeded', 'failed', 'canceled', 'held') AND finished_at < ?
                    """, [channel, cutoff])
            }
            return removed
        }
    }

    /// Alert events, newest first.
    public func events(channel: String?, limit: Int) throws -> [AlertEvent] {
        try pool.read { session in
            var binds: [(any PGBind)?] = []
            if let channel { binds.append(channel) }
            binds.append(Self.limit(limit))
            let condition = channel == nil ? "" : "WHERE channel = ?"
            return try session.rows("SELECT * FROM event \(condition) ORDER BY id DESC LIMIT ?", binds)
                .map(PGOrderRows.alert)
        }
    }

    // MARK: - Helpers

    /// Takes the advisory lock of one job of one channel until the transaction ends, waiting
    /// for the transaction that holds it. What queues a run of the job (a tick, `enqueue`) and
    /// what starts one (a claim, with `tryLockJob`) take it, then look at the job's runs in a
    /// statement of their own, which sees what the previous holder committed. The key is a
    /// 64-bit hash of `channel/job` (job names have no `/`), in the single-key space of
    /// advisory locks; two jobs that share a key only wait for each other.
    static func lockJob(_ session: PGSession, channel: String, job: String) throws {
        try session.execute("SELECT pg_advisory_xact_lock(hashtextextended(? || '/' || ?, 0))", [channel, job])
    }

    /// Takes the advisory lock of one job of one channel (see `lockJob`) if no other
    /// transaction holds it; returns whether it did.
    static func tryLockJob(_ session: PGSession, channel: String, job: String) throws -> Bool {
        try session.value("SELECT pg_try_advisory_xact_lock(hashtextextended(? || '/' || ?, 0))", [channel, job],
                          as: Bool.self) == true
    }

    /// Channels among `channels` that are active and not suspended.
    static func openGates(_ session: PGSession, channels: Set<String>) throws -> Set<String> {
        guard !channels.isEmpty else { return [] }
        let names: [(any PGBind)?] = channels.map { $0 }
        let rows = try session.rows("""
            SELECT r.name, r.spec, s.channel AS suspended FROM resource r
            LEFT JOIN suspension s ON s.channel = r.name
            WHERE r.kind = 'Channel' AND r.name IN (\(RunRecord.placeholders(channels.count)))
            """, names)
        var open: Set<String> = []
        for row in rows where row.isNull("suspended") {
            if let spec = try? CanonicalJSON.parse(row.get("spec", as: String.self)), ChannelJobs.isActive(spec) {
                open.insert(try row.get("name", as: String.self))
            }
        }
        return open
    }

    /// Takes back runs whose worker stopped renewing its lease. A run another transaction
    /// holds (another claimer taking it back, its worker renewing the lease or writing under
    /// its fence) is skipped, and left to a later claim if its lease is still expired then.
    static func reapExpiredLeases(_ session: PGSession, now: Date, retry: RetryPolicy) throws {
        let expired = try session.rows("""
            SELECT * FROM run WHERE status = 'running' AND lease_expires_at < ? ORDER BY id FOR UPDATE SKIP LOCKED
            """, [now])
        for row in expired {
            var run = try RunRecord(row)
            let owner = run.leaseOwner ?? "unknown worker"
            let expiredAt = run.leaseExpiresAt.map { Timestamp.iso($0, zone: "UTC") } ?? "?"
            run.leaseOwner = nil
            run.leaseExpiresAt = nil
            if run.cancelRequested {
                run.status = RunStatus.canceled.rawValue
                run.finishedAt = now
                run.error = "canceled: its worker \(owner) stopped"
                try log(session, runID: run.id!, channel: run.channel, at: now, level: "warning", message: run.error!)
            } else {
                // Claimable again at once: the attempt did not fail, its worker went away.
                try fail(session, &run,
                         error: "worker \(owner) stopped during attempt \(run.attempt) (lease expired at \(expiredAt))",
                         now: now, retry: retry, immediately: true)
            }
            _ = try run.updated(session)
        }
    }

    /// Records a failed attempt: queued again after a backoff, or failed for good with an alert.
    static func fail(_ session: PGSession, _ run: inout RunRecord, error: String, now: Date, retry: RetryPolicy,
                     immediately: Bool = false, retryable: Bool = true, category: String? = nil) throws {
        let outcome = run.fail(error: error, now: now, retry: retry, immediately: immediately, retryable: retryable,
                               category: category)
        try log(session, runID: run.id!, channel: run.channel, at: now, level: outcome.log.level,
                message: outcome.log.message)
        if let alert = outcome.alert {
            try session.execute("INSERT INTO event (channel, kind, message, run_id, at) VALUES (?, ?, ?, ?, ?)",
                                [run.channel, alert.kind, alert.message, run.id, now])
        }
    }

    /// Moves a job's schedule past the slot it handled.
    static func advance(_ session: PGSession, channel: String, job: String, slot: Date, nextDue: Date) throws {
        try session.execute("UPDATE job_schedule SET last_slot = ?, next_due = ? WHERE channel = ? AND job = ?",
                            [slot, nextDue, channel, job])
    }

    /// Appends one line to a run's log, numbered after its last line. The caller holds the
    /// run's row lock (or inserted the run in this transaction), see the type's summary.
    static func log(_ session: PGSession, runID: Int64, channel: String, at: Date, level: String,
                    message: String) throws {
        try session.execute("""
            INSERT INTO run_log (run_id, channel, seq, at, level, message)
            VALUES ($1, $2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM run_log WHERE run_id = $1), $3, $4, $5)
            """, [runID, channel, at, level, message])
    }

    /// A LIMIT bind: SQLite reads a negative limit as none, PostgreSQL refuses it and reads
    /// NULL as none.
    static func limit(_ count: Int) -> Int? {
        count < 0 ? nil : count
    }
}
