import GRDB

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

    /// Throws `StoreError.fenced` unless the attempt still holds the run (inside the write's
    /// transaction, so no other worker can take the run between the check and the write).
    func check(_ db: Database) throws {
        let held = try Bool.fetchOne(try db.cachedStatement(sql: """
            SELECT 1 FROM run WHERE id = ? AND attempt = ? AND lease_owner = ? AND status = 'running'
            """), arguments: [runID, attempt, worker]) ?? false
        guard held else { throw StoreError.fenced(runID: runID, attempt: attempt) }
    }
}
