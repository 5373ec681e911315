import Foundation
import Testing
import SyndicCore
@testable import SyndicStore
#if canImport(Glibc)
import Glibc
#endif

/// The exclusive apply lock (`lockForApply`) on either backend: a second apply fails at once
/// naming the first, waits when asked to, and takes the lock once the first lets it go.
struct ApplyLockTests {
    /// What a lock error names as the lock: the lock file beside a SQLite state, the state
    /// URL of a PostgreSQL one.
    static func lockPath(_ workspace: StateWorkspace) -> String {
        switch workspace.backend {
        case .sqlite: return workspace.location + ".lock"
        case .postgres: return workspace.store.locationDescription
        }
    }

    /// Carries a lock to the thread that releases it.
    final class Holder: @unchecked Sendable {
        var lock: AnyObject?
        init(_ lock: AnyObject) { self.lock = lock }
    }

    @Test(arguments: StateBackend.allCases)
    func aSecondLockFailsAtOnceNamingTheFirst(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        let lockPath = Self.lockPath(workspace)
        let first = try store.lockForApply(timeout: 0, holder: "syndic apply by alice")
        let started = Date()
        #expect {
            _ = try store.lockForApply(timeout: 0, holder: "syndic apply by bob")
        } throws: { error in
            guard case StoreError.locked(let path, let holder) = error else { return false }
            return path == lockPath && holder.hasPrefix("syndic apply by alice, pid \(getpid()), since ")
        }
        #expect(Date().timeIntervalSince(started) < 1)
        withExtendedLifetime(first) {}
    }

    @Test(arguments: StateBackend.allCases)
    func theLockIsFreeOnceTheFirstIsReleased(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        var first: AnyObject? = try store.lockForApply(timeout: 0, holder: "first")
        #expect(first != nil)
        #expect(throws: StoreError.self) { _ = try store.lockForApply(timeout: 0, holder: "second") }
        first = nil
        // A PostgreSQL server ends the holder's session a moment after its connection closed.
        let started = Date()
        let second = try store.lockForApply(timeout: 5, holder: "second")
        #expect(Date().timeIntervalSince(started) < 2)
        withExtendedLifetime(second) {}
    }

    @Test(arguments: StateBackend.allCases)
    func aWaitingLockTakesOverWhenTheHolderLetsGo(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        let holder = Holder(try store.lockForApply(timeout: 0, holder: "first"))
        let started = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { holder.lock = nil }
        let second = try store.lockForApply(timeout: 10, holder: "second")
        let waited = Date().timeIntervalSince(started)
        #expect(waited >= 0.25)
        #expect(waited < 5)
        withExtendedLifetime(second) {}
    }

    @Test(arguments: StateBackend.allCases)
    func aWaitingLockGivesUpAfterItsTimeout(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        let first = try store.lockForApply(timeout: 0, holder: "first")
        let started = Date()
        #expect(throws: StoreError.self) { _ = try store.lockForApply(timeout: 0.3, holder: "second") }
        #expect(Date().timeIntervalSince(started) >= 0.25)
        withExtendedLifetime(first) {}
    }
}
