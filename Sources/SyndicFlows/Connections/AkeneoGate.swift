import Foundation

/// How many calls may be in flight at once to one Akeneo instance with one set of
/// credentials: Akeneo allows up to 4 concurrent API calls per connection and answers more
/// with HTTP 429.
///
/// A counting semaphore shared by every client of the same instance and credentials in the
/// process (readers of a partitioned read, their token requests, an `akeneo-api` destination
/// with the same credentials). Its ceiling is the connection's `maxConcurrentRequests`. A
/// 429 lowers the permits by one (never below 1): the PIM is busier than the ceiling says,
/// for instance because other integrations use the same connection. A run of successes gives
/// one back, up to the ceiling.
final class AkeneoGate: @unchecked Sendable {
    /// Akeneo's limit of concurrent calls per connection, the default ceiling.
    static let defaultPermits = 4
    /// Answers in a row without a 429 that give back one permit taken by a 429.
    static let successesToRaise = 50

    private let condition = NSCondition()
    private var ceiling: Int
    private var allowed: Int
    private var inFlight = 0
    private var successes = 0

    /// A gate letting `ceiling` calls through at once (clamped to 1…4).
    init(ceiling: Int = AkeneoGate.defaultPermits) {
        let clamped = Self.clamp(ceiling)
        self.ceiling = clamped
        allowed = clamped
    }

    private static func clamp(_ permits: Int) -> Int { min(max(permits, 1), defaultPermits) }

    /// The gates of the process, by instance and credential digest (never the credentials
    /// themselves).
    private final class Registry: @unchecked Sendable {
        private let lock = NSLock()
        private var gates: [String: AkeneoGate] = [:]

        func gate(_ key: String, ceiling: Int) -> AkeneoGate {
            lock.withLock { () -> AkeneoGate in
                if let gate = gates[key] { return gate }
                let gate = AkeneoGate(ceiling: ceiling)
                gates[key] = gate
                return gate
            }
        }
    }

    private static let registry = Registry()

    /// The process's gate for `key` (instance and credential digest). A connection's
    /// `ceiling` setting is applied (its latest setting wins); a client without one (nil: an
    /// `akeneo-api` destination) leaves the gate's ceiling as it is, 4 for a new gate.
    static func shared(_ key: String, ceiling: Int?) -> AkeneoGate {
        let gate = registry.gate(key, ceiling: ceiling ?? defaultPermits)
        if let ceiling { gate.setCeiling(ceiling) }
        return gate
    }

    /// The most calls let through at once, as configured.
    var maximum: Int { condition.withLock { ceiling } }

    /// The calls let through at once now (lower than `maximum` after 429s).
    var permits: Int { condition.withLock { allowed } }

    /// Calls in flight now.
    var busy: Int { condition.withLock { inFlight } }

    private func setCeiling(_ permits: Int) {
        condition.withLock {
            let clamped = Self.clamp(permits)
            guard clamped != ceiling else { return }
            ceiling = clamped
            allowed = min(allowed, clamped)
            if allowed < 1 { allowed = 1 }
            condition.broadcast()
        }
    }

    /// Runs `call` once fewer than `permits` calls are in flight, holding a permit meanwhile.
    func withPermit<T>(_ call: () throws -> T) rethrows -> T {
        acquire()
        defer { release() }
        return try call()
    }

    /// Waits for a permit and takes it.
    func acquire() {
        condition.lock()
        while inFlight >= allowed { condition.wait() }
        inFlight += 1
        condition.unlock()
    }

    /// Gives back a permit taken by `acquire`.
    func release() {
        condition.lock()
        inFlight -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Akeneo answered `status` (nil: no answer): a 429 lowers the permits by one, a run of
    /// successes gives one back.
    func observe(_ status: Int?) {
        guard let status else { return }
        if status == 429 {
            refused()
        } else if (200..<300).contains(status) {
            succeeded()
        }
    }

    /// Akeneo refused a call for going over its limits (HTTP 429).
    func refused() {
        condition.withLock {
            allowed = max(1, allowed - 1)
            successes = 0
        }
    }

    /// Akeneo answered a call.
    func succeeded() {
        condition.withLock {
            guard allowed < ceiling else {
                successes = 0
                return
            }
            successes += 1
            if successes >= Self.successesToRaise {
                allowed += 1
                successes = 0
                condition.broadcast()
            }
        }
    }
}
