import Foundation
import SyndicCore

/// Job schedules: written by apply, advanced by scheduler ticks (the ticks are in
/// `PostgresStateStore+RunQueue.swift`).
extension PostgresStateStore {
    /// Makes a channel's `job_schedule` rows match `wanted`. An unchanged schedule keeps its
    /// next due time; a new or changed one is first due at its next fire time after `now`,
    /// and so is every schedule of a channel that starts firing again (`restart`: activated),
    /// so that slots missed while it fired nothing are not replayed.
    static func syncSchedules(_ session: PGSession, channel: String, wanted: [JobKind: JobScheduleEntry], now: Date,
                              restart: Bool) throws {
        var current: [String: (schedule: String, zone: String)] = [:]
        for row in try session.rows("SELECT job, schedule, time_zone FROM job_schedule WHERE channel = ?", [channel]) {
            let job = try row.get("job", as: String.self)
            current[job] = try (schedule: row.get("schedule", as: String.self),
                                zone: row.get("time_zone", as: String.self))
        }
        for job in current.keys where JobKind(rawValue: job).map({ wanted[$0] == nil }) ?? true {
            try session.execute("DELETE FROM job_schedule WHERE channel = ? AND job = ?", [channel, job])
        }
        let planner = DueJobPlanner()
        for (job, entry) in wanted {
            let encoded = ScheduleCoding.encode(entry.schedule)
            if !restart, let row = current[job.rawValue], row.schedule == encoded, row.zone == entry.timeZone {
                continue
            }
            try session.execute("""
                INSERT INTO job_schedule (channel, job, schedule, time_zone, next_due, last_slot)
                VALUES (?, ?, ?, ?, ?, NULL)
                ON CONFLICT (channel, job) DO UPDATE SET schedule = excluded.schedule, time_zone = excluded.time_zone,
                  next_due = excluded.next_due, last_slot = NULL
                """, [channel, job.rawValue, encoded, entry.timeZone,
                      planner.firstDue(entry.schedule, timeZone: entry.timeZone, now: now)])
        }
    }

    /// Moves every schedule of a channel to its first fire time after `now` (on resume).
    static func restartSchedules(_ session: PGSession, channel: String, now: Date) throws {
        let planner = DueJobPlanner()
        for row in try session.rows("SELECT job, schedule, time_zone FROM job_schedule WHERE channel = ?", [channel]) {
            guard let schedule = try ScheduleCoding.decode(row.get("schedule", as: String.self)) else { continue }
            let job = try row.get("job", as: String.self)
            let zone = try row.get("time_zone", as: String.self)
            try session.execute("UPDATE job_schedule SET next_due = ? WHERE channel = ? AND job = ?",
                                [planner.firstDue(schedule, timeZone: zone, now: now), channel, job])
        }
    }

    /// The stored schedules of a channel (for status and tests).
    public func jobSchedules(ofChannel channel: String) throws -> [ScheduledJob] {
        try read { session in
            try session.rows("""
                SELECT job, schedule, time_zone, next_due FROM job_schedule WHERE channel = ? ORDER BY job COLLATE "C"
                """, [channel]).compactMap { row -> ScheduledJob? in
                guard let job = try JobKind(rawValue: row.get("job", as: String.self)),
                      let schedule = try ScheduleCoding.decode(row.get("schedule", as: String.self)) else {
                    return nil
                }
                return try ScheduledJob(channel: channel, job: job, schedule: schedule,
                                        timeZone: row.get("time_zone"), nextDue: row.get("next_due"))
            }
        }
    }
}
