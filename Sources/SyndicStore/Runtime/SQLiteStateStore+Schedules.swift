import Foundation
import GRDB
import SyndicCore

/// Job schedules: written by apply, advanced by scheduler ticks.
extension SQLiteStateStore {
    /// Makes a channel's `job_schedule` rows match `wanted`. An unchanged schedule keeps its
    /// next due time; a new or changed one is first due at its next fire time after `now`.
    static func syncSchedules(_ db: Database, channel: String, wanted: [JobKind: JobScheduleEntry], now: Date) throws {
        let existing = try Row.fetchAll(db, sql: "SELECT job, schedule, time_zone FROM job_schedule WHERE channel = ?",
                                        arguments: [channel])
        var current: [String: (schedule: String, zone: String)] = [:]
        for row in existing { current[row["job"]] = (row["schedule"], row["time_zone"]) }
        for job in current.keys where JobKind(rawValue: job).map({ wanted[$0] == nil }) ?? true {
            try db.execute(sql: "DELETE FROM job_schedule WHERE channel = ? AND job = ?", arguments: [channel, job])
        }
        let planner = DueJobPlanner()
        for (job, entry) in wanted {
            let encoded = ScheduleCoding.encode(entry.schedule)
            if let row = current[job.rawValue], row.schedule == encoded, row.zone == entry.timeZone { continue }
            try db.execute(sql: """
                INSERT INTO job_schedule (channel, job, schedule, time_zone, next_due, last_slot) VALUES (?, ?, ?, ?, ?, NULL)
                ON CONFLICT (channel, job) DO UPDATE SET schedule = excluded.schedule, time_zone = excluded.time_zone,
                  next_due = excluded.next_due, last_slot = NULL
                """, arguments: [channel, job.rawValue, encoded, entry.timeZone,
                                 planner.firstDue(entry.schedule, timeZone: entry.timeZone, now: now)])
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
