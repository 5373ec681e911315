import Foundation
import SyndicCore

/// `syndic diff REF1 REF2`: what merging REF2 over REF1 would change, planned from the
/// configuration at both refs alone (no state, no secrets: rotations are not shown).
public enum ConfigDiff {
    /// The plan from the configuration at `base` to the configuration at `head`.
    public static func plan(directory path: String, base: String, head: String, now: Date) throws -> Plan {
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
        return Planner(now: now).plan(desired: DesiredState(resources: after.resources, fingerprints: [:]), actual: actual,
                                      diagnostics: after.diagnostics)
    }
}
