import Yams

/// Checks a YAML node tree against a `SchemaNode`, producing a normalized `Value`.
///
/// Every problem becomes a located diagnostic; walking never stops at the first one.
/// Along the way it records where each key path sits in the file, which secrets the
/// document declares and which other resources it references.
struct SchemaWalker {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var locations: [String: SourceLocation] = [:]
    private(set) var secrets: [SecretField] = []
    private(set) var references: [ResourceReference] = []

    init(file: String) { self.file = file }

    /// The location of a node in this file.
    func location(of node: Node) -> SourceLocation? {
        node.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
    }

    mutating func error(_ message: String, _ node: Node, hint: String? = nil) {
        diagnostics.append(.error(message, at: location(of: node), hint: hint))
    }

    /// Walks `node` at `path` against `schema`; nil when the value is absent or invalid.
    mutating func walk(_ node: Node, _ schema: SchemaNode, path: String) -> Value? {
        if let mark = location(of: node) { locations[path] = mark }
        if case .alias = node {
            error("\(path): YAML aliases are not supported; write the value out", node)
            return nil
        }
        if node.isNull { return nil }
        switch schema {
        case .object(let object):
            return walkObject(node, object, path: path)
        case .dictionary(let keyPattern, let valueSchema, _):
            guard let mapping = node.mapping else { return typeMismatch(node, "a mapping", path) }
            var members: [String: Value] = [:]
            for (keyNode, valueNode) in mapping {
                guard let key = keyNode.scalar?.string else { error("\(path): keys must be strings", keyNode); continue }
                if let keyPattern, !keyPattern.matches(key) {
                    error("\(path): key \"\(key)\" does not match \(keyPattern.regex)", keyNode)
                    continue
                }
                if let value = walk(valueNode, valueSchema, path: "\(path).\(key)") { members[key] = value }
            }
            return .object(members)
        case .list(let item, _):
            guard let sequence = node.sequence else { return typeMismatch(node, "a list", path) }
            var items: [Value] = []
            var invalid = false
            for (index, element) in sequence.enumerated() {
                if let value = walk(element, item, path: "\(path)[\(index)]") { items.append(value) } else { invalid = true }
            }
            // A list with a bad item is dropped whole: the item's error says it all, and the
            // rules do not report a second problem about a shortened list.
            return invalid ? nil : .list(items)
        case .string(let string):
            return walkString(node, string, path: path)
        case .integer(let min, let max, _):
            guard let scalar = node.scalar else { return typeMismatch(node, "an integer", path) }
            guard scalar.style == .plain, let number = Int(scalar.string) else {
                return typeMismatch(node, "an integer", path)
            }
            if let min, number < min { error("\(path): \(number) is below the minimum \(min)", node); return nil }
            if let max, number > max { error("\(path): \(number) is above the maximum \(max)", node); return nil }
            return .int(number)
        case .boolean:
            guard let scalar = node.scalar else { return typeMismatch(node, "true or false", path) }
            switch (scalar.style, scalar.string) {
            case (.plain, "true"), (.plain, "True"), (.plain, "TRUE"): return .bool(true)
            case (.plain, "false"), (.plain, "False"), (.plain, "FALSE"): return .bool(false)
            case (.plain, "yes"), (.plain, "no"), (.plain, "on"), (.plain, "off"), (.plain, "1"), (.plain, "0"):
                error("\(path): expected true or false, got \(scalar.string)", node, hint: "write true or false")
                return nil
            default: return typeMismatch(node, "true or false", path)
            }
        case .secret:
            return walkSecret(node, path: path)
        case .reference(let kind, let allowedTypes, _):
            guard let scalar = node.scalar else { return typeMismatch(node, "a \(kind.addressPrefix) name", path) }
            let name = scalar.string
            guard Pattern.resourceName.matches(name) else {
                error("\(path): \"\(name)\" is not a valid \(kind.addressPrefix) name (\(Pattern.resourceName.regex))", node)
                return nil
            }
            references.append(ResourceReference(kind: kind, name: name, path: path,
                                                allowedTypes: allowedTypes, location: location(of: node)))
            return .string(name)
        case .stringOrObject(let string, let object):
            if node.mapping != nil { return walkObject(node, object, path: path) }
            return walkString(node, string, path: path)
        case .any:
            return plainValue(node, path: path)
        }
    }

    // MARK: - Kinds of node

    private mutating func walkObject(_ node: Node, _ object: ObjectSchema, path: String) -> Value? {
        guard let mapping = node.mapping else { return typeMismatch(node, "a mapping", path) }
        var members: [String: Value] = [:]
        var seen: Set<String> = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.scalar?.string else { error("\(path): keys must be strings", keyNode); continue }
            seen.insert(key)
            // The spec's own keys are addressed without a prefix: `products.export.delta`.
            let childPath = path.isEmpty ? (key == "spec" ? "" : key) : "\(path).\(key)"
            guard let field = object.field(key) else {
                let known = object.fields.map(\.name)
                let where_ = path.isEmpty ? "" : " in \(path)"
                error("unknown key \"\(key)\"\(where_)", keyNode,
                      hint: Suggestion.didYouMean(key, among: known) ?? "known keys: \(known.joined(separator: ", "))")
                continue
            }
            if let value = walk(valueNode, field.node, path: childPath) { members[key] = value }
        }
        let at = path.isEmpty ? "" : "\(path): "
        for field in object.fields where field.required {
            if !seen.contains(field.name) {
                error("\(at)missing required key \"\(field.name)\"", node)
            } else if members[field.name] == nil, let valueNode = mapping[field.name], valueNode.isNull {
                error("\(at)required key \"\(field.name)\" has no value", valueNode)
            }
        }
        return .object(members)
    }

    private mutating func walkString(_ node: Node, _ schema: StringSchema, path: String) -> Value? {
        guard let scalar = node.scalar else { return typeMismatch(node, "a string", path) }
        let text = scalar.string
        if let values = schema.values, !values.contains(text) {
            error("\(path): \"\(text)\" is not one of \(values.joined(separator: ", "))", node,
                  hint: Suggestion.didYouMean(text, among: values))
            return nil
        }
        if let pattern = schema.pattern, !pattern.matches(text) {
            error("\(path): \"\(text)\" does not match \(pattern.regex)", node)
            return nil
        }
        return .string(text)
    }

    private mutating func walkSecret(_ node: Node, path: String) -> Value? {
        guard let mapping = node.mapping else {
            // Never echo the value: it may be a real secret pasted by mistake.
            error("\(path) is a secret and must not be written inline", node,
                  hint: "use {env: NAME} or {file: PATH}")
            return nil
        }
        guard mapping.count == 1, let (keyNode, valueNode) = mapping.first.map({ ($0.key, $0.value) }),
              let source = keyNode.scalar?.string, let reference = valueNode.scalar?.string,
              source == "env" || source == "file" else {
            error("\(path): a secret takes exactly one of {env: NAME} or {file: PATH}", node)
            return nil
        }
        if source == "env", !Pattern.environmentName.matches(reference) {
            error("\(path): \"\(reference)\" is not a valid environment variable name", valueNode)
            return nil
        }
        if reference.isEmpty {
            error("\(path): the secret file path is empty", valueNode)
            return nil
        }
        let secret: SecretReference = source == "env" ? .env(reference) : .file(reference)
        secrets.append(SecretField(path: path, reference: secret, location: location(of: node)))
        return secret.value
    }

    private mutating func plainValue(_ node: Node, path: String) -> Value? {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.string) }
            let text = scalar.string
            if text == "true" { return .bool(true) }
            if text == "false" { return .bool(false) }
            if let number = Int(text) { return .int(number) }
            if let number = Double(text), text.first != ".", text.last != "." { return .double(number) }
            return .string(text)
        case .sequence(let sequence):
            return .list(sequence.enumerated().compactMap { plainValue($1, path: "\(path)[\($0)]") })
        case .mapping(let mapping):
            var members: [String: Value] = [:]
            for (key, value) in mapping {
                if let name = key.scalar?.string, let item = plainValue(value, path: "\(path).\(name)") {
                    members[name] = item
                }
            }
            return .object(members)
        case .alias:
            error("\(path): YAML aliases are not supported; write the value out", node)
            return nil
        }
    }

    private mutating func typeMismatch(_ node: Node, _ expected: String, _ path: String) -> Value? {
        error("\(path.isEmpty ? "spec" : path): expected \(expected), got \(node.shapeDescription)", node)
        return nil
    }
}

extension Node {
    /// Whether the node is an empty or explicit null scalar.
    var isNull: Bool {
        guard let scalar = scalar, scalar.style == .plain else { return false }
        return scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" || scalar.string == "Null"
    }

    /// "a mapping", "a list" or "a string", for type errors. Scalars are never echoed.
    var shapeDescription: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let scalar):
            if scalar.style != .plain { return "a quoted string" }
            if Int(scalar.string) != nil { return "a number" }
            if ["true", "false"].contains(scalar.string) { return "a boolean" }
            return "a string"
        case .alias: return "an alias"
        }
    }
}
