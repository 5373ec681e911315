/// Where a secret's value comes from: an environment variable or a file. Never the value.
public enum SecretReference: Hashable, Sendable, Codable, CustomStringConvertible {
    case env(String)
    case file(String)

    private enum CodingKeys: String, CodingKey {
        case env, file
    }

    /// Decodes the stored form `{"env": NAME}` or `{"file": PATH}`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let name = try container.decodeIfPresent(String.self, forKey: .env) {
            self = .env(name)
        } else {
            self = .file(try container.decode(String.self, forKey: .file))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .env(let name): try container.encode(name, forKey: .env)
        case .file(let path): try container.encode(path, forKey: .file)
        }
    }

    /// The stored form: `{"env": NAME}` or `{"file": PATH}`.
    public var value: Value {
        switch self {
        case .env(let name): return .object(["env": .string(name)])
        case .file(let path): return .object(["file": .string(path)])
        }
    }

    /// Reads the stored form back.
    public init?(_ value: Value) {
        if let name = value["env"]?.stringValue { self = .env(name) }
        else if let path = value["file"]?.stringValue { self = .file(path) }
        else { return nil }
    }

    /// `env:NAME` or `file:PATH`: safe to print, it names the source and not the value.
    public var description: String {
        switch self {
        case .env(let name): return "env:\(name)"
        case .file(let path): return "file:\(path)"
        }
    }
}

/// A secret field of a resource: its key path, where its value comes from, where it is written.
public struct SecretField: Hashable, Sendable, Codable {
    public var path: String
    public var reference: SecretReference
    public var location: SourceLocation?

    public init(path: String, reference: SecretReference, location: SourceLocation?) {
        self.path = path
        self.reference = reference
        self.location = location
    }
}

/// A reference from one resource to another by name, checked across files.
public struct ResourceReference: Hashable, Sendable, Codable {
    public var kind: ResourceKind
    public var name: String
    public var path: String
    /// The `spec.type` values the referenced resource may have (empty: any).
    public var allowedTypes: [String]
    public var location: SourceLocation?

    public init(kind: ResourceKind, name: String, path: String, allowedTypes: [String], location: SourceLocation?) {
        self.kind = kind
        self.name = name
        self.path = path
        self.allowedTypes = allowedTypes
        self.location = location
    }
}
