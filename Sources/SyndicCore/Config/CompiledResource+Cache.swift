/// The parse-cache form of a compiled resource: the facts validation and planning need,
/// as compact JSON, so an unchanged file is never parsed twice.
extension CompiledResource {
    /// Locations, secrets and references as JSON.
    public var cacheFacts: String {
        func position(_ location: SourceLocation?) -> Value {
            guard let location else { return .null }
            return .list([.int(location.line), .int(location.column)])
        }
        let secrets: [Value] = self.secrets.map { secret in
            let (source, reference): (String, String) = switch secret.reference {
            case .env(let name): ("env", name)
            case .file(let path): ("file", path)
            }
            return .list([.string(secret.path), .string(source), .string(reference), position(secret.location)])
        }
        let references: [Value] = self.references.map { reference in
            .list([.string(reference.kind.rawValue), .string(reference.name), .string(reference.path),
                   .list(reference.allowedTypes.map(Value.string)), position(reference.location)])
        }
        var facts: [String: Value] = [
            "at": position(location), "name_at": position(nameLocation),
            "secrets": .list(secrets), "references": .list(references),
        ]
        if !formerNames.isEmpty {
            facts["former"] = .list(formerNames.map { .list([.string($0.name), position($0.location)]) })
        }
        return CanonicalJSON.string(.object(facts))
    }

    /// Rebuilds a resource from its cached form; nil when the cache row is unreadable.
    public static func fromCache(kind: ResourceKind, name: String, type: String, labelsJSON: String,
                                 specJSON: String, facts: String, file: String) -> CompiledResource? {
        guard let facts = try? CanonicalJSON.parse(facts), let labels = try? CanonicalJSON.parse(labelsJSON) else {
            return nil
        }
        func location(_ value: Value?) -> SourceLocation? {
            guard let pair = value?.listValue, pair.count == 2, let line = pair[0].intValue,
                  let column = pair[1].intValue else { return nil }
            return SourceLocation(file: file, line: line, column: column)
        }
        var secrets: [SecretField] = []
        for item in facts["secrets"]?.listValue ?? [] {
            guard let parts = item.listValue, parts.count == 4, let path = parts[0].stringValue,
                  let source = parts[1].stringValue, let reference = parts[2].stringValue else { return nil }
            secrets.append(SecretField(path: path, reference: source == "env" ? .env(reference) : .file(reference),
                                       location: location(parts[3])))
        }
        var references: [ResourceReference] = []
        for item in facts["references"]?.listValue ?? [] {
            guard let parts = item.listValue, parts.count == 5, let kindText = parts[0].stringValue,
                  let targetKind = ResourceKind(rawValue: kindText), let target = parts[1].stringValue,
                  let path = parts[2].stringValue else { return nil }
            references.append(ResourceReference(kind: targetKind, name: target, path: path,
                                                allowedTypes: (parts[3].listValue ?? []).compactMap(\.stringValue),
                                                location: location(parts[4])))
        }
        var formerNames: [FormerName] = []
        for item in facts["former"]?.listValue ?? [] {
            guard let parts = item.listValue, parts.count == 2, let former = parts[0].stringValue else { return nil }
            formerNames.append(FormerName(name: former, location: location(parts[1])))
        }
        return CompiledResource(
            kind: kind, name: name, type: type, file: file, location: location(facts["at"]),
            nameLocation: location(facts["name_at"]),
            labels: (labels.objectValue ?? [:]).compactMapValues(\.stringValue), specJSON: specJSON,
            secrets: secrets, references: references, locations: [:], formerNames: formerNames)
    }
}

extension Diagnostic {
    /// Diagnostics of one file as cache JSON (the file path is not stored: it is re-joined on load).
    public static func cacheJSON(_ diagnostics: [Diagnostic]) -> String {
        CanonicalJSON.string(.list(diagnostics.map { diagnostic in
            .list([.string(diagnostic.severity.rawValue), .string(diagnostic.message),
                   diagnostic.hint.map(Value.string) ?? .null,
                   .int(diagnostic.location?.line ?? 0), .int(diagnostic.location?.column ?? 0)])
        }))
    }

    /// Reads diagnostics cached by `cacheJSON`, locating them in `file`.
    public static func fromCacheJSON(_ json: String, file: String) -> [Diagnostic] {
        guard let items = try? CanonicalJSON.parse(json).listValue else { return [] }
        return items.compactMap { item in
            guard let parts = item.listValue, parts.count == 5, let severityText = parts[0].stringValue,
                  let severity = Severity(rawValue: severityText), let message = parts[1].stringValue,
                  let line = parts[3].intValue, let column = parts[4].intValue else { return nil }
            let location = line > 0 ? SourceLocation(file: file, line: line, column: column) : nil
            return Diagnostic(severity, message, at: location, hint: parts[2].stringValue)
        }
    }
}
