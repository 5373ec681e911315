import Foundation
import SyndicCore

/// Turns a plan into the one batch of writes an apply commits.
public enum Applier {
    /// The batch that makes the state match the planned configuration.
    public static func batch(for planned: Reconciler.Planned, user: String, at date: Date) -> ApplyBatch {
        let plan = planned.plan
        let touched = Set(plan.changes.filter { $0.action != .delete }.map(\.address))
        let upserts = planned.desired.resources.filter { touched.contains($0.address) }.map { resource in
            AppliedResource(kind: resource.kind, name: resource.name, type: resource.type, specJSON: resource.specJSON,
                            labelsJSON: resource.labelsJSON, sourceFile: resource.file)
        }
        let relocated = planned.desired.resources.filter { resource in
            !touched.contains(resource.address)
                && planned.actual.resources[resource.address].map { $0.sourceFile != resource.file } == true
        }.map { (kind: $0.kind, name: $0.name, sourceFile: $0.file) }
        var jobSchedules: [String: [JobKind: JobScheduleEntry]] = [:]
        for resource in planned.desired.resources where resource.kind == .channel && touched.contains(resource.address) {
            guard let spec = try? resource.specValue() else { continue }
            let zone = ChannelJobs.timeZone(of: spec)
            jobSchedules[resource.name] = ChannelJobs.schedules(of: spec).mapValues {
                JobScheduleEntry(schedule: $0, timeZone: zone)
            }
        }
        let deletions = plan.changes.filter { $0.action == .delete }.map { (kind: $0.kind, name: $0.name) }
        var fingerprints: [String: [String: String]] = [:]
        for resource in upserts { fingerprints[resource.address] = planned.desired.fingerprints[resource.address] ?? [:] }
        var batch = ApplyBatch(expectedSerial: planned.serial, upserts: upserts, deletions: deletions,
                               fingerprints: fingerprints, relocated: relocated, jobSchedules: jobSchedules,
                               changes: history(of: plan), cache: planned.loaded.compiled,
                               user: user, gitCommit: planned.git?.display, configDigest: planned.loaded.configDigest, at: date)
        batch.renames = plan.renames.map { rename in
            let old = planned.desired.formerFingerprints[Address.of(rename.kind, rename.from)] ?? [:]
            let new = planned.desired.fingerprints[Address.of(rename.kind, rename.to)] ?? [:]
            let moves = old.keys.sorted().compactMap { path in
                new[path].map { FingerprintMove(path: path, from: old[path]!, to: $0) }
            }
            return ResourceRename(kind: rename.kind, from: rename.from, to: rename.to, fingerprints: moves)
        }
        batch.digestRewrites = digestRewrites(planned, upserts: upserts)
        batch.baseDirectory = FileManager.default.currentDirectoryPath
        return batch
    }

    /// The delta snapshots to keep valid across a renamed source connection: a channel whose
    /// output-shaping settings differ only by the connection's new name keeps its snapshot.
    static func digestRewrites(_ planned: Reconciler.Planned, upserts: [AppliedResource]) -> [DigestRewrite] {
        let renamedConnections = Dictionary(planned.plan.renames.filter { $0.kind == .connection }.map { ($0.from, $0.to) },
                                            uniquingKeysWith: { first, _ in first })
        guard !renamedConnections.isEmpty else { return [] }
        let formerAddress = Dictionary(planned.plan.changes.compactMap { change in
            change.formerAddress.map { (change.address, $0) }
        }, uniquingKeysWith: { first, _ in first })
        var rewrites: [DigestRewrite] = []
        for resource in upserts where resource.kind == .channel {
            guard let applied = planned.actual.resources[formerAddress[resource.address] ?? resource.address],
                  let old = try? CanonicalJSON.parse(applied.specJSON), let new = try? CanonicalJSON.parse(resource.specJSON),
                  let connection = old.value(at: "source.connection")?.stringValue,
                  let renamed = renamedConnections[connection] else { continue }
            let from = ProductExportProgram.specDigest(of: old)
            let to = ProductExportProgram.specDigest(of: new)
            if from != to, ProductExportProgram.specDigest(of: old.setting("source.connection", to: .string(renamed))) == to {
                rewrites.append(DigestRewrite(channel: resource.name, from: from, to: to))
            }
        }
        return rewrites
    }

    /// One history row per changed field and schedule (one row for a create, and for changes
    /// without fields).
    static func history(of plan: Plan) -> [HistoryChange] {
        var rows: [HistoryChange] = []
        for change in plan.changes {
            let action = change.action.rawValue
            // A create sets every field: one row says so, and later rows show what changed since.
            if change.action == .create {
                rows.append(HistoryChange(address: change.address, action: action, field: nil, before: nil,
                                          after: "\(change.fields.count) field\(change.fields.count == 1 ? "" : "s")"))
                continue
            }
            if change.action == .rename {
                rows.append(HistoryChange(address: change.address, action: action, field: "name",
                                          before: change.formerName, after: change.name))
            }
            for field in change.fields {
                rows.append(HistoryChange(address: change.address, action: action, field: field.path,
                                          before: field.before, after: field.after))
            }
            for schedule in change.schedules {
                rows.append(HistoryChange(address: change.address, action: action, field: "schedule.\(schedule.job.rawValue)",
                                          before: schedule.before?.schedule, after: schedule.after?.schedule))
            }
            if change.fields.isEmpty && change.schedules.isEmpty && change.action != .rename {
                rows.append(HistoryChange(address: change.address, action: action, field: nil, before: nil, after: nil))
            }
        }
        return rows
    }
}
