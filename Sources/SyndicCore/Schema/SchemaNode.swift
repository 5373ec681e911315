/// The shape of a configuration value: drives both validation and the JSON Schema.
///
/// One description of the YAML serves `syndic validate` (the `SchemaWalker`) and
/// `syndic schema` (the `JSONSchemaWriter`), so the two never disagree.
public indirect enum SchemaNode: Sendable {
    /// A mapping with known keys; any other key is an error with a did-you-mean hint.
    case object(ObjectSchema)
    /// A mapping from free keys (matching `keyPattern` when given) to values of one shape.
    case dictionary(keyPattern: Pattern?, value: SchemaNode, doc: String)
    /// A sequence of values of one shape.
    case list(SchemaNode, doc: String)
    /// A string, optionally restricted to an enumeration or a pattern.
    case string(StringSchema)
    /// An integer within bounds.
    case integer(min: Int?, max: Int?, doc: String)
    /// `true` or `false`.
    case boolean(doc: String)
    /// A secret reference: `{env: NAME}` or `{file: PATH}`; an inline value is an error.
    case secret(doc: String)
    /// The name of another resource of `kind` (a reference checked across files).
    case reference(kind: ResourceKind, allowedTypes: [String], doc: String)
    /// Either a string of one shape or a mapping of another, chosen by the node's form.
    case stringOrObject(StringSchema, ObjectSchema)
    /// Any scalar, sequence or mapping (filter values).
    case any(doc: String)

    /// The documentation line of this node.
    public var doc: String {
        switch self {
        case .object(let object): return object.doc
        case .dictionary(_, _, let doc), .list(_, let doc), .integer(_, _, let doc),
             .boolean(let doc), .secret(let doc), .reference(_, _, let doc), .any(let doc):
            return doc
        case .string(let string): return string.doc
        case .stringOrObject(let string, _): return string.doc
        }
    }
}

/// A mapping with named fields.
public struct ObjectSchema: Sendable {
    public var doc: String
    public var fields: [Field]
    public init(doc: String, fields: [Field]) {
        self.doc = doc
        self.fields = fields
    }

    /// One named key of an object.
    public struct Field: Sendable {
        public var name: String
        public var node: SchemaNode
        public var required: Bool
        public init(_ name: String, _ node: SchemaNode, required: Bool = false) {
            self.name = name
            self.node = node
            self.required = required
        }
    }

    /// The field called `name`, if any.
    public func field(_ name: String) -> Field? { fields.first { $0.name == name } }
}

/// A string restricted by enumeration or pattern.
public struct StringSchema: Sendable {
    public var doc: String
    public var values: [String]?
    public var pattern: Pattern?
    public init(doc: String, values: [String]? = nil, pattern: Pattern? = nil) {
        self.doc = doc
        self.values = values
        self.pattern = pattern
    }
}

/// A character-class pattern, checked without regular expressions and exported as one.
public struct Pattern: Sendable {
    /// The regular expression shown in the JSON Schema and in error messages.
    public var regex: String
    /// The check itself.
    public var matches: @Sendable (String) -> Bool

    public init(regex: String, matches: @escaping @Sendable (String) -> Bool) {
        self.regex = regex
        self.matches = matches
    }

    /// `[a-z0-9_]+`: resource names.
    public static let resourceName = Pattern(regex: "^[a-z0-9_]+$") { text in
        !text.isEmpty && text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5f }
    }

    /// Environment variable names: `[A-Za-z_][A-Za-z0-9_]*`.
    public static let environmentName = Pattern(regex: "^[A-Za-z_][A-Za-z0-9_]*$") { text in
        guard let first = text.utf8.first, first == 0x5f || isLetter(first) else { return false }
        return text.utf8.allSatisfy { $0 == 0x5f || isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    /// Label keys: `[A-Za-z0-9_.-/]+`.
    public static let labelKey = Pattern(regex: "^[A-Za-z0-9_./-]+$") { text in
        !text.isEmpty && text.utf8.allSatisfy {
            isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || [0x5f, 0x2e, 0x2f, 0x2d].contains($0)
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
    }
}
