import Foundation
import SyndicCore

/// The shared state on a PostgreSQL server: the same tables and rules as the SQLite state,
/// for workers, servers and reconcilers on several hosts. Writes run in serializable
/// transactions (retried when they lose to a concurrent one) except the run queue's claims,
/// which lock rows with `FOR UPDATE SKIP LOCKED`.
public final class PostgresStateStore: StateStore, @unchecked Sendable {
    public let location: PostgresLocation
    let pool: PGPool
    /// The run attempt whose writes these are, checked before each write; nil for the
    /// commands, the executor and the server.
    let fence: RunFence?
    /// Test seam: called inside the apply transaction, after its writes and before the
    /// commit, so a crash-safety test can stop the process there. Nil outside tests; only
    /// debug builds of the command line install one.
    public var applyTransactionHook: (@Sendable () -> Void)?

    /// Connects to the state at `location`, creating and migrating its tables on first use.
    public init(location: PostgresLocation, connections: Int = 4) throws {
        self.location = location
        fence = nil
        pool = try PGPool(location: location, capacity: connections)
        try PostgresMigrations.migrate(pool)
        try pool.write { session in
            if try session.value("SELECT value FROM meta WHERE key = 'salt'", as: String.self) == nil {
                let salt = (0..<32).map { _ in UInt8.random(in: 0...255) }.hexString
                try session.execute("""
                    INSERT INTO meta (key, value) VALUES ('salt', ?), ('serial', '0') ON CONFLICT (key) DO NOTHING
                    """, [salt])
            }
        }
    }

    /// The same database for `fence`'s writes.
    private init(sharing store: PostgresStateStore, fence: RunFence) {
        location = store.location
        pool = store.pool
        self.fence = fence
        applyTransactionHook = store.applyTransactionHook
    }

    public func fenced(by fence: RunFence) -> any StateStore {
        PostgresStateStore(sharing: self, fence: fence)
    }

    /// A write transaction, refused when the store is fenced and the fence no longer holds.
    func write<T>(isolation: PGIsolation = .serializable, _ updates: (PGSession) throws -> T) throws -> T {
        try pool.write(isolation: isolation) { session in
            try fence?.check(session)
            return try updates(session)
        }
    }

    /// A read-only transaction on one snapshot.
    func read<T>(_ body: (PGSession) throws -> T) throws -> T {
        try pool.read(body)
    }

    public var locationDescription: String { location.description }

    /// Takes the apply lock: a session-level advisory lock held by a connection of its own,
    /// which the server releases when the lock is dropped or the process dies.
    public func lockForApply(timeout: Double, holder: String) throws -> AnyObject {
        try PostgresApplyLock(pool: pool, timeout: timeout, holder: holder)
    }
}

extension RunFence {
    /// Throws `StoreError.fenced` unless the attempt still holds the run. The run's row is
    /// locked (`FOR KEY SHARE`) until the write commits, so no other worker can take the run
    /// back between the check and the write.
    func check(_ session: PGSession) throws {
        let held = try session.row("""
            SELECT 1 FROM run WHERE id = ? AND attempt = ? AND lease_owner = ? AND status = 'running' FOR KEY SHARE
            """, [runID, attempt, worker]) != nil
        guard held else { throw StoreError.fenced(runID: runID, attempt: attempt) }
    }
}
