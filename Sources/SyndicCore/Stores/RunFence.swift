import Foundation

/// A run attempt's claim to write: the run, the attempt and the worker holding its lease.
/// A store fenced by it refuses every write once the run is no longer running under that
/// attempt and worker (its lease lapsed and another worker claimed it, or it was finished).
public struct RunFence: Hashable, Sendable {
    public var runID: Int64
    public var attempt: Int
    public var worker: String

    public init(runID: Int64, attempt: Int, worker: String) {
        self.runID = runID
        self.attempt = attempt
        self.worker = worker
    }
}
