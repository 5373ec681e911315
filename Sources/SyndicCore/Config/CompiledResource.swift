/// A resource as read from the configuration: its normalized spec and the facts validation
/// and planning need (secrets, references, locations).
///
/// A resource read from an unchanged file comes from the parse cache with the same facts but
/// without the full location map, so planning never re-parses files that did not change.
public struct CompiledResource: Hashable, Sendable {
    public var kind: ResourceKind
    public var name: String
    /// `spec.type`.
    public var type: String
    /// The file as displayed in diagnostics.
    public var file: String
    /// Where the document starts.
    public var location: SourceLocation?
    /// Where `metadata.name` is written.
    public var nameLocation: SourceLocation?
    public var labels: [String: String]
    /// Canonical JSON of the spec.
    public var specJSON: String
    /// The spec value when the document was just parsed (saves re-reading `specJSON`).
    public var spec: Value?
    public var secrets: [SecretField]
    public var references: [ResourceReference]
    /// Key path -> location, for a freshly parsed document; empty when read from the cache.
    public var locations: [String: SourceLocation]
    /// `metadata.formerNames`: names the resource had, with where each is written. A plan
    /// renames the applied resource of such a name instead of deleting it.
    public var formerNames: [FormerName]

    public init(kind: ResourceKind, name: String, type: String, file: String, location: SourceLocation?,
                nameLocation: SourceLocation?, labels: [String: String], specJSON: String, spec: Value? = nil,
                secrets: [SecretField], references: [ResourceReference], locations: [String: SourceLocation],
                formerNames: [FormerName] = []) {
        self.kind = kind
        self.name = name
        self.type = type
        self.file = file
        self.location = location
        self.nameLocation = nameLocation
        self.labels = labels
        self.specJSON = specJSON
        self.spec = spec
        self.secrets = secrets
        self.references = references
        self.locations = locations
        self.formerNames = formerNames
    }

    /// `channel.mirakl_fr`: how plans, history and errors name a resource.
    public var address: String { Address.of(kind, name) }

    /// Canonical JSON of the labels.
    public var labelsJSON: String {
        CanonicalJSON.string(.object(labels.mapValues { .string($0) }))
    }

    /// The spec as a value.
    public func specValue() throws -> Value {
        if let spec { return spec }
        return try CanonicalJSON.parse(specJSON)
    }

    /// The typed channel spec (only for channels).
    public func channelSpec() throws -> ChannelSpec { try ValueDecoding.decode(ChannelSpec.self, fromJSON: specJSON) }

    /// The best location for a key path, falling back to the document.
    public func location(of path: String) -> SourceLocation? {
        locations[path] ?? location
    }
}

/// A name a resource had (`metadata.formerNames`) and where it is written.
public struct FormerName: Hashable, Sendable {
    public var name: String
    public var location: SourceLocation?

    public init(name: String, location: SourceLocation?) {
        self.name = name
        self.location = location
    }
}

/// Resource addresses: `kind.name`.
public enum Address {
    public static func of(_ kind: ResourceKind, _ name: String) -> String { "\(kind.addressPrefix).\(name)" }

    /// Splits an address into kind and name.
    public static func parse(_ address: String) -> (ResourceKind, String)? {
        guard let dot = address.firstIndex(of: ".") else { return nil }
        guard let kind = ResourceKind(addressPrefix: String(address[..<dot])) else { return nil }
        return (kind, String(address[address.index(after: dot)...]))
    }
}
