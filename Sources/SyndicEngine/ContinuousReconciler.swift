import Foundation
import SyndicCore

/// `syndic reconcile --watch`: re-reads the configuration at every interval (and at once
/// when a file changes), plans, and applies everything that is not destructive.
///
/// A delete is applied only with `prune` on and either the channel named in
/// `confirmedDeletes` or, for a resource that carried it when last applied, the label
/// `syndic/prune: allow`. Other deletes stay pending and are reported every cycle.
public final class ContinuousReconciler: @unchecked Sendable {
    /// Watch settings.
    public struct Options: Sendable {
        public var interval: TimeInterval
        public var prune: Bool
        public var confirmedDeletes: Set<String>
        /// Longest pause after repeated failures.
        public var maxBackoff: TimeInterval
        /// How often files are checked for changes between cycles.
        public var filePoll: TimeInterval

        public init(interval: TimeInterval = 60, prune: Bool = false, confirmedDeletes: Set<String> = [],
                    maxBackoff: TimeInterval = 600, filePoll: TimeInterval = 1) {
            self.interval = interval
            self.prune = prune
            self.confirmedDeletes = confirmedDeletes
            self.maxBackoff = maxBackoff
            self.filePoll = filePoll
        }
    }

    /// The label that lets `--prune` delete a resource without `--confirm-delete`.
    public static let pruneLabel = "syndic/prune"

    private let directory: ConfigDirectory
    private let store: any StateStore
    private let secrets: SecretResolver
    private let options: Options
    private let user: String
    private let report: @Sendable (String) -> Void
    private let stopLock = NSLock()
    private var stopRequested = false

    public init(directory: ConfigDirectory, store: any StateStore, secrets: SecretResolver,
                options: Options, user: String, report: @escaping @Sendable (String) -> Void) {
        self.directory = directory
        self.store = store
        self.secrets = secrets
        self.options = options
        self.user = user
        self.report = report
    }

    /// Asks the loop to stop after the current cycle.
    public func stop() { stopLock.withLock { stopRequested = true } }

    private var stopping: Bool { stopLock.withLock { stopRequested } }

    /// Runs cycles until `stop()`.
    public func run() {
        var failures = 0
        while !stopping {
            let started = Date()
            var pause = options.interval
            do {
                report(try cycle(now: started).line)
                failures = 0
            } catch {
                failures += 1
                pause = min(options.maxBackoff, options.interval * pow(2, Double(failures - 1)))
                report("cycle failed: \(error); retrying in \(Int(pause)) s")
            }
            waitForChange(upTo: pause)
        }
        report("reconcile stopped")
    }

    /// One cycle's outcome.
    public struct Cycle: Sendable {
        public var serialBefore: Int
        public var serialAfter: Int
        public var applied: Int
        public var pendingDeletes: [String]
        public var suspended: [String]
        public var seconds: Double

        /// The one log line of the cycle.
        public var line: String {
            var text = "cycle: serial \(serialBefore)"
            if serialAfter != serialBefore { text += " -> \(serialAfter)" }
            text += ", \(applied) change\(applied == 1 ? "" : "s") applied"
            if !pendingDeletes.isEmpty {
                text += ", \(pendingDeletes.count) delete\(pendingDeletes.count == 1 ? "" : "s") pending (\(pendingDeletes.joined(separator: ", ")): needs --prune and --confirm-delete, or the label \(ContinuousReconciler.pruneLabel): allow)"
            }
            if !suspended.isEmpty { text += ", drift: suspended \(suspended.joined(separator: ", ")) (kept; syndic resume lifts it)" }
            return text + String(format: ", %.2f s", seconds)
        }
    }

    /// Plans and applies the non-destructive changes (and the allowed deletes) once.
    public func cycle(now: Date) throws -> Cycle {
        let started = Date()
        let lock = try store.lockForApply(timeout: 0, holder: "syndic reconcile by \(user)")
        defer { withExtendedLifetime(lock) {} }
        let reconciler = Reconciler(directory: directory, store: store, secrets: secrets, now: now)
        var planned = try reconciler.plan()
        var pending: [String] = []
        var allowedChannels: Set<String> = []
        planned.plan.changes = planned.plan.changes.filter { change in
            guard change.action == .delete else { return true }
            let labels = planned.actual.resources[change.address].flatMap { try? CanonicalJSON.parse($0.labelsJSON) }
            let labelled = labels?[Self.pruneLabel]?.stringValue == "allow"
            let allowed = change.blocked == nil
                && options.prune && (change.kind != .channel || labelled || options.confirmedDeletes.contains(change.name))
            if allowed {
                if change.kind == .channel { allowedChannels.insert(change.name) }
            } else {
                pending.append(change.blocked == nil ? change.address : change.address + " (protected)")
            }
            return allowed
        }
        let serialAfter = planned.plan.hasChanges
            ? try reconciler.apply(planned, confirmedDeletes: allowedChannels, user: user) : planned.serial
        return Cycle(serialBefore: planned.serial, serialAfter: serialAfter, applied: planned.plan.changes.count,
                     pendingDeletes: pending, suspended: planned.actual.suspensions.keys.sorted(),
                     seconds: Date().timeIntervalSince(started))
    }

    /// Sleeps until `timeout` passes, a configuration file changes, or `stop()`.
    private func waitForChange(upTo timeout: TimeInterval) {
        let deadline = Date().addingTimeInterval(timeout)
        let initial = signature()
        var lastCheck = Date()
        while !stopping && Date() < deadline {
            Thread.sleep(forTimeInterval: min(0.2, max(0, deadline.timeIntervalSinceNow)))
            guard Date().timeIntervalSince(lastCheck) >= options.filePoll else { continue }
            lastCheck = Date()
            if signature() != initial { return }
        }
    }

    /// Paths, sizes and modification times of the configuration files.
    private func signature() -> [String] {
        guard directory.gitRef == nil, let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var entries: [String] = []
        while let entry = enumerator.nextObject() as? String {
            guard entry.hasSuffix(".yaml") || entry.hasSuffix(".yml") else { continue }
            let attributes = enumerator.fileAttributes
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            entries.append("\(entry)|\(attributes?[.size] ?? 0)|\(modified)")
        }
        return entries.sorted()
    }
}
