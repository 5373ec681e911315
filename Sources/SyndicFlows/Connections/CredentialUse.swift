import Foundation

/// The resources whose credentials a remote accepted during one run (their addresses): a
/// run that succeeds marks them valid.
final class CredentialUse: @unchecked Sendable {
    private let lock = NSLock()
    private var owners: Set<String> = []

    /// A remote accepted the credentials of `owner` (nothing for nil).
    func accepted(_ owner: String?) {
        guard let owner else { return }
        _ = lock.withLock { owners.insert(owner) }
    }

    /// The addresses accepted so far.
    var accepted: Set<String> { lock.withLock { owners } }
}
