import Foundation
import GRDB
import SyndicCore
@testable import SyndicStore

/// Channels, schedules and runs for the runtime tests of the store. Time never comes from the
/// clock: every call takes the instant it happens at.
enum RuntimeFixtures {
    /// An instant from an ISO-8601 string with its offset.
    static func at(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    /// Saturday 2026-03-28 12:00 UTC; Paris springs forward the next night.
    static let t0 = at("2026-03-28T12:00:00Z")

    static let planner = DueJobPlanner()

    /// A mirakl channel spec that configures every job; `status: nil` leaves the status out.
    static func spec(status: String? = "active", timezone: String? = nil, retainDays: Int? = nil,
                     minimal: Bool? = nil) -> String {
        var members: [String: Value] = [
            "type": .string("mirakl"),
            "source": .object(["connection": .string("pim")]),
            "products": .object(["mapping": .object(["title": .string("name~fr_FR")])]),
            "orders": .object(["retrieval": .bool(true), "confirmations": .bool(true),
                               "export": .object(["storage": .object(["connection": .string("ftp")])]),
                               "shipmentImport": .object(["storage": .object(["connection": .string("ftp")])])]),
        ]
        if let status { members["status"] = .string(status) }
        if let timezone { members["timezone"] = .string(timezone) }
        var logs: [String: Value] = [:]
        if let retainDays { logs["retainDays"] = .int(retainDays) }
        if let minimal { logs["minimal"] = .bool(minimal) }
        if !logs.isEmpty { members["logs"] = .object(logs) }
        return CanonicalJSON.string(.object(members))
    }

    static func channel(_ name: String, status: String? = "active", timezone: String? = nil, retainDays: Int? = nil,
                        minimal: Bool? = nil) -> AppliedResource {
        AppliedResource(kind: .channel, name: name, type: "mirakl",
                        specJSON: spec(status: status, timezone: timezone, retainDays: retainDays, minimal: minimal),
                        labelsJSON: "{}", sourceFile: "channels/\(name).yaml")
    }

    static func every(_ minutes: Int, _ zone: String = "UTC") -> JobScheduleEntry {
        JobScheduleEntry(schedule: .every(minutes: minutes), timeZone: zone)
    }

    static func daily(_ hour: Int, _ minute: Int, _ zone: String = "UTC") -> JobScheduleEntry {
        JobScheduleEntry(schedule: .daily(hour: hour, minute: minute), timeZone: zone)
    }

    /// Applies `channels` (upserted with their full job schedules, none when absent from
    /// `schedules`) and deletes `deleting`, as one apply at `date`; returns the new serial.
    @discardableResult
    static func apply(_ store: any StateStore, _ channels: [AppliedResource],
                      schedules: [String: [JobKind: JobScheduleEntry]] = [:], deleting: [String] = [],
                      at date: Date) throws -> Int {
        let changes = channels.map { HistoryChange(address: $0.address, action: "update", field: nil, before: nil, after: nil) }
            + deleting.map { HistoryChange(address: Address.of(.channel, $0), action: "delete", field: nil, before: nil, after: nil) }
        var wanted: [String: [JobKind: JobScheduleEntry]] = [:]
        for channel in channels { wanted[channel.name] = schedules[channel.name] ?? [:] }
        return try store.commit(ApplyBatch(
            expectedSerial: try store.currentSerial(), upserts: channels,
            deletions: deleting.map { (kind: ResourceKind.channel, name: $0) }, fingerprints: [:],
            jobSchedules: wanted, changes: changes, cache: [], user: "test", gitCommit: nil,
            configDigest: "digest", at: date))
    }

    /// Queues a manual run at `date`.
    @discardableResult
    static func enqueue(_ store: any StateStore, _ channel: String, _ job: JobKind, dryRun: Bool = false,
                        full: Bool = false, at date: Date, retry: RetryPolicy = .standard) throws -> RunInfo {
        try store.enqueue(RunRequest(channel: channel, job: job, trigger: .manual, dryRun: dryRun, full: full),
                          now: date, retry: retry)
    }

    /// Queues a manual run and claims it at `date`.
    static func claimed(_ store: any StateStore, _ channel: String, _ job: JobKind, dryRun: Bool = false,
                        worker: String = "w1", lease: TimeInterval = 60, at date: Date,
                        retry: RetryPolicy = .standard) throws -> RunInfo {
        let queued = try enqueue(store, channel, job, dryRun: dryRun, at: date, retry: retry)
        guard let run = try store.claimRun(jobs: [job], runID: queued.id, worker: worker, lease: lease, now: date,
                                           retry: retry) else {
            throw FixtureError("run \(queued.id) could not be claimed")
        }
        return run
    }

    /// A run queued, claimed and finished at `date`.
    @discardableResult
    static func finished(_ store: any StateStore, _ channel: String, _ job: JobKind, at date: Date,
                         outcome: RunOutcome = .succeeded(counts: [:], report: "done")) throws -> RunInfo {
        let run = try claimed(store, channel, job, at: date, retry: RetryPolicy(maxAttempts: 1))
        guard let finished = try store.finishRun(runID: run.id, worker: "w1", outcome: outcome, now: date,
                                                 retry: RetryPolicy(maxAttempts: 1)) else {
            throw FixtureError("run \(run.id) could not be finished")
        }
        return finished
    }

    /// Inserts a queued run row directly, as a second process racing `enqueue` could.
    @discardableResult
    static func insertQueued(_ store: any StateStore, _ channel: String, _ job: JobKind, full: Bool = false,
                             at date: Date) throws -> Int64 {
        if let store = store as? SQLiteStateStore {
            return try store.pool.write { db in
                var run = RunRecord.queued(RunRequest(channel: channel, job: job, trigger: .manual, full: full),
                                                  slot: nil, now: date, retry: .standard)
                try run.insert(db)
                return run.id!
            }
        }
        let id = try RawState.postgresStore(store).pool.write { session in
            try session.value("""
                INSERT INTO run (channel, job, trigger, dry_run, "full", status, attempt, max_attempts, not_before,
                                 queued_at)
                VALUES (?, ?, 'manual', false, ?, 'queued', 1, ?, ?, ?) RETURNING id
                """, [channel, job.rawValue, full, RetryPolicy.standard.maxAttempts, date, date], as: Int64.self)
        }
        guard let id else { throw FixtureError("no run inserted") }
        return id
    }

    /// The stored schedules of a channel, listed by job: each store has the method, the
    /// `StateStore` protocol does not.
    static func jobSchedules(_ store: any StateStore, ofChannel channel: String) throws -> [ScheduledJob] {
        if let store = store as? SQLiteStateStore { return try store.jobSchedules(ofChannel: channel) }
        return try RawState.postgresStore(store).jobSchedules(ofChannel: channel)
    }

    /// The log messages of a run, in order.
    static func messages(_ store: any StateStore, _ id: Int64) throws -> [String] {
        try store.run(id: id)?.1.map(\.message) ?? []
    }

    /// Rows of `table` that belong to `channel`.
    static func count(_ store: any StateStore, _ table: ChannelOwnedTable, _ channel: String) throws -> Int {
        let condition = table.condition.map { " AND \($0)" } ?? ""
        return try RawState.count(store, "SELECT COUNT(*) FROM \(table.table) WHERE \(table.channelColumn) = ?"
                                      + condition, [channel])
    }

    /// Log rows of one run.
    static func logRows(_ store: any StateStore, run id: Int64) throws -> Int {
        try RawState.count(store, "SELECT COUNT(*) FROM run_log WHERE run_id = ?", [id])
    }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
