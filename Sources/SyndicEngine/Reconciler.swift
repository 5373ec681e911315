import Foundation
import SyndicCore
import SyndicStore

/// Validates, plans and applies one configuration directory against one state store.
public struct Reconciler: Sendable {
    public let directory: ConfigDirectory
    public let store: any StateStore
    public let secrets: SecretResolver
    public let now: Date

    public init(directory: ConfigDirectory, store: any StateStore, secrets: SecretResolver, now: Date) {
        self.directory = directory
        self.store = store
        self.secrets = secrets
        self.now = now
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
        return try Reconciler.load(directory, cache: cache, secrets: secrets)
    }

    /// Reads and validates a configuration directory with a given parse cache.
    public static func load(_ directory: ConfigDirectory, cache: [String: CompiledFile],
                            secrets: SecretResolver) throws -> Loaded {
        let files = try directory.readFiles()
        let compiled = ConfigCompiler.compile(files, cache: cache)
        let validated = ConfigValidator.validate(compiled, probe: secrets.probe)
        return Loaded(files: files, compiled: compiled, validated: validated,
                      configDigest: ConfigCompiler.digest(files))
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

    /// Plans the configuration against the state; throws `ValidationFailed` on errors.
    public func plan() throws -> Planned {
        let loaded = try load()
        if loaded.validated.hasErrors { throw ValidationFailed(diagnostics: loaded.validated.diagnostics) }
        let actual = try store.loadActualState()
        let salt = try store.fingerprintSalt()
        let desired = DesiredState(resources: loaded.validated.resources,
                                   fingerprints: secrets.fingerprints(of: loaded.validated.resources, salt: salt))
        let plan = Planner(now: now).plan(desired: desired, actual: actual, diagnostics: loaded.validated.diagnostics)
        return Planned(plan: plan, loaded: loaded, actual: actual, desired: desired,
                       git: GitInfo.of(directory: directory.path))
    }

    /// Applies a plan in one transaction. Channel deletes must be confirmed by name.
    public func apply(_ planned: Planned, confirmedDeletes: Set<String>, user: String) throws -> Int {
        let unconfirmed = planned.plan.deletedChannels.filter { !confirmedDeletes.contains($0) }
        if !unconfirmed.isEmpty { throw DeleteNotConfirmed(channels: unconfirmed, plan: planned.plan) }
        let batch = Applier.batch(for: planned, user: user, at: now)
        return try store.commit(batch)
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

/// A plan deletes channels that were not confirmed with `--confirm-delete`.
public struct DeleteNotConfirmed: Error, CustomStringConvertible {
    public let channels: [String]
    public let plan: Plan

    public var description: String {
        var lines = ["the plan deletes \(channels.count == 1 ? "a channel" : "channels") with all \(channels.count == 1 ? "its" : "their") data; nothing was applied."]
        for name in channels {
            let data = plan.changes.first { $0.action == .delete && $0.name == name && $0.kind == .channel }?.data ?? []
            let counts = data.map { "\($0.count) \($0.label)" }.joined(separator: ", ")
            lines.append("  channel.\(name)\(counts.isEmpty ? "" : ": \(counts)")")
        }
        lines.append("To confirm, type the name\(channels.count == 1 ? "" : "s"): " +
                     channels.map { "--confirm-delete \($0)" }.joined(separator: " "))
        return lines.joined(separator: "\n")
    }
}
