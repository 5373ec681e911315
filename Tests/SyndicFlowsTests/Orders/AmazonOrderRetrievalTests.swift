import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport
import Testing

/// Order retrieval from amazon_sim.py (LWA token, getOrders by NextToken, getOrderItems) with
/// the sample orders of amazon_orders.json.
struct AmazonOrderRetrievalTests {
    static func workspace(_ server: LocalServer, refreshToken: String = "Atzr|syndic-refresh") throws -> FlowWorkspace {
        let workspace = try FlowWorkspace(registry: OrderFlows.registry)
        try workspace.secret("amzn_client", "amzn_client")
        try workspace.secret("amzn_secret", "amzn_secret")
        try workspace.secret("amzn_refresh", refreshToken)
        try workspace.config("amazon_fr.yaml", OrderFlows.amazonChannel(endpoint: server.baseURL))
        try workspace.apply()
        return workspace
    }

    /// getOrders pages hold up to 100 orders (syndic asks for the most, getOrders being
    /// rate-limited hard), so 95 generated orders beside the 7 samples make two pages;
    /// getOrderItems pages of one item make every multi-item order follow NextToken too.
    @Test func readsEveryPageWithItemsAndFulfilment() async throws {
        let server = try OrderFlows.amazonSimulator(["--generate", "95", "--items-page-size", "1"])
        defer { server.kill() }
        let workspace = try Self.workspace(server)
        let run = try await workspace.run("amazon_fr", .orderRetrieval)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["fetched"] == 102, "\(run.counts)")
        #expect(run.counts["created"] == 102)
        #expect(run.counts["errors"] == 0)

        let requests = try server.control.requests()
        #expect(requests.filter { $0.path == "/auth/o2/token" }.count == 1)
        let pages = requests.filter { $0.path == "/orders/v0/orders" }
        #expect(pages.count == 2, "\(pages)")
        #expect(pages.first?.params["LastUpdatedAfter"] != nil)
        #expect(pages.first?.params["MarketplaceIds"] == "A13V1IB3VIYZZH")
        #expect(pages.dropFirst().allSatisfy { $0.params["NextToken"] != nil && $0.params["LastUpdatedAfter"] == nil })
        let items = requests.filter { $0.path.hasSuffix("/orderItems") }
        #expect(Set(items.map(\.path)).count == 102)
        #expect(items.filter { $0.path == "/orders/v0/orders/402-1000003-2000003/orderItems" }.map { $0.params["NextToken"] != nil }
                == [false, true])
        #expect(requests.allSatisfy { $0.status == 200 }, "\(requests.filter { $0.status != 200 })")

        let stored = try workspace.storedOrders().filter { $0.key.hasPrefix("402-100000") }
        #expect(stored.mapValues(\.status) == [
            "402-1000001-2000001": "PENDING", "402-1000002-2000002": "PENDING", "402-1000003-2000003": "WAITING_FOR_SHIPMENT",
            "402-1000004-2000004": "WAITING_FOR_SHIPMENT", "402-1000005-2000005": "PARTIALLY_SHIPPED",
            "402-1000006-2000006": "SHIPPED", "402-1000007-2000007": "CANCELED",
        ])
        #expect(stored.values.allSatisfy { $0.marketplace == "amazon" })
        #expect(stored["402-1000006-2000006"]?.fulfilledBy == "marketplace")
        #expect(stored["402-1000003-2000003"]?.fulfilledBy == "merchant")

        let two = try workspace.order("402-1000003-2000003").stored.order
        #expect(two.lines.map(\.lineID) == ["10000003000101", "10000003000201"])
        #expect(two.lines.map(\.sku) == ["SKU-000001", "SKU-000002"])
        #expect(two.lines.map(\.quantityOrdered) == [1, 2])
        #expect(two.lines.map(\.lineTotal) == [46.9, 167.8])
        #expect(two.shipping.countryCode == "FR")
        let partial = try workspace.order("402-1000005-2000005").stored.order
        #expect(partial.lines.map(\.quantityShipped) == [1, 0])
        #expect(partial.shipping.countryCode == "DE")
        // Amazon hides a pending order's address.
        #expect(try workspace.order("402-1000001-2000001").stored.order.shipping.countryCode == nil)
    }

    /// Another application used the seller's quota: the second getOrders page answers 429
    /// (QuotaExceeded, no Retry-After, no rate); the client waits for the next token at the
    /// rate it learned from the first page and asks for the same page again, resuming from
    /// its NextToken; the report says how long it waited.
    @Test func aQuotaRefusalIsWaitedOutAndThePageAskedAgain() async throws {
        let server = try OrderFlows.amazonSimulator(["--generate", "150", "--rate-scale", "100"])
        defer { server.kill() }
        let workspace = try Self.workspace(server)
        try server.control.fail("/orders/v0/orders", status: 429, count: 1, queryContains: "NextToken")
        let run = try await workspace.run("amazon_fr", .orderRetrieval)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["created"] == 157, "\(run.counts)")
        let pages = try server.control.requests().filter { $0.path == "/orders/v0/orders" }
        let refused = pages.indices.filter { pages[$0].status == 429 }
        #expect(!refused.isEmpty, "\(pages)")
        for index in refused {
            // The next call asks for the same page, and gets it.
            #expect(index + 1 < pages.count && pages[index + 1].params["NextToken"] == pages[index].params["NextToken"])
        }
        #expect(refused.count == 1)
        #expect(pages.filter { $0.status == 200 }.count == 2)
        let throttled = try server.control.requests().filter { $0.status == 429 }
        #expect(run.counts["quota_refusals"] == throttled.count, "\(run.counts) \(throttled)")
        #expect((run.counts["quota_wait_ms"] ?? 0) > 0)
        #expect(run.report?.contains("for quota") == true, "\(run.report ?? "")")
    }

    /// At Amazon's published usage plans, a retrieval paces itself: the bursts go at once,
    /// then one call per refill, and Amazon refuses nothing.
    @Test func pacingAtThePublishedPlansIsNeverRefused() async throws {
        // 40 orders: one getOrders page, 40 getOrderItems (a burst of 30, then 0.5/s at a
        // 20-fold rate: half a second of waiting).
        let server = try OrderFlows.amazonSimulator(["--generate", "33", "--rate-scale", "20"])
        defer { server.kill() }
        let workspace = try Self.workspace(server)
        let run = try await workspace.run("amazon_fr", .orderRetrieval)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["created"] == 40, "\(run.counts)")
        #expect(try server.control.requests().allSatisfy { $0.status != 429 })
        #expect(run.counts["quota_refusals"] == 0, "\(run.counts)")
        #expect((run.counts["quota_wait_ms"] ?? 0) >= 500, "\(run.counts)")
        let quota = try server.control.get("quota")
        #expect(quota.value(at: "getOrderItems.throttled")?.intValue == 0, "\(quota)")
    }

    /// A token cached by the previous run is reused; once the SP-API refuses it (403), one new
    /// token is asked for and the call goes on.
    @Test func aRefusedAccessTokenIsRenewedOnce() async throws {
        let server = try OrderFlows.amazonSimulator()
        defer { server.kill() }
        let workspace = try Self.workspace(server)
        let first = try await workspace.run("amazon_fr", .orderRetrieval)
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        let second = try await workspace.run("amazon_fr", .orderRetrieval)
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(try server.control.requests().filter { $0.path == "/auth/o2/token" }.count == 1)

        try server.control.post("expire-tokens")
        try server.control.post("orders", .list([.object([
            "AmazonOrderId": .string("402-1000008-2000008"), "OrderStatus": .string("Unshipped"),
            "OrderItems": .list([.object(["OrderItemId": .string("10000008000101"), "SellerSKU": .string("SKU-000011"),
                                          "ASIN": .string("B000000011"), "QuantityOrdered": .int(1),
                                          "QuantityShipped": .int(0)])]),
        ])]))
        let third = try await workspace.run("amazon_fr", .orderRetrieval)
        #expect(third.status == .succeeded, "\(third.error ?? "")")
        #expect(third.counts["created"] == 1, "\(third.counts)")
        let requests = try server.control.requests()
        #expect(requests.filter { $0.path == "/auth/o2/token" }.count == 2)
        // The expired Restricted Data Token is refused once; a new access token and a new
        // RDT are asked for, and the page comes.
        #expect(requests.filter { $0.status == 403 }.count == 1, "\(requests)")
        #expect(try workspace.store.loadActualState().credentialProblems["channel.amazon_fr"] == nil)
    }

    @Test func aWrongRefreshTokenFailsWithAnAuthenticationError() async throws {
        let server = try OrderFlows.amazonSimulator()
        defer { server.kill() }
        let wrong = "Atzr|wrong-refresh-6f20"
        let workspace = try Self.workspace(server, refreshToken: wrong)
        let run = try await workspace.run("amazon_fr", .orderRetrieval)
        #expect(run.status == .failed)
        let error = try #require(run.error)
        #expect(error.contains("refused the credentials"), "\(error)")
        #expect(error.contains("invalid_grant"), "\(error)")
        #expect(run.attempt == 1)
        #expect(!(try workspace.everything(run)).contains(wrong))
        let problem = try #require(try workspace.store.loadActualState().credentialProblems["channel.amazon_fr"])
        #expect(!problem.contains(wrong))
        #expect(try workspace.store.orders(OrderFilter()).total == 0)
        #expect(try server.control.requests().map(\.path) == ["/auth/o2/token"])
        #expect(try workspace.store.undeliveredAlerts(limit: 10).map(\.kind) == ["authentication-failed"])
    }
}
