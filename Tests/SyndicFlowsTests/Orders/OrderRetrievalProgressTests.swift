import Foundation
import SyndicCore
import SyndicTestSupport
import Testing

/// What an order retrieval reports as its progress: pages and orders, and while it waits for
/// Amazon's quota, how long and for which operation.
struct OrderRetrievalProgressTests {
    @Test func anAmazonRetrievalReportsPagesOrdersAndItsQuotaWaits() async throws {
        // 40 orders: one getOrders page, 40 getOrderItems (a burst of 30, then 0.5/s at a
        // 20-fold rate: waits of a tenth of a second).
        let server = try OrderFlows.amazonSimulator(["--generate", "33", "--rate-scale", "20"])
        defer { server.kill() }
        let workspace = try AmazonOrderRetrievalTests.workspace(server)
        let reports = ProgressReports()
        let run = try await workspace.run("amazon_fr", .orderRetrieval) { _, progress in reports.append(progress) }
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["created"] == 40, "\(run.counts)")

        let seen = reports.values
        #expect(seen.allSatisfy { $0.unit == .pages && $0.noun == "orders" && $0.total == nil }, "\(seen)")
        let waits = seen.compactMap(\.waiting)
        #expect(waits.contains { $0.reason == "quota (getOrderItems)" }, "\(seen)")
        #expect(waits.allSatisfy { $0.seconds > 0 && $0.reason.hasPrefix("quota (") })
        // Each wait ends with a report without one.
        #expect(seen.last?.waiting == nil)
        #expect(seen.last?.done == 1)
        #expect(seen.last?.items == 40)
    }

    @Test func aMiraklRetrievalReportsItsPagesAndOrders() async throws {
        let server = try OrderFlows.miraklSimulator()
        defer { server.kill() }
        let workspace = try OrderFlows.workspace(files: ["mirakl_fr.yaml": OrderFlows.miraklChannel(endpoint: server.baseURL)])
        let reports = ProgressReports()
        let run = try await workspace.run("mirakl_fr", .orderRetrieval) { _, progress in reports.append(progress) }
        #expect(run.status == .succeeded, "\(run.error ?? "")")

        let seen = reports.values
        try #require(!seen.isEmpty)
        #expect(seen.map(\.done) == Array(1...seen.count), "one report per page")
        #expect(seen.allSatisfy { $0.unit == .pages && $0.waiting == nil })
        #expect(seen.last?.items == run.counts["fetched"])
    }
}
