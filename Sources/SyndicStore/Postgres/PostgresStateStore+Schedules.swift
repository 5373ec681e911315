import Foundation
import SyndicCore

/// Job schedules: written by apply, advanced by scheduler ticks (the ticks are in
/// `PostgresStateStore+RunQueue.swift`).
extension PostgresStateStore {
    /// Makes the `job_schedule` rows of each channel in `wanted` match its entries. An
    /// unchanged schedule keeps its next due time; a new or changed one is first due at its next
    /// fire time after `now`, and so is every schedule of a channel that starts firing again
    /// (in `restart`: activated), so that slots missed while it fired nothing are not replayed.
    /// The current rows are read in one query and the new ones written in batches.
    static func syncSchedules(_ session: PGSession, _ wanted: [String: [JobKind: JobScheduleEntry]], now: Date,
                              restart: Set<String>) throws {
        guard !wanted.isEmpty else { return }
        var current: [String: [String: (schedule: String, zone: String)]] = [:]
        for row in try session.rows("SELECT channel, job, schedule, time_zone FROM job_schedule") {
            let channel = try row.get("channel", as: String.self)
            guard wanted[channel] != nil else { continue }
            current[channel, default: [:]][try row.get("job", as: String.self)] =
                try (schedule: row.get("schedule", as: String.self), zone: row.get("time_zone", as: String.self))
        }
        let planner = DueJobPlanner()
        var writes: [[(any PGBind)?]] = []
        for channel in wanted.keys.sorted() {
            let entries = wanted[channel]!
            let existing = current[channel] ?? [:]
            for job in existing.keys.sorted() where JobKind(rawValue: job).map({ entries[$0] == nil }) ?? true {
                try session.execute("DELETE FROM job_schedule WHERE channel = ? AND job = ?", [channel, job])
            }
            for (job, entry) in entries.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let encoded = ScheduleCoding.encode(entry.schedule)
                if !restart.contains(channel), let row = existing[job.rawValue], row.schedule == encoded,
                   row.zone == entry.timeZone {
                    continue
                }
                writes.append([channel, job.rawValue, encoded, entry.timeZone,
                               planner.firstDue(entry.schedule, timeZone: entry.timeZone, now: now)])
            }
        }
        try insertRows(session, "INSERT INTO job_schedule (channel, job, schedule, time_zone, next_due, last_slot)",
                       writes, values: "(?, ?, ?, ?, ?, NULL)", suffix: """
            ON CONFLICT (channel, job) DO UPDATE SET schedule = excluded.schedule, time_zone = excluded.time_zone,
              next_due = excluded.next_due, last_slot = NULL
            """)
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
