import Foundation
import SyndicCore
import SyndicEngine

/// A job that only records that it ran: it appends `start` and `end` lines to a journal
/// file, sleeps, and fails its first attempts when asked. It lives in the tests; it proves
/// the runtime, it is not a data flow.
///
/// Environment: `PROBE_JOURNAL` (file), `PROBE_SLEEP_MS` (default 100),
/// `PROBE_FAIL_ATTEMPTS` (attempts that fail, default 0), `PROBE_LOG_ITEMS` (info lines).
struct ProbeJob: Job {
    let kind: JobKind

    func run(_ context: JobContext) async throws -> JobResult {
        let environment = ProcessInfo.processInfo.environment
        let journal = environment["PROBE_JOURNAL"]
        let sleep = Int(environment["PROBE_SLEEP_MS"] ?? "") ?? 100
        let failing = Int(environment["PROBE_FAIL_ATTEMPTS"] ?? "") ?? 0
        let items = Int(environment["PROBE_LOG_ITEMS"] ?? "") ?? 3
        let pid = ProcessInfo.processInfo.processIdentifier
        let run = context.run
        Journal.append(journal, "start \(run.id) \(run.channel) \(run.job.rawValue) \(run.attempt) \(pid) \(Date().timeIntervalSince1970)")
        for item in 1...max(1, items) {
            context.log.info("item \(item) of \(items)")
            context.progress(RunProgress(done: item, total: items))
        }
        var slept = 0
        while slept < sleep {
            try context.checkCancellation()
            try await Task.sleep(nanoseconds: 10_000_000)
            slept += 10
        }
        Journal.append(journal, "end \(run.id) \(run.channel) \(run.job.rawValue) \(run.attempt) \(pid) \(Date().timeIntervalSince1970)")
        if run.attempt <= failing {
            throw ProbeFailure(attempt: run.attempt)
        }
        return JobResult(counts: ["items": items], report: "probe \(run.job.rawValue) of \(run.channel): \(items) items")
    }
}

/// The failure a probe job raises on purpose.
struct ProbeFailure: Error, CustomStringConvertible {
    let attempt: Int
    var description: String { "probe failure on attempt \(attempt)" }
}

/// Appends lines to a file atomically (O_APPEND), from several processes.
enum Journal {
    static func append(_ path: String?, _ line: String) {
        guard let path else { return }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}
