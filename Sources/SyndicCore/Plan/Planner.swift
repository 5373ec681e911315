import Foundation

/// Diffs desired resources against the actual state into an ordered plan. Pure.
///
/// Order: connections are created and updated before the channels that use them; channel
/// deletes come next, and connection deletes last. Within a resource: create, update,
/// rotate, activate/deactivate, schedule, unschedule, delete.
public struct Planner: Sendable {
    /// How many next fire times a schedule change shows.
    public static let fireTimesShown = 3

    public var now: Date

    public init(now: Date) { self.now = now }

    /// The plan that makes `actual` match `desired`.
    public func plan(desired: DesiredState, actual: ActualState, diagnostics: [Diagnostic] = []) -> Plan {
        var changes: [Change] = []
        let desiredAddresses = Set(desired.resources.map(\.address))
        let renames = Planner.renames(desired: desired, actual: actual)
        // Channels reference connections by name: a reference that follows a renamed
        // connection resends nothing.
        let renamedNames = Dictionary(renames.values.filter { $0.former.kind == .connection }
                                          .map { ($0.former.name, $0.resource.name) },
                                      uniquingKeysWith: { first, _ in first })
        for resource in desired.resources.sorted(by: Planner.resourceOrder) {
            let wanted = desired.fingerprints[resource.address] ?? [:]
            if let applied = actual.resources[resource.address] {
                changes += diff(resource, applied, wanted: wanted, had: actual.fingerprints[resource.address] ?? [:],
                                renamedNames: renamedNames)
            } else if let applied = renames[resource.address]?.former {
                // Fingerprints cover the address: the stored ones compare with the current
                // values' under the old address.
                changes += rename(resource, from: applied, wanted: desired.formerFingerprints[applied.address] ?? [:],
                                  had: actual.fingerprints[applied.address] ?? [:], renamedNames: renamedNames)
            } else {
                changes.append(create(resource))
            }
        }
        let renamedFrom = Set(renames.values.map(\.former.address))
        let removed = actual.resources.values.filter { !desiredAddresses.contains($0.address) && !renamedFrom.contains($0.address) }
        for applied in removed.sorted(by: Planner.deleteOrder) {
            let data = applied.kind == .channel ? actual.ownedData[applied.name] ?? [] : []
            changes.append(delete(applied, data: data))
        }
        let renamedTo = Dictionary(renames.values.map { ($0.former.address, $0.resource.address) },
                                   uniquingKeysWith: { first, _ in first })
        return Plan(changes: changes, diagnostics: diagnostics,
                    notes: notes(actual: actual, desired: desiredAddresses, renamedTo: renamedTo))
    }

    // MARK: - Renames

    /// New address -> the resource and the applied resource it was: a desired resource not in
    /// the state whose `metadata.formerNames` names an applied resource of its kind that the
    /// configuration no longer declares (the first such name wins; each is taken once).
    static func renames(desired: DesiredState, actual: ActualState)
        -> [String: (resource: CompiledResource, former: AppliedResource)] {
        let desiredAddresses = Set(desired.resources.map(\.address))
        var taken: Set<String> = []
        var renames: [String: (resource: CompiledResource, former: AppliedResource)] = [:]
        for resource in desired.resources.sorted(by: Planner.resourceOrder)
            where actual.resources[resource.address] == nil {
            for former in resource.formerNames {
                let address = Address.of(resource.kind, former.name)
                guard let applied = actual.resources[address], !desiredAddresses.contains(address),
                      !taken.contains(address) else { continue }
                taken.insert(address)
                renames[resource.address] = (resource, applied)
                break
            }
        }
        return renames
    }

    /// A rename with the field changes that come with it, then the resource's other changes
    /// (activation, schedules, rotations) as for any update.
    func rename(_ resource: CompiledResource, from applied: AppliedResource, wanted: [String: String],
                had: [String: String], renamedNames: [String: String]) -> [Change] {
        var changes = diff(resource, applied, wanted: wanted, had: had, renamedNames: renamedNames)
        var rename = Change(address: resource.address, kind: resource.kind, name: resource.name, action: .rename,
                            formerAddress: applied.address)
        if let index = changes.firstIndex(where: { $0.action == .update }) {
            rename.fields = changes[index].fields
            rename.notes = changes[index].notes
            changes.remove(at: index)
        }
        rename.notes.append(.renamed(kind: resource.kind, from: applied.name, to: resource.name))
        return [rename] + changes
    }

    // MARK: - Create and delete

    func create(_ resource: CompiledResource) -> Change {
        let spec = (try? resource.specValue()) ?? .object([:])
        // The recorded column order is the mapping's own order: the mapping's fields show it.
        var fields = ValueFlattener.leaves(spec).filter { $0.path != ColumnOrderChange.path }
            .map { FieldChange(path: $0.path, before: nil, after: $0.text) }
        fields += resource.labels.keys.sorted().map { FieldChange(path: "labels.\($0)", before: nil, after: resource.labels[$0]) }
        var change = Change(address: resource.address, kind: resource.kind, name: resource.name, action: .create,
                            fields: fields)
        if resource.kind == .channel {
            let zone = ChannelJobs.timeZone(of: spec)
            change.schedules = ChannelJobs.schedules(of: spec).sorted { $0.key < $1.key }.map {
                ScheduleChange(job: $0.key, timeZone: zone, before: nil, after: times($0.value, zone: zone))
            }
            if !ChannelJobs.isActive(spec), !change.schedules.isEmpty {
                change.notes.append(.inactiveChannel)
            }
        }
        return change
    }

    func delete(_ applied: AppliedResource, data: [DataCount]) -> Change {
        var change = Change(address: applied.address, kind: applied.kind, name: applied.name, action: .delete, data: data)
        if applied.kind == .channel {
            if let spec = try? CanonicalJSON.parse(applied.specJSON) {
                let zone = ChannelJobs.timeZone(of: spec)
                change.schedules = ChannelJobs.schedules(of: spec).sorted { $0.key < $1.key }.map {
                    ScheduleChange(job: $0.key, timeZone: zone, before: times($0.value, zone: zone), after: nil)
                }
            }
            change.notes.append(.deleteNeedsConfirmation(channel: applied.name))
        }
        if Protection.isProtected(labelsJSON: applied.labelsJSON) {
            change.blocked = "protected by the label \(Protection.label): \"true\"; apply a change that removes "
                + "the label first, then delete it"
        }
        return change
    }

    // MARK: - Update

    func diff(_ resource: CompiledResource, _ applied: AppliedResource, wanted: [String: String],
              had: [String: String], renamedNames: [String: String] = [:]) -> [Change] {
        var changes: [Change] = []
        func make(_ action: ChangeAction) -> Change {
            Change(address: resource.address, kind: resource.kind, name: resource.name, action: action)
        }
        if resource.specJSON != applied.specJSON || resource.labelsJSON != applied.labelsJSON {
            changes += specChanges(resource, applied, renamedNames: renamedNames, make: make)
        }
        let rotated = wanted.keys.sorted().filter { had[$0] != nil && had[$0] != wanted[$0] }
        if !rotated.isEmpty {
            var rotate = make(.rotate)
            rotate.fields = rotated.map {
                FieldChange(path: $0, before: "fingerprint " + Planner.short(had[$0]!), after: "fingerprint " + Planner.short(wanted[$0]!))
            }
            rotate.notes.append(.credentialRotated)
            changes.append(rotate)
        }
        return changes.sorted { Planner.actionRank($0.action) < Planner.actionRank($1.action) }
    }

    private func specChanges(_ resource: CompiledResource, _ applied: AppliedResource, renamedNames: [String: String],
                             make: (ChangeAction) -> Change) -> [Change] {
        let before = Dictionary(leavesOf: applied.specJSON, labels: applied.labelsJSON)
        let after = Dictionary(leavesOf: resource.specJSON, labels: resource.labelsJSON)
        let paths = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
        var changes: [Change] = []
        var handled: Set<String> = []

        if resource.kind == .channel, let old = try? CanonicalJSON.parse(applied.specJSON),
           let new = try? resource.specValue() {
            if ChannelJobs.isActive(old) != ChannelJobs.isActive(new) {
                var change = make(ChannelJobs.isActive(new) ? .activate : .deactivate)
                change.fields = [FieldChange(path: "status", before: old["status"]?.stringValue ?? "inactive",
                                             after: new["status"]?.stringValue ?? "inactive")]
                changes.append(change)
                handled.insert("status")
            }
            let (scheduled, unscheduled, schedulePaths) = scheduleChanges(old: old, new: new)
            handled.formUnion(paths.filter { path in schedulePaths.contains { path == $0 || path.hasPrefix($0 + ".") } })
            if !scheduled.isEmpty {
                var change = make(.schedule)
                change.schedules = scheduled
                if !ChannelJobs.isActive(new) { change.notes.append(.inactiveChannel) }
                changes.append(change)
            }
            if !unscheduled.isEmpty {
                var change = make(.unschedule)
                change.schedules = unscheduled
                changes.append(change)
            }
            // Targets added or removed change the recorded order too; only a reorder of the
            // targets both sides map is a change of its own.
            handled.insert(ColumnOrderChange.path)
            let reorder = ColumnOrderChange.of(old: old, new: new)
            let remaining = paths.filter { !handled.contains($0) }
            if !remaining.isEmpty || reorder != nil {
                var update = make(.update)
                update.fields = remaining.map { FieldChange(path: $0, before: before[$0], after: after[$0]) }
                if let reorder { update.fields = (update.fields + [reorder.field]).sorted { $0.path < $1.path } }
                // A reference that only follows a renamed resource changes nothing a partner sees.
                let followsRename = { (path: String) in
                    before[path].flatMap { renamedNames[$0] } != nil && before[path].flatMap { renamedNames[$0] } == after[path]
                }
                if let note = outputNote(remaining.filter { !followsRename($0) }, new: new) { update.notes.append(note) }
                if let note = reorder?.note { update.notes.append(note) }
                changes.append(update)
            }
        } else if !paths.isEmpty {
            var update = make(.update)
            update.fields = paths.map { FieldChange(path: $0, before: before[$0], after: after[$0]) }
            changes.append(update)
        }
        return changes
    }

    /// Jobs whose schedule turns on or changes, jobs whose schedule turns off, and the spec
    /// paths those changes account for.
    private func scheduleChanges(old: Value, new: Value)
        -> (on: [ScheduleChange], off: [ScheduleChange], paths: [String]) {
        let before = ChannelJobs.schedules(of: old)
        let after = ChannelJobs.schedules(of: new)
        let oldZone = ChannelJobs.timeZone(of: old), newZone = ChannelJobs.timeZone(of: new)
        var on: [ScheduleChange] = [], off: [ScheduleChange] = [], paths: [String] = []
        for job in JobKind.allCases {
            let was = before[job], will = after[job]
            let movedByZone = oldZone != newZone && was.map { fireDates($0, zone: oldZone) != fireDates($0, zone: newZone) } == true
            guard was != will || movedByZone else { continue }
            paths.append(ChannelJobs.controllingPaths[job]!)
            let change = ScheduleChange(job: job, timeZone: newZone,
                                        before: was.map { times($0, zone: oldZone) },
                                        after: will.map { times($0, zone: newZone) })
            if will == nil { off.append(change) } else { on.append(change) }
        }
        return (on, off, paths)
    }

    /// The note for changed spec `paths` that shape the exported output (mapping, filter,
    /// source, value separator), in the order of that list; nil when none does.
    private func outputNote(_ paths: [String], new: Value) -> ChangeNote? {
        let affectsOutput = ["products.mapping", "products.filter", "source.connection", "source.scope", "source.locales",
                             "products.export.valueSeparator"]
        let touched = affectsOutput.filter { prefix in paths.contains { $0 == prefix || $0.hasPrefix(prefix + ".") || $0.hasPrefix(prefix + "[") } }
        guard !touched.isEmpty else { return nil }
        return .outputChanged(settings: touched, deltaExport: new.value(at: "products.export.delta")?.boolValue == true)
    }

    // MARK: - Notes and helpers

    /// Suspensions and invalid credentials, under the names the resources will have once a
    /// rename in the plan is applied.
    private func notes(actual: ActualState, desired: Set<String>, renamedTo: [String: String]) -> [ChangeNote] {
        var notes: [ChangeNote] = []
        for name in actual.suspensions.keys.sorted() {
            let address = renamedTo[Address.of(.channel, name)] ?? Address.of(.channel, name)
            let current = Address.parse(address)?.1 ?? name
            notes.append(.suspended(channel: current, renamedFrom: current == name ? nil : name,
                                    suspension: actual.suspensions[name]!))
        }
        for stored in actual.credentialProblems.keys.sorted() {
            let address = renamedTo[stored] ?? stored
            guard desired.contains(address) else { continue }
            notes.append(.invalidCredentials(address: address, problem: actual.credentialProblems[stored]!))
        }
        return notes
    }

    /// The next fire instants of a schedule in a zone (compared as moments, not as text).
    func fireDates(_ schedule: Schedule, zone: String) -> [Date] {
        let timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
        return ScheduleCalculator(timeZone: timeZone).nextFireTimes(schedule, after: now, count: Planner.fireTimesShown)
    }

    func times(_ schedule: Schedule, zone: String) -> ScheduledTimes {
        let timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
        let dates = ScheduleCalculator(timeZone: timeZone).nextFireTimes(schedule, after: now, count: Planner.fireTimesShown)
        return ScheduledTimes(schedule: schedule.summary, next: dates.map { Timestamp.iso($0, zone: timeZone) })
    }

    /// ISO 8601 with the zone's offset: `2026-11-24T02:30:00+01:00`.
    public static func timestamp(_ date: Date, zone: String) -> String {
        Timestamp.iso(date, zone: zone)
    }

    /// The first 8 hex digits of a fingerprint: enough to tell two apart, nothing to reverse.
    static func short(_ fingerprint: String) -> String { String(fingerprint.prefix(8)) }

    static func actionRank(_ action: ChangeAction) -> Int { ChangeAction.allCases.firstIndex(of: action)! }

    static func resourceOrder(_ lhs: CompiledResource, _ rhs: CompiledResource) -> Bool {
        lhs.kind != rhs.kind ? lhs.kind < rhs.kind : lhs.name < rhs.name
    }

    static func deleteOrder(_ lhs: AppliedResource, _ rhs: AppliedResource) -> Bool {
        lhs.kind != rhs.kind ? rhs.kind < lhs.kind : lhs.name < rhs.name
    }
}

extension Dictionary where Key == String, Value == String {
    /// Flattened spec and label leaves of stored JSON texts.
    init(leavesOf specJSON: String, labels labelsJSON: String) {
        self.init()
        if let spec = try? CanonicalJSON.parse(specJSON) {
            for leaf in ValueFlattener.leaves(spec) { self[leaf.path] = leaf.text }
        }
        if let labels = try? CanonicalJSON.parse(labelsJSON) {
            for leaf in ValueFlattener.leaves(labels, prefix: "labels") where leaf.text != "{}" { self[leaf.path] = leaf.text }
        }
    }
}
