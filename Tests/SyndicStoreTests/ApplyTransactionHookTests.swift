import Foundation
import SyndicCore
import Testing
@testable import SyndicStore

/// The test seam inside the apply transaction: it runs after the writes and before the
/// commit, so what another connection sees during it is the state as it was.
struct ApplyTransactionHookTests {
    /// Serials another connection read from inside the hook.
    private final class SeenSerials: @unchecked Sendable {
        private let lock = NSLock()
        private var serials: [Int] = []

        func record(_ serial: Int) { lock.withLock { serials.append(serial) } }
        var all: [Int] { lock.withLock { serials } }
    }

    /// Sets `hook` on a store of either backend.
    private static func install(_ hook: @escaping @Sendable () -> Void, on store: any StateStore) {
        if let sqlite = store as? SQLiteStateStore {
            sqlite.applyTransactionHook = hook
        } else if let postgres = store as? PostgresStateStore {
            postgres.applyTransactionHook = hook
        } else {
            Issue.record("unexpected store type \(type(of: store))")
        }
    }

    @Test(arguments: StateBackend.allCases)
    func theHookRunsOnceInsideTheApplyTransactionBeforeItCommits(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let observer = try workspace.reopen()
        let seen = SeenSerials()
        Self.install({ seen.record((try? observer.currentSerial()) ?? -1) }, on: workspace.store)

        let serial = try workspace.store.commit(ConfigurationStoreTests.batch(
            serial: 0, upserts: [ConfigurationStoreTests.channel("a")]))

        #expect(serial == 1)
        #expect(seen.all == [0])
        #expect(try observer.currentSerial() == 1)
    }
}
