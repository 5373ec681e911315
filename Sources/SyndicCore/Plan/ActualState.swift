import Foundation

/// What the state store holds, as the planner needs it. Plain data, loaded by the engine.
public struct ActualState: Sendable {
    public var serial: Int
    public var resources: [String: AppliedResource]
    /// Address -> secret key path -> salted fingerprint.
    public var fingerprints: [String: [String: String]]
    /// Channel name -> its suspension.
    public var suspensions: [String: Suspension]
    /// Channel name -> the data a delete would remove, one count per channel-owned table.
    public var ownedData: [String: [DataCount]]
    /// Address -> credential status when it is not fine (`invalid`), for plan notes.
    public var credentialProblems: [String: String]

    public init(serial: Int = 0, resources: [String: AppliedResource] = [:],
                fingerprints: [String: [String: String]] = [:], suspensions: [String: Suspension] = [:],
                ownedData: [String: [DataCount]] = [:], credentialProblems: [String: String] = [:]) {
        self.serial = serial
        self.resources = resources
        self.fingerprints = fingerprints
        self.suspensions = suspensions
        self.ownedData = ownedData
        self.credentialProblems = credentialProblems
    }

    /// An empty state: nothing applied yet.
    public static let empty = ActualState()
}

/// A resource as last applied.
public struct AppliedResource: Hashable, Sendable {
    public var kind: ResourceKind
    public var name: String
    public var type: String
    public var specJSON: String
    public var labelsJSON: String
    public var sourceFile: String

    public init(kind: ResourceKind, name: String, type: String, specJSON: String, labelsJSON: String,
                sourceFile: String) {
        self.kind = kind
        self.name = name
        self.type = type
        self.specJSON = specJSON
        self.labelsJSON = labelsJSON
        self.sourceFile = sourceFile
    }

    public var address: String { Address.of(kind, name) }

    /// The typed channel spec.
    public func channelSpec() throws -> ChannelSpec { try ValueDecoding.decode(ChannelSpec.self, fromJSON: specJSON) }
}

/// An operator's emergency stop of one channel, outside git.
public struct Suspension: Hashable, Sendable, Codable {
    public var reason: String
    public var by: String
    public var at: Date

    public init(reason: String, by: String, at: Date) {
        self.reason = reason
        self.by = by
        self.at = at
    }
}

/// What the configuration asks for: validated resources and their secrets' fingerprints.
public struct DesiredState: Sendable {
    public var resources: [CompiledResource]
    /// Address -> secret key path -> salted fingerprint of the current value.
    public var fingerprints: [String: [String: String]]
    /// Former address (`metadata.formerNames`) -> secret key path -> salted fingerprint of the
    /// current value as if the resource still had that address: what a renamed resource's
    /// stored fingerprints are compared with.
    public var formerFingerprints: [String: [String: String]]

    public init(resources: [CompiledResource], fingerprints: [String: [String: String]],
                formerFingerprints: [String: [String: String]] = [:]) {
        self.resources = resources
        self.fingerprints = fingerprints
        self.formerFingerprints = formerFingerprints
    }
}
