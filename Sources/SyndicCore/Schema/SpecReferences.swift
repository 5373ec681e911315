/// The resources a stored spec references, read with the same schema that validates it:
/// what an applied resource depends on, for plans that pick some resources only.
public enum SpecReferences {
    /// The addresses `spec` (of a resource of `kind`) references, sorted.
    public static func addresses(in spec: Value, of kind: ResourceKind) -> [String] {
        var found: Set<String> = []
        collect(spec, .object(ResourceSchemas.spec(for: kind)), into: &found)
        return found.sorted()
    }

    private static func collect(_ value: Value, _ node: SchemaNode, into found: inout Set<String>) {
        switch node {
        case .object(let object):
            for field in object.fields {
                if let member = value[field.name] { collect(member, field.node, into: &found) }
            }
        case .stringOrObject(_, let object):
            if value.objectValue != nil { collect(value, .object(object), into: &found) }
        case .dictionary(_, let inner, _):
            for member in (value.objectValue ?? [:]).values { collect(member, inner, into: &found) }
        case .list(let inner, _):
            for item in value.listValue ?? [] { collect(item, inner, into: &found) }
        case .reference(let kind, _, _):
            if let name = value.stringValue { found.insert(Address.of(kind, name)) }
        case .string, .integer, .boolean, .secret, .any:
            break
        }
    }
}
