import Foundation
import GRDB
import SyndicCore

/// Job schedules: written by apply, advanced by scheduler ticks.
extension SQLiteStateStore {
    /// Makes a channel's `job_schedule` rows match `wanted`. An unchanged schedule keeps its
    /// next due time; a new or changed one is first due at its next fire time after `now`,
    /// and so is every schedule of a channel that starts firing again (`restart`: activated),
    /// so that slots missed while it fired nothing are not replayed.
    static func syncSchedules(_ db: Database, channel: String, wanted: [JobKind: JobScheduleEntry], now: Date,
                              restart: Bool) throws {
        let existing = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT job, schedule, time_zone FROM job_schedule WHERE channel = ?"),
            arguments: [channel])
        var current: [String: (schedule: String, zone: String)] = [:]
        for row in existing { current[row["job"]] = (row["schedule"], row["time_zone"]) }
        let remove = try db.cachedStatement(sql: "DELETE FROM job_schedule WHERE channel = ? AND job = ?")
        for job in current.keys where JobKind(rawValue: job).map({ wanted[$0] == nil }) ?? true {
            try remove.execute(arguments: [channel, job])
        }
        let write = try db.cachedStatement(sql: """
            INSERT INTO job_schedule (channel, job, schedule, time_zone, next_due, last_slot) VALUES (?, ?, ?, ?, ?, NULL)
            ON CONFLICT (channel, job) DO UPDATE SET schedule = excluded.schedule, time_zone = excluded.time_zone,
              next_due = excluded.next_due, last_slot = NULL
            """)
        let planner = DueJobPlanner()
        for (job, entry) in wanted {
            let encoded = ScheduleCoding.encode(entry.schedule)
            if !restart, let row = current[job.rawValue], row.schedule == encoded, row.zone == entry.timeZone { continue }
            try write.execute(arguments: [channel, job.rawValue, encoded, entry.timeZone,
                                          planner.firstDue(entry.schedule, timeZone: entry.timeZone, now: now)])
        }
    }

    /// Moves every schedule of a channel to its first fire time after `now` (on resume).
    static func restartSchedules(_ db: Database, channel: String, now: Date) throws {
        let planner = DueJobPlanner()
        for row in try Row.fetchAll(db, sql: "SELECT job, schedule, time_zone FROM job_schedule WHERE channel = ?",
                                    arguments: [channel]) {
            guard let schedule = ScheduleCoding.decode(row["schedule"]) else { continue }
            try db.execute(sql: "UPDATE job_schedule SET next_due = ? WHERE channel = ? AND job = ?",
                           arguments: [planner.firstDue(schedule, timeZone: row["time_zone"], now: now), channel,
                                       row["job"] as String])
        }
    }

    /// The stored schedules of a channel (for status and tests).
    public func jobSchedules(ofChannel channel: String) throws -> [ScheduledJob] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM job_schedule WHERE channel = ? ORDER BY job", arguments: [channel])
                .compactMap { row in
                    guard let job = JobKind(rawValue: row["job"]), let schedule = ScheduleCoding.decode(row["schedule"]) else {
                        return nil
                    }
                    return ScheduledJob(channel: channel, job: job, schedule: schedule, timeZone: row["time_zone"],
                                        nextDue: row["next_due"])
                }
        }
    }
}
