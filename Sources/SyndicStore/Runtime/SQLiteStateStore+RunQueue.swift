import Foundation
import GRDB
import SyndicCore

/// The job queue on SQLite: every operation is one write transaction, which SQLite
/// serializes across processes, so a run is claimed by exactly one worker.
extension SQLiteStateStore: RunQueue {
    // MARK: - Queueing

    public func enqueueDueRuns(now: Date, planner: DueJobPlanner, retry: RetryPolicy) throws -> [Int64] {
        try pool.write { db in
            let due = try Row.fetchAll(db, sql: """
                SELECT channel, job, schedule, time_zone, next_due FROM job_schedule WHERE next_due <= ?
                ORDER BY next_due, channel, job
                """, arguments: [now])
            guard !due.isEmpty else { return [] }
            let gates = try Self.openGates(db, channels: Set(due.map { $0["channel"] as String }))
            var busy = Set(try Row.fetchAll(db, sql: "SELECT DISTINCT channel, job FROM run WHERE status IN ('queued', 'running')")
                .map { "\($0["channel"] as String)/\($0["job"] as String)" })
            var queued: [Int64] = []
            var decoded: [String: Schedule] = [:]
            for row in due {
                let channel: String = row["channel"], jobName: String = row["job"], stored: String = row["schedule"]
                // Many channels share a schedule: decode each text once per tick.
                if decoded[stored] == nil { decoded[stored] = ScheduleCoding.decode(stored) }
                guard let job = JobKind(rawValue: jobName), let schedule = decoded[stored] else { continue }
                let scheduled = ScheduledJob(channel: channel, job: job, schedule: schedule, timeZone: row["time_zone"],
                                             nextDue: row["next_due"])
                let key = "\(channel)/\(jobName)"
                switch planner.decide(scheduled, gateOpen: gates.contains(channel), busy: busy.contains(key), now: now) {
                case .enqueue(let slot, let nextDue)?:
                    var run = RunRecord.queued(RunRequest(channel: channel, job: job, trigger: .schedule), slot: slot,
                                          now: now, retry: retry)
                    try run.insert(db)
                    try Self.log(db, runID: run.id!, channel: channel, at: now, level: "info",
                                 message: "queued by the schedule for \(Timestamp.iso(slot, zone: scheduled.timeZone))")
                    queued.append(run.id!)
                    busy.insert(key)
                    try Self.advance(db, channel: channel, job: jobName, slot: slot, nextDue: nextDue)
                case .skip(let slot, let nextDue)?:
                    try Self.advance(db, channel: channel, job: jobName, slot: slot, nextDue: nextDue)
                case .wait?, nil:
                    continue
                }
            }
            return queued
        }
    }

    public func enqueue(_ request: RunRequest, now: Date, retry: RetryPolicy) throws -> RunInfo {
        try pool.write { db in
            if let existing = try RunRecord.filter(RunRecord.Columns.channel == request.channel
                                                   && RunRecord.Columns.job == request.job.rawValue
                                                   && [RunStatus.queued.rawValue, RunStatus.running.rawValue]
                                                       .contains(RunRecord.Columns.status)).fetchOne(db) {
                throw QueueError.alreadyQueued(channel: request.channel, job: request.job, runID: existing.id ?? 0,
                                               status: RunStatus(rawValue: existing.status) ?? .queued)
            }
            var run = RunRecord.queued(request, slot: nil, now: now, retry: retry)
            try run.insert(db)
            try Self.log(db, runID: run.id!, channel: request.channel, at: now, level: "info",
                         message: RunRecord.queuedMessage(request))
            return run.info
        }
    }

    // MARK: - Leases

    public func claimRun(jobs: Set<JobKind>, runID: Int64?, worker: String, lease: TimeInterval, now: Date,
                         retry: RetryPolicy) throws -> RunInfo? {
        try pool.write { db in
            // Any worker takes back dead workers' runs, even one that can run none of them.
            try Self.reapExpiredLeases(db, now: now, retry: retry)
            guard !jobs.isEmpty else { return nil }
            let kinds = jobs.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            let only = runID.map { " AND r.id = \($0)" } ?? ""
            while true {
                guard var run = try RunRecord.fetchOne(db, sql: """
                    SELECT r.* FROM run r
                    WHERE r.status = 'queued' AND r.not_before <= ? AND r.job IN (\(kinds))\(only)
                      AND NOT EXISTS (SELECT 1 FROM run b WHERE b.status = 'running'
                                      AND b.channel = r.channel AND b.job = r.job)
                    ORDER BY r.not_before, r.id LIMIT 1
                    """, arguments: [now]) else { return nil }
                // A channel that became inactive or suspended runs nothing but dry-run exports.
                if !run.dryRun, try Self.openGates(db, channels: [run.channel]).isEmpty {
                    run.status = RunStatus.canceled.rawValue
                    run.finishedAt = now
                    run.error = "canceled: channel \(run.channel) is inactive or suspended"
                    try run.update(db)
                    try Self.log(db, runID: run.id!, channel: run.channel, at: now, level: "warning", message: run.error!)
                    continue
                }
                run.status = RunStatus.running.rawValue
                run.leaseOwner = worker
                run.leaseExpiresAt = now.addingTimeInterval(lease)
                run.startedAt = run.startedAt ?? now
                try run.update(db)
                try Self.log(db, runID: run.id!, channel: run.channel, at: now, level: "info",
                             message: "attempt \(run.attempt) of \(run.maxAttempts) started by \(worker)")
                return run.info
            }
        }
    }

    public func renewLease(runID: Int64, worker: String, until: Date) throws -> LeaseState {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE run SET lease_expires_at = ? WHERE id = ? AND status = 'running' AND lease_owner = ?
                """, arguments: [until, runID, worker])
            guard db.changesCount > 0 else { return .lost }
            let cancel = try Bool.fetchOne(db, sql: "SELECT cancel_requested FROM run WHERE id = ?", arguments: [runID])
            return cancel == true ? .cancelRequested : .held
        }
    }

    public func finishRun(runID: Int64, worker: String, outcome: RunOutcome, now: Date,
                          retry: RetryPolicy) throws -> RunInfo? {
        try pool.write { db in
            guard var run = try RunRecord.fetchOne(db, key: runID), run.status == RunStatus.running.rawValue,
                  run.leaseOwner == worker else { return nil }
            run.leaseOwner = nil
            run.leaseExpiresAt = nil
            switch outcome {
            case .succeeded(let counts, let report):
                run.status = RunStatus.succeeded.rawValue
                run.finishedAt = now
                run.counts = RunRecord.countsJSON(counts)
                run.report = report
                run.error = nil
                try Self.log(db, runID: runID, channel: run.channel, at: now, level: "info", message: "succeeded")
            case .canceled(let reason):
                run.status = RunStatus.canceled.rawValue
                run.finishedAt = now
                run.error = "canceled: \(reason)"
                try Self.log(db, runID: runID, channel: run.channel, at: now, level: "warning", message: run.error!)
            case .failed(let error, let counts, let report, let retryable, let category):
                run.counts = RunRecord.countsJSON(counts)
                run.report = report
                try Self.fail(db, &run, error: error, now: now, retry: retry, retryable: retryable, category: category)
            case .held(let counts, let report, let reason):
                run.counts = RunRecord.countsJSON(counts)
                run.report = report
                let held = run.hold(reason: reason, now: now)
                try Self.log(db, runID: runID, channel: run.channel, at: now, level: held.log.level,
                             message: held.log.message)
                try db.execute(sql: "INSERT INTO event (channel, kind, message, run_id, at) VALUES (?, ?, ?, ?, ?)",
                               arguments: [run.channel, held.alert.kind, held.alert.message, runID, now])
            }
            try run.update(db)
            return run.info
        }
    }

    public func releaseRun(runID: Int64, worker: String, now: Date) throws {
        try pool.write { db in
            guard var run = try RunRecord.fetchOne(db, key: runID), run.status == RunStatus.running.rawValue,
                  run.leaseOwner == worker else { return }
            run.status = RunStatus.queued.rawValue
            run.leaseOwner = nil
            run.leaseExpiresAt = nil
            run.notBefore = now
            try run.update(db)
            try Self.log(db, runID: runID, channel: run.channel, at: now, level: "warning",
                         message: "released by \(worker) while shutting down; it will run again")
        }
    }

    public func appendLogs(runID: Int64, lines: [RunLogLine]) throws {
        guard !lines.isEmpty else { return }
        try pool.write { db in
            guard let channel = try String.fetchOne(db, sql: "SELECT channel FROM run WHERE id = ?", arguments: [runID]) else {
                return
            }
            for line in lines {
                try Self.log(db, runID: runID, channel: channel, at: line.at, level: line.level, message: line.message)
            }
        }
    }

    // MARK: - Cancellation

    public func cancelRuns(ofChannels channels: [String], now: Date) throws -> [RunInfo] {
        guard !channels.isEmpty else { return [] }
        return try pool.write { db in
            let queued = try RunRecord.filter(channels.contains(RunRecord.Columns.channel)
                                              && RunRecord.Columns.status == RunStatus.queued.rawValue).fetchAll(db)
            for var run in queued {
                run.status = RunStatus.canceled.rawValue
                run.finishedAt = now
                run.error = "canceled: channel \(run.channel) is being deleted"
                try run.update(db)
            }
            try db.execute(sql: """
                UPDATE run SET cancel_requested = 1 WHERE status = 'running' AND channel IN (\(RunRecord.placeholders(channels.count)))
                """, arguments: StatementArguments(channels))
            return try RunRecord.filter(channels.contains(RunRecord.Columns.channel)
                                        && RunRecord.Columns.status == RunStatus.running.rawValue).fetchAll(db).map(\.info)
        }
    }

    public func liveRuns(ofChannels channels: [String], now: Date) throws -> [RunInfo] {
        guard !channels.isEmpty else { return [] }
        return try pool.read { db in
            try RunRecord.fetchAll(db, sql: """
                SELECT * FROM run WHERE status = 'running' AND lease_expires_at >= ?
                  AND channel IN (\(RunRecord.placeholders(channels.count)))
                """, arguments: StatementArguments([now] + channels.map { $0 as DatabaseValueConvertible }))
                .map(\.info)
        }
    }

    // MARK: - Reading and retention

    public func runs(_ filter: RunFilter) throws -> [RunInfo] {
        try pool.read { db in
            var request = RunRecord.all()
            if let channel = filter.channel { request = request.filter(RunRecord.Columns.channel == channel) }
            if let job = filter.job { request = request.filter(RunRecord.Columns.job == job.rawValue) }
            if let status = filter.status { request = request.filter(RunRecord.Columns.status == status.rawValue) }
            return try request.order(RunRecord.Columns.id.desc).limit(filter.limit, offset: max(0, filter.offset))
                .fetchAll(db).map(\.info)
        }
    }

    public func run(id: Int64) throws -> (RunInfo, [RunLogLine])? {
        try pool.read { db in
            guard let run = try RunRecord.fetchOne(db, key: id) else { return nil }
            let lines = try Row.fetchAll(db, sql: "SELECT seq, at, level, message FROM run_log WHERE run_id = ? ORDER BY seq",
                                         arguments: [id]).map {
                RunLogLine(seq: $0["seq"], at: $0["at"], level: $0["level"], message: $0["message"])
            }
            return (run.info, lines)
        }
    }

    public func purgeExpiredRuns(now: Date, defaultRetainDays: Int) throws -> Int {
        try pool.write { db in
            let channels = try String.fetchAll(db, sql: "SELECT DISTINCT channel FROM run")
            var removed = 0
            for channel in channels {
                let spec = try String.fetchOne(db, sql: "SELECT spec FROM resource WHERE kind = 'Channel' AND name = ?",
                                               arguments: [channel]).flatMap { try? CanonicalJSON.parse($0) }
                let days = spec?.value(at: "logs.retainDays")?.intValue ?? defaultRetainDays
                let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
                try db.execute(sql: """
                    DELETE FROM run WHERE channel = ? AND status IN ('succeeded', 'failed', 'canceled', 'held')
                      AND finished_at < ?
                    """, arguments: [channel, cutoff])
                removed += db.changesCount
            }
            return removed
        }
    }

    public func events(channel: String?, limit: Int) throws -> [AlertEvent] {
        try pool.read { db in
            let condition = channel == nil ? "" : "WHERE channel = ?"
            return try Row.fetchAll(db, sql: "SELECT * FROM event \(condition) ORDER BY id DESC LIMIT \(limit)",
                                    arguments: StatementArguments(channel.map { [$0] } ?? [])).map {
                AlertEvent(id: $0["id"], channel: $0["channel"], kind: $0["kind"], message: $0["message"],
                           runID: $0["run_id"], at: $0["at"])
            }
        }
    }

    // MARK: - Helpers

    /// Channels among `channels` that are active and not suspended.
    static func openGates(_ db: Database, channels: Set<String>) throws -> Set<String> {
        guard !channels.isEmpty else { return [] }
        let names = Array(channels)
        let rows = try Row.fetchAll(db, sql: """
            SELECT r.name, r.spec, s.channel AS suspended FROM resource r
            LEFT JOIN suspension s ON s.channel = r.name
            WHERE r.kind = 'Channel' AND r.name IN (\(RunRecord.placeholders(names.count)))
            """, arguments: StatementArguments(names))
        var open: Set<String> = []
        for row in rows where (row["suspended"] as String?) == nil {
            if let spec = try? CanonicalJSON.parse(row["spec"]), ChannelJobs.isActive(spec) { open.insert(row["name"]) }
        }
        return open
    }

    /// Takes back runs whose worker stopped renewing its lease.
    static func reapExpiredLeases(_ db: Database, now: Date, retry: RetryPolicy) throws {
        let expired = try RunRecord.fetchAll(db, sql: "SELECT * FROM run WHERE status = 'running' AND lease_expires_at < ?",
                                             arguments: [now])
        for var run in expired {
            let owner = run.leaseOwner ?? "unknown worker"
            let expiredAt = run.leaseExpiresAt.map { Timestamp.iso($0, zone: "UTC") } ?? "?"
            run.leaseOwner = nil
            run.leaseExpiresAt = nil
            if run.cancelRequested {
                run.status = RunStatus.canceled.rawValue
                run.finishedAt = now
                run.error = "canceled: its worker \(owner) stopped"
                try log(db, runID: run.id!, channel: run.channel, at: now, level: "warning", message: run.error!)
            } else {
                // Claimable again at once: the attempt did not fail, its worker went away.
                try fail(db, &run, error: "worker \(owner) stopped during attempt \(run.attempt) (lease expired at \(expiredAt))",
                         now: now, retry: retry, immediately: true)
            }
            try run.update(db)
        }
    }

    /// Records a failed attempt: queued again after a backoff, or failed for good with an alert.
    static func fail(_ db: Database, _ run: inout RunRecord, error: String, now: Date, retry: RetryPolicy,
                     immediately: Bool = false, retryable: Bool = true, category: String? = nil) throws {
        let outcome = run.fail(error: error, now: now, retry: retry, immediately: immediately, retryable: retryable,
                               category: category)
        try log(db, runID: run.id!, channel: run.channel, at: now, level: outcome.log.level,
                message: outcome.log.message)
        if let alert = outcome.alert {
            try db.execute(sql: "INSERT INTO event (channel, kind, message, run_id, at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [run.channel, alert.kind, alert.message, run.id, now])
        }
    }

    static func advance(_ db: Database, channel: String, job: String, slot: Date, nextDue: Date) throws {
        try db.execute(sql: "UPDATE job_schedule SET last_slot = ?, next_due = ? WHERE channel = ? AND job = ?",
                       arguments: [slot, nextDue, channel, job])
    }

    static func log(_ db: Database, runID: Int64, channel: String, at: Date, level: String, message: String) throws {
        try db.execute(sql: """
            INSERT INTO run_log (run_id, channel, seq, at, level, message)
            VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM run_log WHERE run_id = ?), ?, ?, ?)
            """, arguments: [runID, channel, runID, at, level, message])
    }
}
