import Foundation
import SyndicCore
import SyndicTestSupport
import SyndicTransfer
import Testing
@testable import SyndicFlows

/// Amazon retrieval with getOrders pages read ahead of the getOrderItems calls (amazon_sim.py,
/// small pages so that both usage plans matter, rates scaled up): orders come in Amazon's
/// order, each once, the pages' reading overlaps the items', nothing is refused for quota;
/// a page that fails comes after the pages before it, and a caller that stops stops the
/// reading of pages, even in a quota wait.
struct AmazonOrderReadAheadTests {
    static let since = Date(timeIntervalSince1970: 1_700_000_000)

    static func client(_ server: LocalServer, plans: UsagePlans) -> AmazonOrders {
        AmazonOrders(baseURL: server.baseURL, tokenURL: server.baseURL + "/auth/o2/token", marketplaceID: "A13V1IB3VIYZZH",
                     credentials: AmazonOrders.Credentials(clientId: "amzn_client", clientSecret: "amzn_secret",
                                                           refreshToken: "Atzr|syndic-refresh"),
                     owner: nil, use: nil, http: HTTPClient(maxAttempts: 1), plans: plans)
    }

    /// Plans that never wait for getOrderItems, and let `pages` getOrders go at once, then one
    /// every `1 / rate` seconds.
    static func plans(pages: Double, rate: Double) -> UsagePlans {
        UsagePlans(defaults: ["getOrders": UsagePlans.Plan(rate: rate, burst: pages),
                              "getOrderItems": UsagePlans.Plan(rate: 1000, burst: 1000),
                              "createRestrictedDataToken": UsagePlans.Plan(rate: 10, burst: 10)],
                   fallback: UsagePlans.Plan(rate: 1, burst: 1))
    }

    /// Amazon's plans with the bursts amazon_sim.py keeps at `--burst-scale 0.15` (getOrders 3,
    /// getOrderItems 4, createRestrictedDataToken 2), paced as syndic paces the real ones (it
    /// keeps one getOrders in hand); the rates are learned from the answers. A fresh set: no
    /// bucket an earlier test left is shared.
    static func smallBursts() -> UsagePlans {
        UsagePlans(defaults: ["getOrders": UsagePlans.Plan(rate: 0.0167, burst: 3),
                              "getOrderItems": UsagePlans.Plan(rate: 0.5, burst: 4),
                              "createRestrictedDataToken": UsagePlans.Plan(rate: 1, burst: 2)],
                   fallback: UsagePlans.Plan(rate: 1, burst: 1), rateShare: 0.997, reserve: 0.1)
    }

    /// 300 orders in 30 pages of 10 at Amazon's rates 600 times faster and small bursts: two
    /// pages go at once (the second while the first's items are fetched), the 28 others one
    /// every 0.1 s (about 2.8 s). However fast or slow the items come, the reader (two pages
    /// ahead) asks for the third page at once and waits for its quota.
    @Test func ordersComeInAmazonsOrderEachOnceWithoutRefusals() throws {
        let server = try LocalServer(simulator: "amazon_sim.py",
                                     arguments: ["--generate", "300", "--max-page-size", "10", "--rate-scale", "600",
                                                 "--burst-scale", "0.15"])
        defer { server.kill() }
        let orders = Self.client(server, plans: Self.smallBursts())
        var pages: [[String]] = []
        try orders.orders(updatedSince: Self.since) { page in
            pages.append(page.map { result in (try? result.get())?.marketplaceID ?? "unreadable" })
        }

        // Amazon's order: by LastUpdateDate, then AmazonOrderId (the generated dates all read
        // YYYY-MM-DDTHH:MM:SSZ, so their text sorts as they do).
        let all = try #require(try server.control.get("orders").listValue)
        let expected = all.compactMap { order -> (String, String)? in
            guard let id = order["AmazonOrderId"]?.stringValue, let updated = order["LastUpdateDate"]?.stringValue else { return nil }
            return (updated, id)
        }.sorted { $0 < $1 }.map { $0.1 }
        #expect(expected.count == 300)
        #expect(pages.count == 30)
        #expect(pages.allSatisfy { $0.count == 10 })
        #expect(pages.flatMap { $0 } == expected)

        let requests = try server.control.requests()
        #expect(requests.allSatisfy { $0.status == 200 }, "\(requests.filter { $0.status != 200 })")
        #expect(orders.quota.refusals == 0)
        #expect(orders.quota.waited > 0, "getOrders never waited: the plans did not matter")
        let quota = try server.control.get("quota")
        #expect(quota.value(at: "getOrders.throttled")?.intValue == 0, "\(quota)")
        #expect(quota.value(at: "getOrderItems.throttled")?.intValue == 0, "\(quota)")
        let items = requests.filter { $0.path.hasSuffix("/orderItems") }.map(\.path)
        #expect(items.count == 300)
        #expect(Set(items) == Set(expected.map { "/orders/v0/orders/\($0)/orderItems" }))

        // Pages are read while the items of the page before are fetched: some getOrders call
        // reaches Amazon before the last getOrderItems of the previous page.
        let pageCalls = requests.indices.filter { requests[$0].path == "/orders/v0/orders" }
        #expect(pageCalls.count == 30)
        let overlapping = (1..<max(1, min(pageCalls.count, pages.count))).filter { page in
            let previous = Set(pages[page - 1].map { "/orders/v0/orders/\($0)/orderItems" })
            guard let lastItems = requests.indices.last(where: { previous.contains(requests[$0].path) }) else { return false }
            return pageCalls[page] < lastItems
        }
        #expect(!overlapping.isEmpty, "every getOrders waited for the items of the page before")
    }

    /// The second page fails: the first comes, with its items, then the failure; no page is
    /// asked for after it.
    @Test func aPageThatFailsComesAfterThePagesBeforeIt() throws {
        let server = try LocalServer(simulator: "amazon_sim.py",
                                     arguments: ["--generate", "50", "--max-page-size", "10", "--no-usage-plans"])
        defer { server.kill() }
        try server.control.fail("/orders/v0/orders", status: 400, count: 1, queryContains: "NextToken")
        let orders = Self.client(server, plans: Self.plans(pages: 20, rate: 1))
        var pages: [Int] = []
        do {
            try orders.orders(updatedSince: Self.since) { page in pages.append(page.count) }
            Issue.record("the refused page went unnoticed")
        } catch let failure as FlowError {
            #expect(failure.httpStatus == 400)
            #expect(failure.message.contains("getOrders"), "\(failure.message)")
        }
        #expect(pages == [10])
        let requests = try server.control.requests()
        #expect(requests.filter { $0.path == "/orders/v0/orders" }.map(\.status) == [200, 400])
        #expect(requests.filter { $0.path.hasSuffix("/orderItems") }.count == 10)
    }

    /// The caller stops after the first page while the reader waits 20 s for getOrders quota
    /// (two pages at once, then one every 20 s): the retrieval ends at once, and no further
    /// page is asked for.
    @Test func aCallerThatStopsStopsTheReaderInItsQuotaWait() throws {
        struct Enough: Error {}
        let server = try LocalServer(simulator: "amazon_sim.py",
                                     arguments: ["--generate", "50", "--max-page-size", "10", "--no-usage-plans"])
        defer { server.kill() }
        let orders = Self.client(server, plans: Self.plans(pages: 2, rate: 0.05))
        let start = Date()
        #expect(throws: Enough.self) {
            try orders.orders(updatedSince: Self.since) { _ in throw Enough() }
        }
        #expect(Date().timeIntervalSince(start) < 5)
        Thread.sleep(forTimeInterval: 0.5)
        // The second page, unless the caller stopped before it was asked for; never a third.
        #expect((1...2).contains(try server.control.requests().filter { $0.path == "/orders/v0/orders" }.count))
    }
}
