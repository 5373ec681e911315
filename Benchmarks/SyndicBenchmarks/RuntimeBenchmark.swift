import Foundation
import SyndicCore
import SyndicEngine
import SyndicStore

/// Runtime benchmark: due-job computation for N channels × 6 jobs per tick, a
/// whole scheduler tick on the SQLite state, and claims per second with 4 worker processes.
enum RuntimeBenchmark {
    static let workers = Int(ProcessInfo.processInfo.environment["BENCH_WORKERS"] ?? "") ?? 4

    static func run(channels: Int) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-bench-rt-\(getpid())").path
        let configDirectory = root + "/channels"
        try FileManager.default.createDirectory(atPath: configDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = BenchmarkFixtures.write(channels: channels, into: configDirectory, allJobs: true)
        setenv("BENCH_MIRAKL_KEY", "bench-secret-value", 1)
        let statePath = root + "/state.sqlite"
        let store = try SQLiteStateStore(path: statePath)
        let reconciler = Reconciler(directory: ConfigDirectory(path: configDirectory), store: store,
                                    secrets: SecretResolver(), now: Date())
        _ = try reconciler.apply(try reconciler.plan(), confirmedDeletes: [], user: "bench")

        // 1. The pure decisions of one tick where every job of every channel is due.
        let jobs = try store.resources(.channel).flatMap { channel -> [ScheduledJob] in
            let spec = try CanonicalJSON.parse(channel.specJSON)
            let zone = ChannelJobs.timeZone(of: spec)
            return ChannelJobs.schedules(of: spec).map {
                ScheduledJob(channel: channel.name, job: $0.key, schedule: $0.value, timeZone: zone,
                             nextDue: Date().addingTimeInterval(-86_400 * 3))
            }
        }
        let planner = DueJobPlanner()
        let now = Date()
        let decisions = time("due-job decisions, \(jobs.count) jobs (pure)") {
            jobs.map { planner.decide($0, gateOpen: true, busy: false, now: now) }
        }
        say("  \(decisions.compactMap { $0 }.count) due")

        // 2. A whole tick on the state, two days ahead so that every job is due.
        let later = Date().addingTimeInterval(2 * 86_400)
        let queued = try time("scheduler tick on the state (all due)") {
            try store.enqueueDueRuns(now: later, planner: planner, retry: .standard)
        }
        say("  \(queued.count) runs queued (active channels), the rest skipped (inactive)")

        // 3. Claims per second: worker processes claim and finish every queued run.
        let start = DispatchTime.now().uptimeNanoseconds
        let children = try (0..<workers).map { _ -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            process.arguments = ["claimer", statePath, String(later.timeIntervalSince1970)]
            try process.run()
            return process
        }
        for child in children { child.waitUntilExit() }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let finished = try store.runs(RunFilter(status: .succeeded, limit: 1_000_000)).count
        say("claim+finish, \(workers) worker processes".padding(toLength: 36, withPad: " ", startingAt: 0)
            + String(format: "%8.3f s  %8.0f claims/s (%d runs)", seconds, Double(finished) / seconds, finished))
    }

    /// A child process: claims and finishes runs until none is left.
    static func claimer(statePath: String) throws {
        let arguments = CommandLine.arguments
        let now = Date(timeIntervalSince1970: Double(arguments[3]) ?? Date().timeIntervalSince1970)
        let store = try SQLiteStateStore(path: statePath)
        let name = "bench:\(getpid())"
        while let run = try store.claimRun(jobs: Set(JobKind.allCases), runID: nil, worker: name, lease: 60, now: now,
                                           retry: .standard) {
            _ = try store.finishRun(runID: run.id, worker: name, outcome: .succeeded(counts: [:], report: "bench"),
                                    now: now, retry: .standard)
        }
    }
}
