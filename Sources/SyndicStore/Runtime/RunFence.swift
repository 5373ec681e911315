import GRDB
import SyndicCore

extension RunFence {
    /// Throws `StoreError.fenced` unless the attempt still holds the run (inside the write's
    /// transaction, so no other worker can take the run between the check and the write).
    func check(_ db: Database) throws {
        let held = try Bool.fetchOne(try db.cachedStatement(sql: """
            SELECT 1 FROM run WHERE id = ? AND attempt = ? AND lease_owner = ? AND status = 'running'
            """), arguments: [runID, attempt, worker]) ?? false
        guard held else { throw StoreError.fenced(runID: runID, attempt: attempt) }
    }
}
