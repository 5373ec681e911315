import Foundation
import Logging
import GRDB
import SyndicCore
import SyndicEngine
@testable import SyndicStore

/// A job driven by a closure: the runtime tests decide what it does (succeed, fail some
/// attempts, sleep, wait for cancellation) and record what it saw.
struct TestJob: Job {
    let kind: JobKind
    let body: @Sendable (JobContext) async throws -> JobResult

    init(_ kind: JobKind = .productExport,
         _ body: @escaping @Sendable (JobContext) async throws -> JobResult = { _ in JobResult(report: "done") }) {
        self.kind = kind
        self.body = body
    }

    func run(_ context: JobContext) async throws -> JobResult {
        try await body(context)
    }

    /// Sleeps in small steps until the job is canceled, then throws `CancellationError`.
    static func waitForCancellation(_ context: JobContext, limit: TimeInterval = 30) async throws -> JobResult {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            try context.checkCancellation()
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        throw TestFailure("never canceled")
    }
}

/// The error test jobs fail with.
struct TestFailure: Error, CustomStringConvertible, Equatable {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What test jobs saw, safe to share between concurrent runs.
final class JobProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var started: [(id: Int64, attempt: Int, channel: String, job: JobKind)] = []
    private var active: [String: Int] = [:]
    private var activeTotal = 0
    private var peak = 0
    private var peakByKey: [String: Int] = [:]
    private var canceled: [Int64] = []

    /// Marks a run started; returns how many runs of the probe are running.
    @discardableResult
    func begin(_ context: JobContext) -> Int {
        lock.withLock {
            let run = context.run
            started.append((run.id, run.attempt, run.channel, run.job))
            let key = "\(run.channel)/\(run.job.rawValue)"
            active[key, default: 0] += 1
            activeTotal += 1
            peak = max(peak, activeTotal)
            peakByKey[key] = max(peakByKey[key] ?? 0, active[key]!)
            return activeTotal
        }
    }

    func end(_ context: JobContext) {
        lock.withLock {
            active["\(context.run.channel)/\(context.run.job.rawValue)", default: 1] -= 1
            activeTotal -= 1
        }
    }

    func sawCancellation(_ context: JobContext) { lock.withLock { canceled.append(context.run.id) } }

    var runIDs: [Int64] { lock.withLock { started.map(\.id) } }
    var attempts: [Int] { lock.withLock { started.map(\.attempt) } }
    var count: Int { lock.withLock { started.count } }
    var maxConcurrent: Int { lock.withLock { peak } }
    /// The most runs of one job of one channel seen running at once.
    var maxConcurrentPerJob: Int { lock.withLock { peakByKey.values.max() ?? 0 } }
    var canceledRuns: [Int64] { lock.withLock { canceled } }

    /// A job that records its runs, sleeps `seconds`, and fails the attempts in `failing`.
    func job(_ kind: JobKind = .productExport, sleep seconds: TimeInterval = 0, failing: Set<Int> = [],
             report: String = "done") -> TestJob {
        TestJob(kind) { [self] context in
            begin(context)
            defer { end(context) }
            if seconds > 0 {
                do { try await Task.sleep(nanoseconds: UInt64(seconds * 1e9)) } catch {
                    sawCancellation(context)
                    throw error
                }
            }
            if failing.contains(context.run.attempt) { throw TestFailure("attempt \(context.run.attempt) failed") }
            return JobResult(counts: ["items": 1], report: report)
        }
    }

    /// A job that records its run and waits until it is canceled.
    func waitingJob(_ kind: JobKind = .productExport) -> TestJob {
        TestJob(kind) { [self] context in
            begin(context)
            defer { end(context) }
            do { return try await TestJob.waitForCancellation(context) } catch {
                sawCancellation(context)
                throw error
            }
        }
    }
}

/// A state with channels for engine runtime tests; the engine runs in real time, so runs are
/// queued with the clock's `Date()` unless a test says otherwise.
final class RuntimeWorkspace: @unchecked Sendable {
    let root: String
    let store: SQLiteStateStore
    let workDirectory: URL

    /// Saturday 2026-03-28 12:00 UTC, long past: schedules applied then are due now.
    static let t0 = Date(timeIntervalSince1970: 1_774_699_200)

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-runtime-\(UUID().uuidString)").path
        store = try SQLiteStateStore(path: root + "/.syndic/state.sqlite")
        workDirectory = URL(fileURLWithPath: root + "/.syndic/work")
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// A mirakl channel spec that configures every job.
    static func spec(status: String? = "active", minimal: Bool? = nil, retainDays: Int? = nil) -> String {
        var members: [String: Value] = [
            "type": .string("mirakl"),
            "source": .object(["connection": .string("pim")]),
            "products": .object(["mapping": .object(["title": .string("name~fr_FR")]),
                                 "export": .object(["schedule": .object(["every": .string("15m")])])]),
            "orders": .object(["retrieval": .bool(true),
                               "export": .object(["storage": .object(["connection": .string("ftp")])])]),
        ]
        if let status { members["status"] = .string(status) }
        var logs: [String: Value] = [:]
        if let minimal { logs["minimal"] = .bool(minimal) }
        if let retainDays { logs["retainDays"] = .int(retainDays) }
        if !logs.isEmpty { members["logs"] = .object(logs) }
        return CanonicalJSON.string(.object(members))
    }

    static func channel(_ name: String, status: String? = "active", minimal: Bool? = nil,
                        retainDays: Int? = nil) -> AppliedResource {
        AppliedResource(kind: .channel, name: name, type: "mirakl",
                        specJSON: spec(status: status, minimal: minimal, retainDays: retainDays),
                        labelsJSON: "{}", sourceFile: "channels/\(name).yaml")
    }

    /// Applies channels (and a `pim` connection) with the given job schedules.
    func apply(_ channels: [AppliedResource], schedules: [String: [JobKind: Schedule]] = [:], at date: Date = t0) throws {
        let pim = AppliedResource(kind: .connection, name: "pim", type: "catalog-file",
                                  specJSON: #"{"path":"products.jsonl","type":"catalog-file"}"#, labelsJSON: "{}",
                                  sourceFile: "channels/connections.yaml")
        var wanted: [String: [JobKind: JobScheduleEntry]] = [:]
        for channel in channels {
            wanted[channel.name] = (schedules[channel.name] ?? [:]).mapValues { JobScheduleEntry(schedule: $0, timeZone: "UTC") }
        }
        let upserts = [pim] + channels
        _ = try store.commit(ApplyBatch(
            expectedSerial: try store.currentSerial(), upserts: upserts, deletions: [], fingerprints: [:],
            jobSchedules: wanted,
            changes: upserts.map { HistoryChange(address: $0.address, action: "create", field: nil, before: nil, after: nil) },
            cache: [], user: "test", gitCommit: nil, configDigest: "digest", at: date))
    }

    /// Queues a manual run now.
    @discardableResult
    func enqueue(_ channel: String, _ job: JobKind = .productExport, dryRun: Bool = false,
                 retry: RetryPolicy = .standard, at date: Date = Date()) throws -> RunInfo {
        try store.enqueue(RunRequest(channel: channel, job: job, trigger: .manual, dryRun: dryRun), now: date, retry: retry)
    }

    /// Queues and claims a run now, as worker `worker`.
    func claim(_ channel: String, _ job: JobKind = .productExport, dryRun: Bool = false, worker: String = "test-worker",
               lease: TimeInterval = 60, retry: RetryPolicy = .standard) throws -> RunInfo {
        let queued = try enqueue(channel, job, dryRun: dryRun, retry: retry)
        guard let run = try store.claimRun(jobs: [job], runID: queued.id, worker: worker, lease: lease, now: Date(),
                                           retry: retry) else {
            throw TestFailure("run \(queued.id) could not be claimed")
        }
        return run
    }

    /// Inserts a queued run row directly, as a second process racing `enqueue` could.
    @discardableResult
    func insertQueued(_ channel: String, _ job: JobKind = .productExport, at date: Date = Date()) throws -> Int64 {
        try store.pool.write { db in
            var run = RunRecord.queued(RunRequest(channel: channel, job: job, trigger: .manual), slot: nil,
                                              now: date, retry: .standard)
            try run.insert(db)
            return run.id!
        }
    }

    func run(_ id: Int64) throws -> RunInfo? { try store.run(id: id)?.0 }

    func lines(_ id: Int64) throws -> [RunLogLine] { try store.run(id: id)?.1 ?? [] }

    func messages(_ id: Int64) throws -> [String] { try lines(id).map(\.message) }

    /// Runs `body` against the state's database (to play another process).
    func sql(_ text: String, _ arguments: StatementArguments = []) throws {
        try store.pool.write { db in try db.execute(sql: text, arguments: arguments) }
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: TimeInterval = 10, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        try? await Task.sleep(nanoseconds: 20_000_000)
    }
    return try condition()
}

/// Collects the messages a worker logs (at info level and above), with their metadata.
final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [(message: String, level: Logger.Level, metadata: Logger.Metadata)] = []
    func add(_ line: String, level: Logger.Level = .info, metadata: Logger.Metadata = [:]) {
        lock.withLock { items.append((line, level, metadata)) }
    }
    var lines: [String] { lock.withLock { items.map(\.message) } }
    /// The metadata of the first message equal to `line`.
    func metadata(of line: String) -> Logger.Metadata? { lock.withLock { items.first { $0.message == line }?.metadata } }

    /// A logger whose messages land here.
    var logger: Logger {
        Logger(label: "test", factory: { _ in Recorder(reports: self) })
    }

    struct Recorder: LogHandler {
        let reports: Reports
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            reports.add(event.message.description, level: event.level,
                        metadata: metadata.merging(event.metadata ?? [:]) { _, new in new })
        }
    }
}

/// A value shared with a job or a callback.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}
