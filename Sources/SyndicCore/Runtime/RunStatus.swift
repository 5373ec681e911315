/// Where a run is in its life: queued (maybe waiting for a retry), running under a lease,
/// or finished.
public enum RunStatus: String, CaseIterable, Hashable, Sendable, Codable {
    case queued
    case running
    case succeeded
    case failed
    case canceled
    /// Finished without sending anything on purpose: the channel's export guard stopped a
    /// product export that would have sent far fewer products than the last successful one,
    /// or too many invalid or skipped ones. Not retried; `syndic run … --force` sends it once.
    case held

    /// Whether the run is over.
    public var isFinished: Bool {
        switch self {
        case .succeeded, .failed, .canceled, .held: true
        case .queued, .running: false
        }
    }
}

/// What started a run.
public enum RunTrigger: String, CaseIterable, Hashable, Sendable, Codable {
    case schedule
    case manual
}
