import Foundation
import SyndicCore

/// Records in the state what a run learned about credentials: those the remotes accepted are
/// valid (clearing an earlier refusal), those a remote refused are invalid until their
/// secrets rotate (`status` and `plan` show it). The runtime does it for every job, from the
/// job's result or failure, so no job writes credential status itself.
public enum CredentialRecorder {
    /// Marks valid the credentials of the resources (addresses) a successful run used.
    public static func accepted(_ result: JobResult, store: any ConfigurationStore, at date: Date) {
        for address in result.acceptedCredentials {
            guard let (kind, name) = Address.parse(address) else { continue }
            try? store.markCredentialsValid(kind: kind, name: name, at: date)
        }
    }

    /// Marks invalid the credentials a failure says a remote refused.
    public static func failed(_ error: any Error, store: any ConfigurationStore, at date: Date) {
        guard let address = (error as? JobFailure)?.refusedCredentials,
              let (kind, name) = Address.parse(address) else { return }
        try? store.markCredentialsInvalid(kind: kind, name: name, message: "\(error)", at: date)
    }
}
