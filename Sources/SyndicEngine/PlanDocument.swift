import Foundation
import SyndicCore

/// The JSON form of a plan (`syndic plan --format json`, `--out FILE`, `syndic diff --format json`),
/// versioned.
///
/// A saved plan records what it was made against (serial, configuration digest, secret
/// fingerprint digest, git commit) so that `syndic apply FILE` can refuse it when stale. A diff
/// between two git refs has no state: it records the refs instead, and cannot be applied.
public struct PlanDocument: Codable, Sendable, Equatable {
    /// Bumped on any incompatible change of this format (docs/plan-json.md).
    public static let currentFormatVersion = "2"

    public var formatVersion: String
    public var generatedAt: String
    /// The state serial the plan was made against; nil for a diff.
    public var serial: Int?
    /// Digest of the configuration files; nil for a diff.
    public var configDigest: String?
    /// Digest of the secret fingerprints; nil for a diff.
    public var fingerprintsDigest: String?
    public var gitCommit: String?
    /// Whether the configuration directory had uncommitted changes.
    public var gitDirty: Bool?
    public var summary: [String: Int]
    public var changes: [Change]
    public var diagnostics: [Diagnostic]
    public var notes: [String]
    /// Set for a plan made with `--target`, `--exclude` or `--selector`: applying the saved plan
    /// applies that selection only.
    public var partial: PartialPlan?
    /// Set for a diff between two git refs (`syndic diff`) only.
    public var diff: DiffRefs?

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case generatedAt = "generated_at"
        case serial
        case configDigest = "config_digest"
        case fingerprintsDigest = "fingerprints_digest"
        case gitCommit = "git_commit"
        case gitDirty = "git_dirty"
        case summary, changes, diagnostics, notes, partial, diff
    }

    /// The document of a plan made against the state, which `syndic apply FILE` can apply.
    public init(_ planned: Reconciler.Planned, generatedAt: Date) {
        self.init(plan: planned.plan, generatedAt: generatedAt)
        serial = planned.serial
        configDigest = planned.loaded.configDigest
        fingerprintsDigest = planned.fingerprintsDigest
        gitCommit = planned.git?.commit
        gitDirty = planned.git?.dirty
    }

    /// The parts every document has: the plan's changes, summary, diagnostics and notes.
    init(plan: Plan, generatedAt: Date) {
        formatVersion = Self.currentFormatVersion
        self.generatedAt = Planner.timestamp(generatedAt, zone: "UTC")
        summary = Dictionary(uniqueKeysWithValues: plan.summary.map { ($0.action.rawValue, $0.count) })
        changes = plan.changes
        diagnostics = plan.diagnostics
        notes = plan.notes.map(\.text)
        partial = plan.partial
    }

    /// Encodes with sorted keys, pretty-printed.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a saved plan, refusing other format versions and diffs (which have no state to check).
    public static func read(from data: Data, path: String) throws -> PlanDocument {
        let document: PlanDocument
        do {
            document = try JSONDecoder().decode(PlanDocument.self, from: data)
        } catch {
            throw StalePlan(reason: "\(path) is not a syndic plan file (\(error))")
        }
        guard document.formatVersion == currentFormatVersion else {
            throw StalePlan(reason: "\(path) has plan format \(document.formatVersion); this syndic reads \(currentFormatVersion)")
        }
        if document.diff != nil {
            throw StalePlan(reason: "\(path) is a diff between two git refs, made without the state, so it cannot be applied")
        }
        guard document.serial != nil, document.configDigest != nil, document.fingerprintsDigest != nil else {
            throw StalePlan(reason: "\(path) is not a saved plan: it lacks serial, config_digest or fingerprints_digest")
        }
        return document
    }

    /// Why this saved plan no longer matches, or nil when it still does.
    public func staleness(against planned: Reconciler.Planned) -> String? {
        guard let serial, let configDigest, let fingerprintsDigest else {
            return "the file is not a plan made against the state"
        }
        if serial != planned.serial {
            return "the state changed since the plan was made (serial \(serial) -> \(planned.serial))"
        }
        if let planned = planned.git?.commit, let made = gitCommit, planned != made {
            return "HEAD moved since the plan was made (\(made.prefix(12)) -> \(planned.prefix(12)))"
        }
        if configDigest != planned.loaded.configDigest {
            return "the configuration files changed since the plan was made"
        }
        if fingerprintsDigest != planned.fingerprintsDigest {
            return "a secret's value changed since the plan was made"
        }
        return nil
    }
}

/// A saved plan that cannot be applied as it is.
public struct StalePlan: Error, CustomStringConvertible {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { "stale plan: \(reason); nothing was applied. Run `syndic plan --out FILE` again, review it, then apply it" }
}
