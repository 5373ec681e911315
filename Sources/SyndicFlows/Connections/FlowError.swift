import Foundation
import SyndicCore
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
    /// The address of the resource whose credentials were refused (`connection.pim`,
    /// `channel.mirakl_fr`), for authentication failures.
    public var credentialsOf: String?
    /// The HTTP status the remote answered, for remote errors.
    public var httpStatus: Int?
    /// The remote's own words about the error (its error messages), for remote errors.
    public var remoteMessage: String?

    public init(_ kind: Kind, _ message: String, credentialsOf: String? = nil, httpStatus: Int? = nil) {
        self.kind = kind
        self.message = message
        self.credentialsOf = credentialsOf
        self.httpStatus = httpStatus
    }

    /// Whether the remote refused the request itself (a 4xx other than 408 and 429): sending
    /// it again cannot help.
    public var isRejection: Bool {
        guard kind == .remote, let status = httpStatus else { return false }
        return (400..<500).contains(status) && status != 408 && status != 429
    }

    public var description: String { message }
}

extension FlowError: JobFailure {
    /// Configuration and credential problems fail the same way until someone fixes them: the
    /// run fails at once. Remote errors, connectivity and storage problems are retried.
    public var isPermanent: Bool { kind == .configuration || kind == .authentication }
    public var category: String? { kind.rawValue }
    public var refusedCredentials: String? { kind == .authentication ? credentialsOf : nil }
}

extension FlowError {
    /// Runs a job's `body` and names, in its result, the credentials the remotes accepted;
    /// the runtime marks them valid (and those of a refusal invalid, from the failure).
    static func reportingCredentials(_ use: CredentialUse, _ body: () throws -> JobResult) rethrows -> JobResult {
        var result = try body()
        result.acceptedCredentials = use.accepted.sorted()
        return result
    }
}
