/// Narrows a whole plan to a selection, as Terraform's `-target` does: the picked resources'
/// changes, plus the changes of the resources they need, and nothing else. Pure.
///
/// What a picked change needs:
/// - the resources its configuration references (a channel's source and storage connections, a
///   notification's channels), when they have changes of their own;
/// - for a picked delete or rename, the resources whose stored configuration references the
///   name that goes away, when they have changes (they must follow, or the state would point at
///   nothing).
/// An excluded resource that a picked change needs is an error, as is a target or exclusion
/// that names no resource of the configuration or the state.
public struct PlanNarrowing: Sendable {
    public var desired: DesiredState
    public var actual: ActualState

    public init(desired: DesiredState, actual: ActualState) {
        self.desired = desired
        self.actual = actual
    }

    /// The plan limited to `selection` (the plan itself when the selection picks everything).
    public func narrow(_ plan: Plan, to selection: PlanSelection) throws(SelectionError) -> Plan {
        guard !selection.isEverything else { return plan }
        try selection.checkAddresses()
        let requirements = try selection.requirements()
        let desiredByAddress = Dictionary(desired.resources.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        // A former name still names its resource, before and after the rename is applied.
        var formerOf: [String: Set<String>] = [:]
        for resource in desired.resources {
            for former in resource.formerNames { formerOf[resource.address, default: []].insert(Address.of(resource.kind, former.name)) }
        }
        let known = Set(desiredByAddress.keys).union(actual.resources.keys).union(formerOf.values.joined())
        for (option, address) in selection.targets.map({ ("--target", $0) }) + selection.excludes.map({ ("--exclude", $0) })
            where !known.contains(address) {
            throw SelectionError("\(option) \(address): no such resource in the configuration or the state")
        }

        // The changed resources, each under its address and, when renamed, its former one.
        let changed = Set(plan.changes.map(\.address))
        var aliases: [String: Set<String>] = [:]
        var renamedTo: [String: String] = [:]
        for change in plan.changes {
            aliases[change.address, default: [change.address]].formUnion(formerOf[change.address] ?? [])
            if let former = change.formerAddress {
                aliases[change.address, default: []].insert(former)
                renamedTo[former] = change.address
            }
        }
        let excluded = Set(selection.excludes)
        func isExcluded(_ address: String) -> Bool { !(aliases[address] ?? [address]).isDisjoint(with: excluded) }
        func labels(_ address: String) -> [String: String] {
            if let resource = desiredByAddress[address] { return resource.labels }
            guard let applied = actual.resources[address], let value = try? CanonicalJSON.parse(applied.labelsJSON)
            else { return [:] }
            return (value.objectValue ?? [:]).compactMapValues(\.stringValue)
        }
        let targets = Set(selection.targets)
        let picked: [String] = changed.sorted().filter { address in
            (targets.isEmpty || !(aliases[address] ?? [address]).isDisjoint(with: targets))
                && requirements.allSatisfy { $0.matches(labels(address)) } && !isExcluded(address)
        }

        // Dependencies, transitively.
        let dependents = storedDependents()
        var included = Set(picked)
        var dependencies: [String] = []
        var queue = picked
        while let address = queue.popLast() {
            var needed: [(String, String)] = []
            for reference in desiredByAddress[address]?.references ?? [] {
                needed.append((Address.of(reference.kind, reference.name), "\(address) references it"))
            }
            let goes = plan.changes.filter { $0.address == address && ($0.action == .delete || $0.action == .rename) }
            for change in goes {
                let gone = change.action == .delete ? change.address : change.formerAddress ?? change.address
                for dependent in dependents[gone] ?? [] {
                    needed.append((dependent, "it references \(gone), which the plan \(change.action == .delete ? "deletes" : "renames")"))
                }
            }
            for (dependency, reason) in needed.map({ (renamedTo[$0.0] ?? $0.0, $0.1) }) where changed.contains(dependency) && !included.contains(dependency) {
                if isExcluded(dependency) {
                    throw SelectionError("\(address) needs \(dependency) (\(reason)), which --exclude leaves out; "
                                         + "include it or leave out \(address) too")
                }
                included.insert(dependency)
                dependencies.append(dependency)
                queue.append(dependency)
            }
        }
        var narrowed = plan
        narrowed.changes = plan.changes.filter { included.contains($0.address) }
        narrowed.partial = PartialPlan(selection: selection, dependencies: dependencies.sorted(),
                                       leftOut: changed.subtracting(included).sorted())
        return narrowed
    }

    /// Address -> the applied resources whose stored spec references it.
    private func storedDependents() -> [String: [String]] {
        var dependents: [String: [String]] = [:]
        for applied in actual.resources.values.sorted(by: { $0.address < $1.address }) {
            guard let spec = try? CanonicalJSON.parse(applied.specJSON) else { continue }
            for address in SpecReferences.addresses(in: spec, of: applied.kind) {
                dependents[address, default: []].append(applied.address)
            }
        }
        return dependents
    }
}
