/// Renders the resource schemas as a JSON Schema (draft 2020-12) for editors.
public enum JSONSchemaWriter {
    /// The schema of a syndic YAML document, pretty-printed.
    public static func schema() -> String {
        var document = node(.object(ResourceSchemas.document))
        guard case .object(var members) = document else { return "" }
        members["$schema"] = .string("https://json-schema.org/draft/2020-12/schema")
        members["title"] = .string("syndic resource (apiVersion syndic/v1)")
        members["allOf"] = .list(ResourceKind.allCases.map { kind in
            .object([
                "if": .object(["properties": .object(["kind": .object(["const": .string(kind.rawValue)])])]),
                "then": .object(["properties": .object(["spec": .object(["$ref": .string("#/$defs/\(kind.rawValue)Spec")])])]),
            ])
        })
        members["$defs"] = .object(Dictionary(uniqueKeysWithValues: ResourceKind.allCases.map {
            ("\($0.rawValue)Spec", node(.object(ResourceSchemas.spec(for: $0))))
        }))
        document = .object(members)
        return PrettyJSON.string(document)
    }

    /// The JSON Schema of one schema node.
    static func node(_ schema: SchemaNode) -> Value {
        var out: [String: Value] = [:]
        let doc = schema.doc
        if !doc.isEmpty { out["description"] = .string(doc) }
        switch schema {
        case .object(let object):
            out["type"] = .string("object")
            out["additionalProperties"] = .bool(false)
            out["properties"] = .object(Dictionary(uniqueKeysWithValues: object.fields.map { ($0.name, node($0.node)) }))
            let required = object.fields.filter(\.required).map { Value.string($0.name) }
            if !required.isEmpty { out["required"] = .list(required) }
        case .dictionary(let keyPattern, let value, _):
            out["type"] = .string("object")
            out["additionalProperties"] = node(value)
            if let keyPattern { out["propertyNames"] = .object(["pattern": .string(keyPattern.regex)]) }
        case .list(let item, _):
            out["type"] = .string("array")
            out["items"] = node(item)
        case .string(let string):
            out.merge(stringSchema(string)) { $1 }
        case .integer(let min, let max, _):
            out["type"] = .string("integer")
            if let min { out["minimum"] = .int(min) }
            if let max { out["maximum"] = .int(max) }
        case .boolean:
            out["type"] = .string("boolean")
        case .secret:
            out["type"] = .string("object")
            out["minProperties"] = .int(1)
            out["maxProperties"] = .int(1)
            out["additionalProperties"] = .bool(false)
            out["properties"] = .object([
                "env": .object(["type": .string("string"), "pattern": .string(Pattern.environmentName.regex),
                                "description": .string("Environment variable holding the secret.")]),
                "file": .object(["type": .string("string"),
                                 "description": .string("File holding the secret, relative to this file.")]),
            ])
        case .reference(let kind, let types, _):
            out["type"] = .string("string")
            out["pattern"] = .string(Pattern.resourceName.regex)
            if !types.isEmpty {
                out["description"] = .string("\(doc) The name of a \(kind.rawValue) of type \(types.joined(separator: ", ")).")
            }
        case .stringOrObject(let string, let object):
            out["oneOf"] = .list([.object(stringSchema(string)), node(.object(object))])
        case .any:
            break
        }
        return .object(out)
    }

    private static func stringSchema(_ string: StringSchema) -> [String: Value] {
        var out: [String: Value] = ["type": .string("string")]
        if !string.doc.isEmpty { out["description"] = .string(string.doc) }
        if let values = string.values { out["enum"] = .list(values.map(Value.string)) }
        if let pattern = string.pattern { out["pattern"] = .string(pattern.regex) }
        return out
    }
}

/// Indented JSON with sorted keys.
public enum PrettyJSON {
    public static func string(_ value: Value) -> String {
        var out = ""
        write(value, indent: "", into: &out)
        return out
    }

    private static func write(_ value: Value, indent: String, into out: inout String) {
        let inner = indent + "  "
        switch value {
        case .list(let items) where !items.isEmpty:
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += inner
                write(item, indent: inner, into: &out)
                out += index < items.count - 1 ? ",\n" : "\n"
            }
            out += indent + "]"
        case .object(let members) where !members.isEmpty:
            out += "{\n"
            let keys = members.keys.sorted()
            for (index, key) in keys.enumerated() {
                out += inner
                CanonicalJSON.writeString(key, into: &out)
                out += ": "
                write(members[key]!, indent: inner, into: &out)
                out += index < keys.count - 1 ? ",\n" : "\n"
            }
            out += indent + "}"
        default:
            CanonicalJSON.write(value, into: &out)
        }
    }
}
