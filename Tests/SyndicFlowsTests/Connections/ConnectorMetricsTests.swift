import Foundation
import MetricsTestKit
import SyndicTestSupport
import SyndicTransfer
import Testing
@testable import SyndicFlows

/// The connector metrics against the simulators: every request a connector sends counts
/// under its host and status (token requests and retried attempts included, `error` when
/// no answer came), and the seconds waited for quota add up by host.
@Suite struct ConnectorMetricsTests {
    static let calls = ConnectorMetrics.Name.calls
    static let quotaWait = ConnectorMetrics.Name.quotaWait
    static let miraklKey = "metrics-key-3c9a"

    /// A transport that does not sleep between attempts (the waits are still counted).
    static func http(maxAttempts: Int = 3) -> HTTPClient {
        HTTPClient(maxAttempts: maxAttempts, baseDelay: 1, maxDelay: 60, sleep: { _ in })
    }

    static func host(_ server: LocalServer) -> String { "127.0.0.1:\(server.port)" }

    static func count(_ metrics: TestMetrics, host: String, status: String) -> Int64 {
        metrics.counterTotal(label: calls, dimensions: [("host", host), ("status", status)])
    }

    @Test func aMiraklCallCountsItsHostAndStatus() throws {
        let server = try LocalServer(simulator: "mirakl_sim.py", arguments: ["--api-key", Self.miraklKey])
        defer { server.kill() }
        let metrics = TestMetrics()
        let client = MiraklClient(baseURL: server.baseURL, apiKey: Self.miraklKey, http: Self.http(),
                                  metrics: ConnectorMetrics(factory: metrics))
        _ = try client.attributes()
        #expect(Self.count(metrics, host: Self.host(server), status: "200") == 1)

        let refused = MiraklClient(baseURL: server.baseURL, apiKey: "wrong-key", http: Self.http(),
                                   metrics: ConnectorMetrics(factory: metrics))
        #expect(throws: FlowError.self) { try refused.attributes() }
        #expect(Self.count(metrics, host: Self.host(server), status: "401") == 1)
        #expect(metrics.counterTotal(label: Self.calls) == 2)
        // One set of label names for the metric, whatever the answer.
        #expect(metrics.counters(label: Self.calls).allSatisfy { counter in
            Set(counter.dimensions.map { $0.0 }) == ["host", "status"]
        })
    }

    @Test func anAkeneoCallCountsItsTokenRequestToo() throws {
        let server = try LocalServer(simulator: "akeneo_sim.py")
        defer { server.kill() }
        let metrics = TestMetrics()
        let credentials = AkeneoClient.Credentials(clientId: "syndic_client", secret: "syndic_secret", username: "syndic",
                                                   password: "syndic_password")
        let client = AkeneoClient(baseURL: server.baseURL, credentials: credentials, http: Self.http(),
                                  metrics: ConnectorMetrics(factory: metrics))
        let response = try client.call("GET", url: server.baseURL + "/api/rest/v1/channels")
        #expect(response.status == 200)
        // The token request, then the call.
        #expect(Self.count(metrics, host: Self.host(server), status: "200") == 2)
        #expect(metrics.counterTotal(label: Self.calls) == 2)
    }

    /// Each attempt counts, those that got no answer under `error`.
    @Test func anUnreachableHostCountsEveryAttemptAsAnError() throws {
        let port = try TestPaths.closedPort()
        let metrics = TestMetrics()
        let client = MiraklClient(baseURL: "http://127.0.0.1:\(port)", apiKey: Self.miraklKey, http: Self.http(maxAttempts: 2),
                                  metrics: ConnectorMetrics(factory: metrics))
        let failure = try #require(throws: FlowError.self) { try client.attributes() }
        #expect(failure.kind == .connectivity)
        #expect(Self.count(metrics, host: "127.0.0.1:\(port)", status: ConnectorMetrics.noAnswer) == 2)
        #expect(metrics.counterTotal(label: Self.calls) == 2)
    }

    /// A 429 the transport waits out (its Retry-After) counts as a call and as quota wait.
    @Test func aRateLimitWaitedOutAddsItsRetryAfterToTheQuotaWait() throws {
        let server = try LocalServer(simulator: "mirakl_sim.py", arguments: ["--api-key", Self.miraklKey])
        defer { server.kill() }
        try server.control.fail("/api/products/attributes", status: 429, count: 1, retryAfter: 3)
        let metrics = TestMetrics()
        let client = MiraklClient(baseURL: server.baseURL, apiKey: Self.miraklKey, http: Self.http(),
                                  metrics: ConnectorMetrics(factory: metrics))
        _ = try client.attributes()
        #expect(Self.count(metrics, host: Self.host(server), status: "429") == 1)
        #expect(Self.count(metrics, host: Self.host(server), status: "200") == 1)
        #expect(metrics.counterTotal(label: Self.quotaWait, dimensions: [("host", Self.host(server))]) == 3)
    }

    /// Amazon's usage-plan pacing: a call that finds the bucket empty waits for the next
    /// token (here 2 seconds at 0.5 requests per second, on a clock that stands still).
    @Test func amazonPacingAddsItsWaitToTheQuotaWait() throws {
        let server = try LocalServer(simulator: "amazon_sim.py",
                                     arguments: ["--orders", OrderFlows.amazonOrdersFile, "--no-usage-plans"])
        defer { server.kill() }
        let metrics = TestMetrics()
        let instant = Date()
        let plans = UsagePlans(defaults: ["getOrderItems": UsagePlans.Plan(rate: 0.5, burst: 1)],
                               fallback: UsagePlans.Plan(rate: 1, burst: 1))
        let orders = AmazonOrders(baseURL: server.baseURL, tokenURL: server.baseURL + "/auth/o2/token",
                                  marketplaceID: "A13V1IB3VIYZZH",
                                  credentials: AmazonOrders.Credentials(clientId: "amzn_client", clientSecret: "amzn_secret",
                                                                        refreshToken: "Atzr|syndic-refresh"),
                                  owner: nil, use: nil, http: Self.http(), plans: plans, now: { instant },
                                  metrics: ConnectorMetrics(factory: metrics))
        _ = try orders.items(of: "402-1000003-2000003")
        #expect(metrics.counterTotal(label: Self.quotaWait) == 0)
        _ = try orders.items(of: "402-1000003-2000003")
        #expect(metrics.counterTotal(label: Self.quotaWait, dimensions: [("host", Self.host(server))]) == 2)
        #expect(orders.quota.waited == 2)
        // The Login with Amazon token, then the two getOrderItems.
        #expect(Self.count(metrics, host: Self.host(server), status: "200") == 3)
    }

    @Test func theHostLabelKeepsAGivenPortOnly() {
        #expect(ConnectorMetrics.host(of: "https://Marketplace.Example.com/api/orders?max=1") == "marketplace.example.com")
        #expect(ConnectorMetrics.host(of: "http://127.0.0.1:8080/api") == "127.0.0.1:8080")
        #expect(ConnectorMetrics.host(of: "http://[::1]:9000/") == "[::1]:9000")
        #expect(ConnectorMetrics.host(of: "not a url") == "unknown")
    }
}
