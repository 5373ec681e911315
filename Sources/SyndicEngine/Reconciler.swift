import Foundation
import SyndicCore

/// Validates, plans and applies one configuration directory against one state store.
public struct Reconciler: Sendable {
    public let directory: ConfigDirectory
    public let store: any StateStore
    public let secrets: SecretResolver
    public let now: Date
    /// Where jobs keep files (dry-run exports): a deleted channel's folder there goes too.
    public var workDirectory: URL?

    public init(directory: ConfigDirectory, store: any StateStore, secrets: SecretResolver, now: Date,
                workDirectory: URL? = nil) {
        self.directory = directory
        self.store = store
        self.secrets = secrets
        self.now = now
        self.workDirectory = workDirectory
    }

    /// The configuration as read and validated.
    public struct Loaded: Sendable {
        public var files: [ConfigFile]
        public var compiled: [CompiledFile]
        public var validated: ValidatedConfig
        public var configDigest: String
    }

    /// Reads and validates the configuration, reusing the state's parse cache.
    public func load(useCache: Bool = true) throws -> Loaded {
        let cache = useCache ? try store.loadParseCache(displayPath: directory.displayPath) : [:]
        return try Reconciler.load(directory, cache: cache, secrets: secrets, requirements: try store.requirements())
    }

    /// Reads and validates a configuration directory with a given parse cache; Mirakl
    /// channels are checked against the marketplace requirements given (by channel).
    public static func load(_ directory: ConfigDirectory, cache: [String: CompiledFile],
                            secrets: SecretResolver, requirements: [String: RequirementSet] = [:]) throws -> Loaded {
        let files = try directory.readFiles()
        let compiled = ConfigCompiler.compile(files, cache: cache)
        var validated = ConfigValidator.validate(compiled, probe: secrets.probe)
        validated.diagnostics += requirementDiagnostics(validated.resources, requirements: requirements, files: files)
        return Loaded(files: files, compiled: compiled, validated: validated,
                      configDigest: ConfigCompiler.digest(files))
    }

    /// The requirements problems of the channels that have stored requirements. A channel read
    /// from the parse cache has no location map, so its file is compiled again to locate them.
    static func requirementDiagnostics(_ resources: [CompiledResource], requirements: [String: RequirementSet],
                                       files: [ConfigFile]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for resource in resources where resource.kind == .channel {
            guard let set = requirements[resource.name] else { continue }
            var found = RequirementsCheck.diagnostics(of: resource, against: set)
            if !found.isEmpty, resource.locations.isEmpty,
               let file = files.first(where: { $0.displayPath == resource.file }),
               let fresh = ConfigCompiler.compile([file], cache: [:]).first?.resources
                   .first(where: { $0.kind == .channel && $0.name == resource.name }) {
                found = RequirementsCheck.diagnostics(of: fresh, against: set)
            }
            diagnostics += found
        }
        return diagnostics
    }

    /// A plan together with what it was made against.
    public struct Planned: Sendable {
        public var plan: Plan
        public var loaded: Loaded
        public var actual: ActualState
        public var desired: DesiredState
        public var git: GitInfo?

        public var serial: Int { actual.serial }
        public var fingerprintsDigest: String { Fingerprint.digest(desired.fingerprints) }
    }

    /// Plans the configuration against the state, limited to `selection`; throws
    /// `ValidationFailed` on errors and `SelectionError` for a selection that cannot be used.
    public func plan(selection: PlanSelection = PlanSelection()) throws -> Planned {
        let loaded = try load()
        if loaded.validated.hasErrors { throw ValidationFailed(diagnostics: loaded.validated.diagnostics) }
        var actual = try store.loadActualState()
        let wanted = Set(loaded.validated.resources.map(\.address))
        let removedChannels = actual.resources.values.filter { $0.kind == .channel && !wanted.contains($0.address) }
        actual.ownedData = try store.ownedData(ofChannels: removedChannels.map(\.name))
        let salt = try store.fingerprintSalt()
        let desired = DesiredState(resources: loaded.validated.resources,
                                   fingerprints: secrets.fingerprints(of: loaded.validated.resources, salt: salt),
                                   formerFingerprints: secrets.formerFingerprints(of: loaded.validated.resources, salt: salt))
        let whole = Planner(now: now).plan(desired: desired, actual: actual, diagnostics: loaded.validated.diagnostics)
        let plan = try PlanNarrowing(desired: desired, actual: actual).narrow(whole, to: selection)
        return Planned(plan: plan, loaded: loaded, actual: actual, desired: desired,
                       git: try directory.gitRef.map { try GitInfo.of(ref: $0, directory: directory.path) }
                           ?? GitInfo.of(directory: directory.path))
    }

    /// Applies a plan in one transaction. Channel deletes must be confirmed by name; before
    /// a channel's data goes, its queued runs are canceled and its running runs are asked to
    /// stop and waited for (up to `stopTimeout` seconds).
    public func apply(_ planned: Planned, confirmedDeletes: Set<String>, user: String,
                      stopTimeout: TimeInterval = 120) throws -> Int {
        let blocked = planned.plan.blockedDeletes
        if !blocked.isEmpty { throw DeleteBlocked(changes: blocked) }
        let deleted = planned.plan.deletedChannels
        let unconfirmed = deleted.filter { !confirmedDeletes.contains($0) }
        if !unconfirmed.isEmpty { throw DeleteNotConfirmed(channels: unconfirmed, plan: planned.plan) }
        // Renamed channels' running jobs finish under the name they started with (nothing is
        // canceled, so a refusal here leaves everything as it was); deleted channels' runs are
        // canceled and asked to stop.
        let renamed = planned.plan.renames.filter { $0.kind == .channel }
        if !renamed.isEmpty { try awaitRuns(ofChannels: renamed.map(\.from), cancel: false, timeout: stopTimeout) }
        if !deleted.isEmpty { try awaitRuns(ofChannels: deleted, cancel: true, timeout: stopTimeout) }
        let batch = Applier.batch(for: planned, user: user, at: now)
        let serial = try store.commit(batch)
        // The files a channel's runs kept follow a rename, and go with a delete.
        if let workDirectory {
            let dryRuns = workDirectory.appendingPathComponent("dry-runs")
            for rename in renamed {
                try? FileManager.default.moveItem(at: dryRuns.appendingPathComponent(rename.from),
                                                  to: dryRuns.appendingPathComponent(rename.to))
            }
            for channel in deleted { try? FileManager.default.removeItem(at: dryRuns.appendingPathComponent(channel)) }
        }
        return serial
    }

    /// Waits until no run of these channels is running. With `cancel` (deleted channels), queued
    /// runs are canceled and running ones asked to stop, on every pass (a run claimed meanwhile
    /// too), and a run whose lease ran out no longer counts; without it (renamed channels),
    /// nothing is canceled and every running run counts, since its worker may still write.
    private func awaitRuns(ofChannels channels: [String], cancel: Bool, timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if cancel { _ = try store.cancelRuns(ofChannels: channels, now: Date()) }
            let running = try store.liveRuns(ofChannels: channels, now: cancel ? Date() : .distantPast)
            if running.isEmpty { return }
            if Date() >= deadline {
                if cancel { throw RunsStillRunning(runs: running, timeout: timeout) }
                throw StoreError.renameWhileRunning(channel: running[0].channel, runIDs: running.map(\.id))
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }
}

/// The configuration has errors; nothing was planned or applied.
public struct ValidationFailed: Error, CustomStringConvertible {
    public let diagnostics: [Diagnostic]
    public var description: String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        return "the configuration has \(errors) error\(errors == 1 ? "" : "s"); run `syndic validate`"
    }
}

/// Runs of channels being deleted did not stop in time; nothing was applied.
public struct RunsStillRunning: Error, CustomStringConvertible {
    public let runs: [RunInfo]
    public let timeout: TimeInterval

    public var description: String {
        let list = runs.map { "run \($0.id) (\($0.channel) \($0.job.rawValue), worker \($0.leaseOwner ?? "?"))" }
        return "runs of the channels being deleted did not stop within \(Int(timeout)) s: \(list.joined(separator: ", ")); nothing was applied. Retry once they have stopped"
    }
}

/// A plan deletes channels that were not confirmed with `--confirm-delete`.
/// A plan that deletes protected resources: refused whole, whatever is confirmed.
public struct DeleteBlocked: Error, CustomStringConvertible {
    public let changes: [Change]

    public var description: String {
        var lines = ["the plan deletes protected resources; nothing was applied."]
        for change in changes { lines.append("  \(change.address): \(change.blocked ?? "protected")") }
        return lines.joined(separator: "\n")
    }
}

public struct DeleteNotConfirmed: Error, CustomStringConvertible {
    public let channels: [String]
    public let plan: Plan

    public var description: String {
        var lines = ["the plan deletes \(channels.count == 1 ? "a channel" : "channels") with all \(channels.count == 1 ? "its" : "their") data; nothing was applied."]
        for name in channels {
            let data = plan.changes.first { $0.action == .delete && $0.name == name && $0.kind == .channel }?.data ?? []
            let counts = data.map { "\($0.label) \($0.count)" }.joined(separator: ", ")
            lines.append("  channel.\(name)\(counts.isEmpty ? "" : ": \(counts)")")
        }
        lines.append("To confirm, type the name\(channels.count == 1 ? "" : "s"): " +
                     channels.map { "--confirm-delete \($0)" }.joined(separator: " "))
        return lines.joined(separator: "\n")
    }
}
