import Foundation
import SyndicCore
import SyndicEngine
import SyndicStore
import SyndicTestSupport
import SyndicTransfer

/// State benchmark: the same work on SQLite and on a real PostgreSQL server
/// started for the run (initdb + pg_ctl on 127.0.0.1, as the tests do).
///   1. plan and apply of CHANNELS channels, and a no-op plan after, on both engines;
///   2. claims and finishes per second on PostgreSQL with 1, 2 and 4 worker processes whose
///      jobs are I/O-bound: each waits 50 ms on a local HTTP server before it finishes.
enum StateBenchmark {
    static func run(channels: Int, claimRuns: Int) throws {
        let server = try PostgresServer.shared()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-bench-state-\(getpid())").path
        let configDirectory = root + "/channels"
        try FileManager.default.createDirectory(atPath: configDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        say("generating \(channels) channel files")
        _ = BenchmarkFixtures.write(channels: channels, into: configDirectory)
        setenv("BENCH_MIRAKL_KEY", "bench-secret-value", 1)

        let engines: [(String, () throws -> any StateStore)] = [
            ("sqlite", { try SQLiteStateStore(path: root + "/state.sqlite") }),
            ("postgres", { try StateLocation(try server.makeDatabase()).open() }),
        ]
        for (name, open) in engines {
            let store = try open()
            let reconciler = Reconciler(directory: ConfigDirectory(path: configDirectory), store: store,
                                        secrets: SecretResolver(), now: Date())
            let planned = try time("\(name): plan (empty state)") { try reconciler.plan() }
            _ = try time("\(name): apply commit") {
                try reconciler.apply(planned, confirmedDeletes: [], user: "bench")
            }
            let noop = try time("\(name): plan (no-op, after apply)") { try reconciler.plan() }
            precondition(!noop.plan.hasChanges, "the no-op plan has changes")
        }
        if claimRuns > 0 { try claims(server: server, runs: claimRuns, root: root) }
    }

    /// Claims and finishes per second with 1, 2 and 4 worker processes.
    static func claims(server: PostgresServer, runs: Int, root: String) throws {
        let simulator = try LocalServer(name: "slow-http", executable: "/usr/bin/env", arguments: ["python3", "-c", """
            import http.server, socketserver, time
            class Slow(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    time.sleep(0.05)
                    self.send_response(200); self.send_header('Content-Length', '2'); self.end_headers()
                    self.wfile.write(b'ok')
                def log_message(self, *args): pass
            class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
                daemon_threads = True
                request_queue_size = 128
            server = Server(('127.0.0.1', 0), Slow)
            print('port', server.server_address[1], flush=True)
            server.serve_forever()
            """], ready: LocalServer.portLine)
        let configDirectory = root + "/claims"
        try FileManager.default.createDirectory(atPath: configDirectory, withIntermediateDirectories: true)
        let channelCount = (runs + 5) / 6
        _ = BenchmarkFixtures.write(channels: channelCount, into: configDirectory, allJobs: true)
        var single: Double?
        for workers in [1, 2, 4] {
            let url = try server.makeDatabase()
            let store = try StateLocation(url).open()
            let reconciler = Reconciler(directory: ConfigDirectory(path: configDirectory), store: store,
                                        secrets: SecretResolver(), now: Date())
            _ = try reconciler.apply(try reconciler.plan(), confirmedDeletes: [], user: "bench")
            let later = Date().addingTimeInterval(2 * 86_400)
            let queued = try store.enqueueDueRuns(now: later, planner: DueJobPlanner(), retry: .standard).count
            let start = DispatchTime.now().uptimeNanoseconds
            let children = try (0..<workers).map { _ -> Process in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
                process.arguments = ["claimer", url, String(later.timeIntervalSince1970), simulator.baseURL]
                try process.run()
                return process
            }
            for child in children { child.waitUntilExit() }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let finished = try store.runs(RunFilter(status: .succeeded, limit: 1_000_000)).count
            precondition(finished == queued, "\(finished) of \(queued) runs finished")
            let rate = Double(finished) / seconds
            if workers == 1 { single = rate }
            say("postgres: claim+wait 50 ms+finish, \(workers) worker\(workers == 1 ? "" : "s")"
                .padding(toLength: 44, withPad: " ", startingAt: 0)
                + String(format: "%7.2f s %7.1f runs/s (%d runs)", seconds, rate, finished)
                + (single.map { String(format: "  %.2fx one worker", rate / $0) } ?? ""))
        }
    }

    /// A child process: claims runs, waits on the HTTP server (when given) as an I/O-bound job
    /// would, and finishes them, until none is left.
    static func claimer(state: String, now: Date, waitURL: String?) throws {
        let store = try StateLocation(state).open(connections: 1)
        let name = "bench:\(getpid())"
        let http = HTTPClient(maxAttempts: 1)
        while let run = try store.claimRun(jobs: Set(JobKind.allCases), runID: nil, worker: name, lease: 60, now: now,
                                           retry: .standard) {
            if let waitURL { _ = try http.send(HTTPRequest(url: waitURL + "/job/\(run.id)")) }
            _ = try store.finishRun(runID: run.id, worker: name, outcome: .succeeded(counts: [:], report: "bench"),
                                    now: now, retry: .standard)
        }
    }
}
