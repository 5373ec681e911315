import Yams

/// Turns the text of one configuration file into compiled resources and diagnostics.
///
/// YAML is parsed with Yams' basic resolver (no regular-expression tag resolution):
/// scalars are typed by the schema, which is both stricter and faster.
public enum DocumentCompiler {
    /// Bumped whenever the checks change what a file compiles to; it invalidates parse caches.
    public static let rulesVersion = "syndic-rules-3"

    /// Compiles every `---` document of a file.
    public static func compile(_ file: ConfigFile) -> CompiledFile {
        var resources: [CompiledResource] = []
        var diagnostics: [Diagnostic] = []
        let size = file.text.utf8.count
        guard size <= DocumentLimits.maxFileBytes else {
            diagnostics.append(.error("the file is \(size) bytes: a configuration file holds at most \(DocumentLimits.maxFileBytes) "
                                      + "bytes (split it into several files)",
                                      at: SourceLocation(file: file.displayPath, line: 1, column: 1)))
            return CompiledFile(relativePath: file.relativePath, digest: file.digest, resources: [], diagnostics: diagnostics)
        }
        if let problem = DocumentLimits.problem(file.text) {
            diagnostics.append(.error(problem.message, at: SourceLocation(file: file.displayPath, line: problem.line,
                                                                          column: problem.column)))
            return CompiledFile(relativePath: file.relativePath, digest: file.digest, resources: [], diagnostics: diagnostics)
        }
        do {
            let parser = try Parser(yaml: file.text, resolver: .basic, encoding: .utf8)
            while let root = try parser.nextRoot() {
                if let resource = compileDocument(root, file: file.displayPath, diagnostics: &diagnostics) {
                    resources.append(resource)
                }
            }
        } catch {
            diagnostics.append(yamlDiagnostic(error, file: file.displayPath))
        }
        return CompiledFile(relativePath: file.relativePath, digest: file.digest,
                            resources: resources, diagnostics: diagnostics)
    }

    /// Compiles one document; nil when it is too broken to name a resource.
    static func compileDocument(_ root: Node, file: String, diagnostics: inout [Diagnostic]) -> CompiledResource? {
        var walker = SchemaWalker(file: file)
        guard let mapping = root.mapping else {
            if root.isNull { return nil }
            walker.error("a resource must be a mapping with apiVersion, kind, metadata and spec", root)
            diagnostics += walker.diagnostics
            return nil
        }
        let kind = mapping["kind"]?.scalar.flatMap { ResourceKind(rawValue: $0.string) }
        var schema = ResourceSchemas.document
        if let kind, let index = schema.fields.firstIndex(where: { $0.name == "spec" }) {
            schema.fields[index].node = .object(ResourceSchemas.spec(for: kind))
        }
        let document = walker.walk(root, .object(schema), path: "")
        let specValue = kind == nil ? nil : document?["spec"]
        let nameLocation = walker.locations["metadata.name"]
        let documentLocation = walker.location(of: root)
        // A name that failed its pattern still names the resource, so the spec is checked too.
        let writtenName = mapping["metadata"]?["name"]?.scalar?.string
        guard let kind, let name = document?.value(at: "metadata.name")?.stringValue ?? writtenName,
              var specValue else {
            diagnostics += walker.diagnostics
            return nil
        }
        // Derived after the walk, which rejects a `mappingOrder` written by hand as an unknown key.
        if kind == .channel { specValue = recordingMappingOrder(specValue, root: root) }
        var labels: [String: String] = [:]
        for (key, value) in document?.value(at: "metadata.labels")?.objectValue ?? [:] {
            labels[key] = value.stringValue
        }
        let formerNames = (document?.value(at: "metadata.formerNames")?.listValue ?? []).enumerated().compactMap {
            index, item in
            item.stringValue.map { FormerName(name: $0, location: walker.locations["metadata.formerNames[\(index)]"]) }
        }
        let resource = CompiledResource(
            kind: kind, name: name, type: specValue["type"]?.stringValue ?? "", file: file,
            location: documentLocation, nameLocation: nameLocation, labels: labels,
            specJSON: CanonicalJSON.string(specValue), spec: specValue, secrets: walker.secrets,
            references: walker.references, locations: walker.locations, formerNames: formerNames)
        diagnostics += walker.diagnostics
        if specValue["type"] != nil { diagnostics += ResourceRules.check(resource, spec: specValue) }
        // Returned even with errors, so that references and names are still checked across files.
        return resource
    }

    /// A located diagnostic for a Yams parse error.
    static func yamlDiagnostic(_ error: Error, file: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case YamlError.scanner(let context, let problem, let mark, _),
             YamlError.parser(let context, let problem, let mark, _),
             YamlError.composer(let context, let problem, let mark, _):
            let detail = context.map { "\($0.text) at line \($0.mark.line), " } ?? ""
            return .error("malformed YAML: \(detail)\(problem)", at: at(mark))
        case YamlError.duplicatedKeysInMapping(let duplicates, let context):
            return .error("duplicate key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")) in a mapping",
                          at: at(context.mark))
        case YamlError.reader(let problem, _, _, _):
            return .error("unreadable YAML: \(problem)", at: SourceLocation(file: file, line: 1, column: 1))
        default:
            return .error("malformed YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}
