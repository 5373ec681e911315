import Foundation
import SyndicCore

/// `syndic diff REF1 REF2`: what merging REF2 over REF1 would change, planned from the
/// configuration at both refs alone (no state, no secrets: rotations are not shown).
public enum ConfigDiff {
    /// The plan from the configuration at `base` to the configuration at `head`, limited to
    /// `selection` (labels and references as written at each ref).
    public static func plan(directory path: String, base: String, head: String, now: Date,
                            selection: PlanSelection = PlanSelection()) throws -> Plan {
        let ignoreSecrets: ConfigValidator.SecretProbe = { _, _ in nil }
        func load(_ ref: String) throws -> ValidatedConfig {
            let files = try ConfigDirectory(path: path, gitRef: ref).readFiles()
            let validated = ConfigValidator.validate(ConfigCompiler.compile(files, cache: [:]), probe: ignoreSecrets)
            if validated.hasErrors {
                throw ValidationFailed(diagnostics: validated.diagnostics.map { diagnostic in
                    var located = diagnostic
                    located.message = "at \(ref): \(diagnostic.message)"
                    return located
                })
            }
            return validated
        }
        let before = try load(base), after = try load(head)
        var actual = ActualState()
        for resource in before.resources {
            actual.resources[resource.address] = AppliedResource(
                kind: resource.kind, name: resource.name, type: resource.type, specJSON: resource.specJSON,
                labelsJSON: resource.labelsJSON, sourceFile: resource.file)
        }
        let desired = DesiredState(resources: after.resources, fingerprints: [:])
        let plan = Planner(now: now).plan(desired: desired, actual: actual, diagnostics: after.diagnostics)
        return try PlanNarrowing(desired: desired, actual: actual).narrow(plan, to: selection)
    }
}
