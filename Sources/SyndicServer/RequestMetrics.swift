import Foundation

/// Counters of the requests the server answered: how many by route, method and status,
/// and how long they took (a histogram per route and method), for `/metrics`.
final class RequestMetrics: @unchecked Sendable {
    /// Upper bounds of the latency buckets, in seconds.
    static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    struct CountKey: Hashable, Comparable {
        var route: String
        var method: String
        var status: Int

        static func < (lhs: CountKey, rhs: CountKey) -> Bool {
            (lhs.route, lhs.method, lhs.status) < (rhs.route, rhs.method, rhs.status)
        }
    }

    struct LatencyKey: Hashable, Comparable {
        var route: String
        var method: String

        static func < (lhs: LatencyKey, rhs: LatencyKey) -> Bool {
            (lhs.route, lhs.method) < (rhs.route, rhs.method)
        }
    }

    struct Latency {
        /// Per bucket, the observations at most its bound (not cumulative).
        var counts = [Int](repeating: 0, count: RequestMetrics.buckets.count)
        var sum = 0.0
        var total = 0
    }

    private let lock = NSLock()
    private var requests: [CountKey: Int] = [:]
    private var latencies: [LatencyKey: Latency] = [:]

    func record(route: String, method: String, status: Int, seconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        requests[CountKey(route: route, method: method, status: status), default: 0] += 1
        var latency = latencies[LatencyKey(route: route, method: method)] ?? Latency()
        if let bucket = Self.buckets.firstIndex(where: { seconds <= $0 }) { latency.counts[bucket] += 1 }
        latency.sum += seconds
        latency.total += 1
        latencies[LatencyKey(route: route, method: method)] = latency
    }

    /// A copy of the counters.
    func snapshot() -> (requests: [CountKey: Int], latencies: [LatencyKey: Latency]) {
        lock.lock()
        defer { lock.unlock() }
        return (requests, latencies)
    }
}
