import Foundation
import SyndicCore

/// The exclusive apply lock of a PostgreSQL state: a session-level advisory lock on a
/// connection of its own. The server releases it when the connection closes, however the
/// process ends, so a killed apply never leaves a stale lock; the holder's description is
/// its connection's `application_name`, shown to whoever waits.
public final class PostgresApplyLock {
    /// The advisory lock key of applies (and of nothing else).
    static let key: Int64 = 0x5359_4E44_4150_504C // "SYNDAPPL"
    private let pool: PGPool
    private var session: PGSession?

    /// Takes the lock, waiting up to `timeout` seconds (0: fail at once).
    init(pool: PGPool, timeout: Double, holder: String) throws {
        self.pool = pool
        let note = String("\(holder), pid \(getpid()), since \(ISO8601DateFormatter().string(from: Date()))".prefix(60))
        let session = try pool.dedicatedSession(applicationName: note)
        let deadline = Date().addingTimeInterval(timeout)
        do {
            while try session.value("SELECT pg_try_advisory_lock(?)", [Self.key], as: Bool.self) != true {
                if Date() >= deadline {
                    let current = try? session.value("""
                        SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                        WHERE l.locktype = 'advisory' AND l.granted
                          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                          AND ((l.classid::bigint << 32) | l.objid::bigint) = ?
                        LIMIT 1
                        """, [Self.key], as: String.self)
                    throw StoreError.locked(path: pool.location.description,
                                            holder: current.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown holder")
                }
                usleep(100_000)
            }
        } catch {
            pool.close(session)
            throw error
        }
        self.session = session
    }

    deinit {
        if let session { pool.close(session) }
    }
}
