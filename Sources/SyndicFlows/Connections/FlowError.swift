import SyndicEngine

/// Why a flow failed, in words a merchant can act on (never with a secret in them).
public struct FlowError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure: alerts and credential status use it.
    public enum Kind: String, Sendable {
        /// The configuration in the state cannot run (a missing connection, a bad mapping).
        case configuration
        /// The remote refused the credentials.
        case authentication
        /// The remote answered with an error.
        case remote
        /// The remote could not be reached or the transfer broke.
        case connectivity
        /// A file could not be read or written.
        case storage
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

extension FlowError: JobFailure {
    /// Configuration and credential problems fail the same way until someone fixes them: the
    /// run fails at once. Remote errors, connectivity and storage problems are retried.
    public var isPermanent: Bool { kind == .configuration || kind == .authentication }
}
