/// Where a run is in its life: queued (maybe waiting for a retry), running under a lease,
/// or finished.
public enum RunStatus: String, CaseIterable, Hashable, Sendable, Codable {
    case queued
    case running
    case succeeded
    case failed
    case canceled

    /// Whether the run is over.
    public var isFinished: Bool { self == .succeeded || self == .failed || self == .canceled }
}

/// What started a run.
public enum RunTrigger: String, CaseIterable, Hashable, Sendable, Codable {
    case schedule
    case manual
}
