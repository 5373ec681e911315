import Foundation
import Testing
import SyndicCore
@testable import SyndicStore
#if canImport(Glibc)
import Glibc
#endif

struct StateLockTests {
    /// A state path in a fresh temporary directory (the directory itself is not created).
    static func statePath() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("syndic-lock-\(UUID().uuidString)/nested/state.sqlite").path
    }

    /// Carries a lock to the thread that releases it.
    final class Holder: @unchecked Sendable {
        var lock: StateLock?
        init(_ lock: StateLock) { self.lock = lock }
    }

    @Test func secondLockFailsAtOnceWhileTheFirstIsHeld() throws {
        let path = Self.statePath()
        let first = try StateLock(statePath: path, timeout: 0, holder: "syndic apply by alice")
        #expect(first.path == path + ".lock")
        #expect(FileManager.default.fileExists(atPath: first.path))

        let started = Date()
        #expect {
            _ = try StateLock(statePath: path, timeout: 0, holder: "syndic apply by bob")
        } throws: { error in
            guard case StoreError.locked(let lockPath, let holder) = error else { return false }
            return lockPath == path + ".lock" && holder.hasPrefix("syndic apply by alice, pid \(getpid()), since ")
        }
        #expect(Date().timeIntervalSince(started) < 1)
        withExtendedLifetime(first) {}
    }

    @Test func lockSucceedsOnceTheFirstIsReleased() throws {
        let path = Self.statePath()
        var first: StateLock? = try StateLock(statePath: path, timeout: 0, holder: "first")
        #expect(first != nil)
        #expect(throws: StoreError.self) { _ = try StateLock(statePath: path, timeout: 0, holder: "second") }
        first = nil
        let second = try StateLock(statePath: path, timeout: 0, holder: "second")
        let note = try String(contentsOfFile: second.path, encoding: .utf8)
        #expect(note.hasPrefix("second, pid \(getpid()), since "))
    }

    @Test func waitingLockTakesOverWhenTheHolderLetsGo() throws {
        let path = Self.statePath()
        let holder = Holder(try StateLock(statePath: path, timeout: 0, holder: "first"))
        let started = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { holder.lock = nil }
        let second = try StateLock(statePath: path, timeout: 10, holder: "second")
        let waited = Date().timeIntervalSince(started)
        #expect(waited >= 0.25)
        #expect(waited < 5)
        withExtendedLifetime(second) {}
    }

    @Test func waitingLockGivesUpAfterItsTimeout() throws {
        let path = Self.statePath()
        let first = try StateLock(statePath: path, timeout: 0, holder: "first")
        let started = Date()
        #expect(throws: StoreError.self) { _ = try StateLock(statePath: path, timeout: 0.3, holder: "second") }
        #expect(Date().timeIntervalSince(started) >= 0.25)
        withExtendedLifetime(first) {}
    }

    @Test func releasedLockLeavesAnEmptyNote() throws {
        let path = Self.statePath()
        var lock: StateLock? = try StateLock(statePath: path, timeout: 0, holder: "syndic apply by alice")
        #expect(try String(contentsOfFile: path + ".lock", encoding: .utf8).hasPrefix("syndic apply by alice, pid "))
        lock = nil
        #expect(lock == nil)
        #expect(try String(contentsOfFile: path + ".lock", encoding: .utf8) == "")
    }

    @Test func lockedErrorSaysWhatToDo() {
        let error = StoreError.locked(path: "/s/state.sqlite.lock", holder: "syndic apply by alice, pid 42")
        #expect(error.description
                == "another syndic process holds the state lock /s/state.sqlite.lock (syndic apply by alice, pid 42); wait for it, or pass --lock-timeout to wait")
    }
}
