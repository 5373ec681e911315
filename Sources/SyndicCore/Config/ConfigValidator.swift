/// Checks across files: duplicate names, dangling or mistyped references, unresolvable secrets.
public enum ConfigValidator {
    /// Whether a secret can be read; returns the problem (naming the source, never a value) or nil.
    public typealias SecretProbe = @Sendable (SecretField, CompiledResource) -> String?

    /// The resources of all files and every diagnostic, file-local ones included.
    public static func validate(_ files: [CompiledFile], probe: SecretProbe) -> ValidatedConfig {
        var diagnostics = files.flatMap(\.diagnostics)
        let resources = files.flatMap(\.resources)
        var firstByAddress: [String: CompiledResource] = [:]
        var unique: [CompiledResource] = []
        for resource in resources {
            if let first = firstByAddress[resource.address] {
                let other = first.nameLocation.map { " (first declared at \($0))" } ?? ""
                diagnostics.append(.error("duplicate \(resource.kind.addressPrefix) name \"\(resource.name)\"\(other)",
                                          at: resource.nameLocation ?? resource.location))
            } else {
                firstByAddress[resource.address] = resource
                unique.append(resource)
            }
        }
        diagnostics += formerNameProblems(unique, byAddress: firstByAddress)
        let connectionNames = unique.filter { $0.kind == .connection }.map(\.name)
        for resource in unique {
            for reference in resource.references {
                guard let target = firstByAddress[Address.of(reference.kind, reference.name)] else {
                    let candidates = reference.kind == .connection ? connectionNames : []
                    diagnostics.append(.error(
                        "\(reference.path): \(reference.kind.addressPrefix) \"\(reference.name)\" is not declared",
                        at: reference.location ?? resource.location,
                        hint: Suggestion.didYouMean(reference.name, among: candidates)))
                    continue
                }
                if !reference.allowedTypes.isEmpty, !reference.allowedTypes.contains(target.type) {
                    diagnostics.append(.error(
                        "\(reference.path): \"\(reference.name)\" is \(Article.a(target.type)) \(reference.kind.addressPrefix); expected \(reference.allowedTypes.joined(separator: ", "))",
                        at: reference.location ?? resource.location))
                }
            }
            for secret in resource.secrets {
                if let problem = probe(secret, resource) {
                    diagnostics.append(.error("\(secret.path): \(problem)", at: secret.location ?? resource.location))
                }
            }
        }
        return ValidatedConfig(resources: unique, diagnostics: diagnostics.sortedForDisplay())
    }
}

extension ConfigValidator {
    /// A former name must name nothing declared (the resource would be both renamed and kept),
    /// nor the resource itself, nor be claimed by two resources of a kind.
    static func formerNameProblems(_ resources: [CompiledResource], byAddress: [String: CompiledResource]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var claimed: [String: (resource: CompiledResource, former: FormerName)] = [:]
        for resource in resources {
            for former in resource.formerNames {
                let address = Address.of(resource.kind, former.name)
                let at = former.location ?? resource.nameLocation ?? resource.location
                if former.name == resource.name {
                    diagnostics.append(.error("metadata.formerNames: \"\(former.name)\" is the resource's own name", at: at))
                } else if let other = byAddress[address] {
                    let there = (other.nameLocation ?? other.location).map { " at \($0)" } ?? " in \(other.file)"
                    diagnostics.append(.error(
                        "metadata.formerNames: \(address) is still declared\(there); a former name must no longer be in use",
                        at: at, hint: "remove \"\(former.name)\" from formerNames, or remove or rename the other resource"))
                } else if let first = claimed[address] {
                    let there = (first.former.location ?? first.resource.location).map { " at \($0)" } ?? ""
                    diagnostics.append(.error(
                        "metadata.formerNames: \(address) is also a former name of \(first.resource.address)\(there); "
                            + "a resource can be renamed into one only", at: at))
                } else {
                    claimed[address] = (resource, former)
                }
            }
        }
        return diagnostics
    }
}

/// The outcome of validation: the resources and every diagnostic, in display order.
public struct ValidatedConfig: Sendable {
    public var resources: [CompiledResource]
    public var diagnostics: [Diagnostic]

    public var hasErrors: Bool { diagnostics.hasErrors }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}
