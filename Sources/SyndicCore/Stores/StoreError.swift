/// Errors of the state store, each saying what to do.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// The state moved since the plan was made.
    case staleSerial(expected: Int, actual: Int)
    /// Another process holds the apply lock.
    case locked(path: String, holder: String)
    /// No such channel in the state.
    case unknownChannel(String)
    /// The channel is not suspended.
    case notSuspended(String)
    /// The database could not be opened or migrated.
    case unavailable(path: String, reason: String)
    /// An access token not revoked already has the name.
    case tokenNameTaken(String)
    /// A run attempt whose lease was taken back tried to write.
    case fenced(runID: Int64, attempt: Int)
    /// A channel being renamed has runs holding a live lease.
    case renameWhileRunning(channel: String, runIDs: [Int64])

    public var description: String {
        switch self {
        case .staleSerial(let expected, let actual):
            return "the state changed since the plan was made (serial \(expected) -> \(actual)); run `syndic plan` again"
        case .locked(let path, let holder):
            return "another syndic process holds the state lock \(path) (\(holder)); wait for it, or pass --lock-timeout to wait"
        case .unknownChannel(let name):
            return "no channel \"\(name)\" in the state; `syndic status` lists the applied channels"
        case .notSuspended(let name):
            return "channel \"\(name)\" is not suspended"
        case .unavailable(let path, let reason):
            return "cannot open the state \(path): \(reason)"
        case .tokenNameTaken(let name):
            return "an access token named \"\(name)\" exists; revoke it first or choose another --name"
        case .fenced(let runID, let attempt):
            return "run \(runID) attempt \(attempt) no longer holds its lease (another worker took the run back): "
                + "its writes are refused, so that two copies of a job never both act"
        case .renameWhileRunning(let channel, let runIDs):
            return "channel \"\(channel)\" has running runs (\(runIDs.map { "run \($0)" }.joined(separator: ", "))): "
                + "a rename waits until they finish; nothing was applied. Retry once they have finished"
        }
    }
}
