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

/// The outcome of validation: the resources and every diagnostic, in display order.
public struct ValidatedConfig: Sendable {
    public var resources: [CompiledResource]
    public var diagnostics: [Diagnostic]

    public var hasErrors: Bool { diagnostics.hasErrors }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}
