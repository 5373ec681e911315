import CoreMetrics
import Foundation

/// What the connectors (Akeneo, Mirakl, Amazon's SP-API and Login with Amazon) count, through
/// swift-metrics: every HTTP request they send, by host and status, and the seconds they
/// wait for quota, by host. Each metric always carries the same label names.
final class ConnectorMetrics: @unchecked Sendable {
    /// The metric names, in one place (docs/runtime.md lists them).
    enum Name {
        /// Requests sent, by `host` and `status` (the HTTP status, or `error` when no answer came).
        static let calls = "syndic_marketplace_calls_total"
        /// Seconds waited for quota before sending, by `host`.
        static let quotaWait = "syndic_quota_wait_seconds_total"
    }

    /// The `status` of a request that got no answer (a refused connection, a timeout).
    static let noAnswer = "error"

    private let factory: any MetricsFactory
    private let lock = NSLock()
    /// The counters made so far, by label values: a floating-point counter keeps its fraction
    /// of a second between increments only as one object.
    private var calls: [String: Counter] = [:]
    private var waits: [String: FloatingPointCounter] = [:]

    /// Metrics made by `factory` (by default the process's, `MetricsSystem.factory`).
    init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// A request to `url` ended with `status` (nil: no answer came).
    func call(to url: String, status: Int?) {
        let host = Self.host(of: url)
        let status = status.map { String($0) } ?? Self.noAnswer
        let counter = lock.withLock { () -> Counter in
            let key = host + "\u{0}" + status
            if let counter = calls[key] { return counter }
            let counter = Counter(label: Name.calls, dimensions: [("host", host), ("status", status)], factory: factory)
            calls[key] = counter
            return counter
        }
        counter.increment()
    }

    /// `seconds` were spent waiting for quota before a request to `url`.
    func waitedForQuota(_ seconds: Double, at url: String) {
        guard seconds > 0 else { return }
        let host = Self.host(of: url)
        let counter = lock.withLock { () -> FloatingPointCounter in
            if let counter = waits[host] { return counter }
            let counter = FloatingPointCounter(label: Name.quotaWait, dimensions: [("host", host)], factory: factory)
            waits[host] = counter
            return counter
        }
        counter.increment(by: seconds)
    }

    /// The `host` label of `url`: its host, lower-cased (an IPv6 address in brackets), with
    /// `:port` when the URL gives a port; `unknown` for a URL without a host.
    static func host(of url: String) -> String {
        guard let components = URLComponents(string: url), let found = components.host, !found.isEmpty else {
            return "unknown"
        }
        let bare = found.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let host = bare.contains(":") ? "[\(bare)]" : bare
        return components.port.map { "\(host):\($0)" } ?? host
    }
}
