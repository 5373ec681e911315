import Foundation
import Testing
@testable import SyndicFlows

/// The gate of an Akeneo instance: never more calls in flight than its permits, a 429 takes
/// one permit away (never the last), a run of successes gives one back up to the ceiling,
/// and one gate per instance and credentials in the process.
@Suite struct AkeneoGateTests {
    /// Counts the calls running at once and the most seen.
    final class Concurrency: @unchecked Sendable {
        private let lock = NSLock()
        private var running = 0
        private(set) var most = 0

        func enter() { lock.withLock { running += 1; most = max(most, running) } }
        func leave() { lock.withLock { running -= 1 } }
        var highest: Int { lock.withLock { most } }
    }

    /// Runs `body` on `count` threads of their own and waits for them all.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let done = DispatchSemaphore(value: 0)
        for index in 0..<count {
            Thread {
                body(index)
                done.signal()
            }.start()
        }
        for _ in 0..<count { done.wait() }
    }

    @Test func neverMoreCallsInFlightThanItsPermits() {
        let gate = AkeneoGate(ceiling: 2)
        let calls = Concurrency()
        Self.onThreads(6) { _ in
            gate.withPermit {
                calls.enter()
                Thread.sleep(forTimeInterval: 0.05)
                calls.leave()
            }
        }
        #expect(calls.highest == 2)
        #expect(gate.busy == 0)
    }

    @Test func a429TakesAPermitAwayAndARunOfSuccessesGivesItBack() {
        let gate = AkeneoGate(ceiling: 4)
        gate.observe(429)
        #expect(gate.permits == 3)
        for _ in 0..<5 { gate.observe(429) }
        #expect(gate.permits == 1, "never below one")
        for _ in 0..<(AkeneoGate.successesToRaise - 1) { gate.observe(200) }
        #expect(gate.permits == 1)
        gate.observe(nil)  // no answer: neither
        gate.observe(500)
        #expect(gate.permits == 1)
        gate.observe(200)
        #expect(gate.permits == 2)
        // A 429 in a run starts the run again.
        for _ in 0..<(AkeneoGate.successesToRaise - 1) { gate.observe(200) }
        gate.observe(429)
        #expect(gate.permits == 1)
        for _ in 0..<(3 * AkeneoGate.successesToRaise) { gate.observe(204) }
        #expect(gate.permits == 4)
        for _ in 0..<(2 * AkeneoGate.successesToRaise) { gate.observe(200) }
        #expect(gate.permits == 4, "never above the ceiling")
        #expect(gate.maximum == 4)
    }

    @Test func aLoweredGateHoldsTheNextCallUntilOneEnds() {
        let gate = AkeneoGate(ceiling: 2)
        gate.observe(429)
        gate.acquire()
        let passed = DispatchSemaphore(value: 0)
        Thread {
            gate.acquire()
            passed.signal()
            gate.release()
        }.start()
        #expect(passed.wait(timeout: .now() + 0.2) == .timedOut)
        gate.release()
        #expect(passed.wait(timeout: .now() + 5) == .success)
    }

    @Test func theCeilingIsOneToFourAndTheLatestSettingWins() {
        #expect(AkeneoGate(ceiling: 9).maximum == 4)
        #expect(AkeneoGate(ceiling: 0).maximum == 1)
        #expect(AkeneoGate().maximum == AkeneoGate.defaultPermits)
        let key = "http://pim.example#\(UUID().uuidString)"
        let first = AkeneoGate.shared(key, ceiling: 2)
        #expect(first.maximum == 2)
        let second = AkeneoGate.shared(key, ceiling: 3)
        #expect(first === second)
        #expect(second.maximum == 3)
        #expect(second.permits == 2, "a raised ceiling is reached by successes")
        #expect(AkeneoGate.shared(key + "-other", ceiling: 4) !== first)
        _ = AkeneoGate.shared(key, ceiling: 1)
        #expect(first.permits == 1)
    }

    /// Clients of the same instance and credentials share a gate; other credentials have theirs.
    @Test func clientsShareTheGateOfTheirInstanceAndCredentials() {
        let url = "http://127.0.0.1:9/\(UUID().uuidString)"
        let credentials = AkeneoClient.Credentials(clientId: "c", secret: "s", username: "u", password: "p")
        var rotated = credentials
        rotated.secret = "s2"
        let one = AkeneoClient(baseURL: url, credentials: credentials, maxConcurrentRequests: 2)
        let two = AkeneoClient(baseURL: url + "/", credentials: credentials, maxConcurrentRequests: 2)
        let other = AkeneoClient(baseURL: url, credentials: rotated)
        #expect(one.gate === two.gate)
        #expect(one.gate !== other.gate)
        #expect(one.gate.maximum == 2)
        #expect(other.gate.maximum == 4)
    }
}
