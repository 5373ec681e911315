import Foundation
import SyndicCore

/// The JSON form of a plan (`syndic plan --format json`, `--out FILE`), versioned.
///
/// A saved plan records what it was made against (serial, configuration digest, secret
/// fingerprint digest, git commit) so that `syndic apply FILE` can refuse it when stale.
public struct PlanDocument: Codable, Sendable, Equatable {
    /// Bumped on any incompatible change of this format (docs/plan-json.md).
    public static let currentFormatVersion = "2"

    public var formatVersion: String
    public var generatedAt: String
    public var serial: Int
    public var configDigest: String
    public var fingerprintsDigest: String
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

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case generatedAt = "generated_at"
        case serial
        case configDigest = "config_digest"
        case fingerprintsDigest = "fingerprints_digest"
        case gitCommit = "git_commit"
        case gitDirty = "git_dirty"
        case summary, changes, diagnostics, notes, partial
    }

    public init(_ planned: Reconciler.Planned, generatedAt: Date) {
        formatVersion = Self.currentFormatVersion
        self.generatedAt = Planner.timestamp(generatedAt, zone: "UTC")
        serial = planned.serial
        configDigest = planned.loaded.configDigest
        fingerprintsDigest = planned.fingerprintsDigest
        gitCommit = planned.git?.commit
        gitDirty = planned.git?.dirty
        summary = Dictionary(uniqueKeysWithValues: planned.plan.summary.map { ($0.action.rawValue, $0.count) })
        changes = planned.plan.changes
        diagnostics = planned.plan.diagnostics
        notes = planned.plan.notes
        partial = planned.plan.partial
    }

    /// Encodes with sorted keys, pretty-printed.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a saved plan, refusing other format versions.
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
        return document
    }

    /// Why this saved plan no longer matches, or nil when it still does.
    public func staleness(against planned: Reconciler.Planned) -> String? {
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
