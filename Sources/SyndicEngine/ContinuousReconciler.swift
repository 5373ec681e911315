import Foundation
import Logging
import SyndicCore

/// `syndic reconcile --watch`: re-reads the configuration at every interval (and at once
/// when a file changes), plans, and applies everything that is not destructive.
///
/// A delete is applied only with `prune` on and either the channel named in
/// `confirmedDeletes` or, for a resource that carried it when last applied, the label
/// `syndic/prune: allow`. Other deletes stay pending and are reported every cycle.
///
/// `run()` also raises `drift` and `apply-failed` alerts, once per change (`WatchNotifier`),
/// and hands them to `deliver` after every cycle.
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
        /// The resources each cycle reconciles (`--target`, `--exclude`, `--selector`).
        public var selection: PlanSelection

        public init(interval: TimeInterval = 60, prune: Bool = false, confirmedDeletes: Set<String> = [],
                    maxBackoff: TimeInterval = 600, filePoll: TimeInterval = 1, selection: PlanSelection = PlanSelection()) {
            self.selection = selection
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
    private let logger: Logger
    private let metrics: ReconcileMetrics
    /// Delivers the alerts waiting in the state to the Notification resources.
    private let deliver: (@Sendable () -> Void)?
    private let stopLock = NSLock()
    private var stopRequested = false

    public init(directory: ConfigDirectory, store: any StateStore, secrets: SecretResolver,
                options: Options, user: String, logger: Logger = Worker.silentLogger,
                metrics: ReconcileMetrics = ReconcileMetrics(), deliver: (@Sendable () -> Void)? = nil) {
        self.directory = directory
        self.store = store
        self.secrets = secrets
        self.options = options
        self.user = user
        self.logger = logger
        self.metrics = metrics
        self.deliver = deliver
    }

    /// Asks the loop to stop after the current cycle.
    public func stop() { stopLock.withLock { stopRequested = true } }

    private var stopping: Bool { stopLock.withLock { stopRequested } }

    /// Runs cycles until `stop()`, notifying drift and failures after each.
    public func run() {
        var failures = 0
        var notifier = WatchNotifier()
        while !stopping {
            let started = Date()
            var pause = options.interval
            let outcome = Result { try cycle(now: started) }
            switch outcome {
            case .success(let cycle):
                logger.info("\(cycle.line)")
                metrics.cycle("ok", at: Date())
                failures = 0
            case .failure(let error):
                failures += 1
                pause = min(options.maxBackoff, options.interval * pow(2, Double(failures - 1)))
                if case .locked? = error as? StoreError {
                    metrics.cycle("skipped", at: Date())
                    logger.info("cycle skipped: \(error); retrying in \(Int(pause)) s")
                } else {
                    metrics.cycle("failed", at: Date())
                    logger.error("cycle failed: \(error); retrying in \(Int(pause)) s")
                }
            }
            notify(outcome, notifier: &notifier, at: started)
            waitForChange(upTo: pause)
        }
        logger.info("reconcile stopped")
    }

    /// Raises the alerts a cycle's outcome calls for and `notifier` has not raised yet (drift
    /// of a good cycle, the failure of a failed one), then delivers the waiting alerts.
    /// A cycle skipped because another process holds the apply lock is no failure. Returns
    /// the alerts raised.
    @discardableResult
    public func notify(_ outcome: Result<Cycle, any Error>, notifier: inout WatchNotifier,
                       at date: Date) -> [WatchNotifier.Event] {
        let events: [WatchNotifier.Event]
        switch outcome {
        case .success(let cycle):
            events = notifier.succeeded(cycle.observation)
        case .failure(let error):
            if case .locked? = error as? StoreError { events = [] } else { events = notifier.failed(failureMessage(error)) }
        }
        var raised: [WatchNotifier.Event] = []
        for event in events {
            do {
                try store.raiseAlert(channel: event.channel, kind: event.kind.rawValue, message: event.message,
                                     runID: nil, at: date)
                raised.append(event)
                logger.warning("alert \(event.kind.rawValue)\(event.channel.isEmpty ? "" : " (\(event.channel))"): \(event.message)",
                               metadata: event.channel.isEmpty ? nil : ["channel": "\(event.channel)"])
            } catch {
                notifier.forget(event)
                logger.error("cannot record the \(event.kind.rawValue) alert: \(error)")
            }
        }
        metrics.drift(raised.filter { $0.kind == .drift }.count)
        deliver?()
        return raised
    }

    /// The message of an `apply-failed` alert: the error, with the configuration's errors.
    func failureMessage(_ error: any Error) -> String {
        let place = directory.gitRef.map { "\(directory.path) at \($0)" } ?? directory.path
        var text = "reconcile of \(place) failed: \(error)"
        if let failed = error as? ValidationFailed {
            let errors = failed.diagnostics.filter { $0.severity == .error }.sortedForDisplay()
            text += " (" + errors.prefix(5).map(\.description).joined(separator: "; ")
                + (errors.count > 5 ? "; \(errors.count - 5) more" : "") + ")"
        }
        return text
    }

    /// One cycle's outcome.
    public struct Cycle: Sendable {
        public var serialBefore: Int
        public var serialAfter: Int
        public var applied: Int
        public var pendingDeletes: [String]
        public var suspended: [String]
        public var seconds: Double
        /// What the watch loop's notifier reads of the cycle.
        public var observation: WatchNotifier.Observation

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
        var planned = try reconciler.plan(selection: options.selection)
        let observation = WatchNotifier.Observation(
            configuration: planned.loaded.configDigest + "/" + planned.fingerprintsDigest, changes: planned.plan.changes,
            suspensions: planned.actual.suspensions)
        var pending: [String] = []
        var pendingAddresses: Set<String> = []
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
                pendingAddresses.insert(change.address)
            }
            return allowed
        }
        let serialAfter = planned.plan.hasChanges
            ? try reconciler.apply(planned, confirmedDeletes: allowedChannels, user: user) : planned.serial
        var seen = observation
        seen.pending = pendingAddresses
        return Cycle(serialBefore: planned.serial, serialAfter: serialAfter, applied: planned.plan.changes.count,
                     pendingDeletes: pending, suspended: planned.actual.suspensions.keys.sorted(),
                     seconds: Date().timeIntervalSince(started), observation: seen)
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
