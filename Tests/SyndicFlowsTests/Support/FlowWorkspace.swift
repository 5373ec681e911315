import Foundation
import SyndicCore
import SyndicEngine
import SyndicFlows
import SyndicStore
import SyndicTransfer

/// A temporary directory for one flow test: a configuration directory (`channels/`) applied
/// for real (Reconciler: validation, secrets, fingerprints) into a SQLite state, secrets as
/// files (`secrets/`, never the environment: tests run in parallel), and runs executed the way
/// a worker executes them (`RunExecutor`), so that the recorded run is what the test sees.
final class FlowWorkspace: @unchecked Sendable {
    let root: URL
    let channels: URL
    let store: SQLiteStateStore
    let workDirectory: URL
    let registry: JobRegistry
    /// A short name unique to this workspace, for user names: the connectors cache Akeneo
    /// tokens per process by URL and credentials, and a port may be reused by the next test.
    let id = "w" + UUID().uuidString.prefix(8).lowercased()

    /// Retries in milliseconds rather than seconds.
    static let http = HTTPClient(baseDelay: 0.05)
    /// The shipped flows, with fast retries and fast OF02 polling.
    static let registry = JobRegistry([ProductExportJob(miraklPollInterval: 0.05, http: http),
                                       RequirementsSyncJob(http: http)])
    /// One attempt per run: a failure is final at once (no 30 s backoff between attempts).
    static let once = RetryPolicy(maxAttempts: 1, baseDelay: 0.05, maxDelay: 0.05)

    init(registry: JobRegistry = FlowWorkspace.registry) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-flows-\(UUID().uuidString)")
        channels = root.appendingPathComponent("channels")
        try FileManager.default.createDirectory(at: channels, withIntermediateDirectories: true)
        store = try SQLiteStateStore(path: root.appendingPathComponent(".syndic/state.sqlite").path)
        workDirectory = root.appendingPathComponent(".syndic/work")
        self.registry = registry
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    // MARK: - Files

    /// `root/relative`.
    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Writes `text` to `root/relative`, creating folders.
    func write(_ relative: String, _ text: String) throws {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Writes a configuration file `channels/<name>`.
    func config(_ name: String, _ yaml: String) throws { try write("channels/\(name)", yaml) }

    /// Writes the secret file `secrets/<name>` (mode 0600); returns its path as a
    /// configuration file names it (relative to `channels/`).
    @discardableResult
    func secret(_ name: String, _ value: String) throws -> String {
        try write("secrets/\(name)", value + "\n")
        chmod(path("secrets/\(name)"), 0o600)
        return "../secrets/\(name)"
    }

    /// The file names in `root/relative`, sorted (none when the folder does not exist).
    func files(in relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path(relative))) ?? []).sorted()
    }

    /// The text of `root/relative` (or of an absolute path).
    func text(_ relative: String) throws -> String {
        let file = relative.hasPrefix("/") ? relative : path(relative)
        guard let data = FileManager.default.contents(atPath: file) else { throw FlowTestFailure("no file \(file)") }
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: - Apply and run

    /// Validates, plans and applies `channels/` as `syndic apply` does.
    func apply() throws {
        let reconciler = Reconciler(directory: ConfigDirectory(path: channels.path), store: store,
                                    secrets: SecretResolver(), now: Date())
        let planned: Reconciler.Planned
        do {
            planned = try reconciler.plan()
        } catch let failed as ValidationFailed {
            throw FlowTestFailure("\(failed): \(failed.diagnostics.map { "\($0)" }.joined(separator: "; "))")
        }
        _ = try reconciler.apply(planned, confirmedDeletes: [], user: "test")
    }

    /// Queues a manual run of `job` (one attempt), claims it and executes it as a worker does;
    /// returns the run as recorded. `progress` is told of what the job reports as it works.
    func run(_ channel: String, _ job: JobKind = .productExport, dryRun: Bool = false,
             full: Bool = false, force: Bool = false,
             progress: @escaping @Sendable (RunInfo, RunProgress) -> Void = { _, _ in }) async throws -> RunInfo {
        let queued = try store.enqueue(RunRequest(channel: channel, job: job, trigger: .manual, dryRun: dryRun, full: full,
                                                  force: force),
                                       now: Date(), retry: Self.once)
        guard let claimed = try store.claimRun(jobs: [job], runID: queued.id, worker: "flows-test", lease: 60, now: Date(),
                                               retry: Self.once) else {
            throw FlowTestFailure("run \(queued.id) could not be claimed")
        }
        let executor = RunExecutor(store: store, registry: registry, worker: "flows-test", lease: 60, retry: Self.once,
                                   workDirectory: workDirectory, progress: progress)
        guard let finished = await executor.execute(claimed) else {
            throw FlowTestFailure("run \(queued.id) lost its lease")
        }
        return finished
    }

    /// A run as `syndic run CHANNEL JOB [--dry-run] [--full]` makes it: queued after the
    /// manual-run checks and run to completion in this process.
    func manualRun(_ channel: String, _ job: JobKind = .productExport, dryRun: Bool = false,
                   full: Bool = false) async throws -> RunInfo {
        let runs = ManualRuns(store: store, registry: registry)
        let queued = try runs.enqueue(channel: channel, job: job, dryRun: dryRun, full: full, now: Date())
        return try await runs.runToCompletion(queued, workDirectory: workDirectory, progress: { _, _ in })
    }

    /// The log lines of a run.
    func messages(_ runID: Int64) throws -> [String] { try store.run(id: runID)?.1.map(\.message) ?? [] }

    /// Everything a run left in the state as text: error, report, logs (to look for secrets).
    func everything(_ run: RunInfo) throws -> String {
        ([run.error ?? "", run.report ?? ""] + (try messages(run.id))).joined(separator: "\n")
    }
}

/// A failure of a flow test's own setup.
struct FlowTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
