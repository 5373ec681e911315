import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport
import Testing

/// Buyer data behind Amazon's Restricted Data Token (amazon_sim.py hides it without one).
struct AmazonRestrictedDataTests {
    @Test func ordersAreReadWithARestrictedDataTokenAndCarryTheBuyer() async throws {
        let server = try OrderFlows.amazonSimulator()
        defer { server.kill() }
        let workspace = try AmazonOrderRetrievalTests.workspace(server)
        let run = try await workspace.run("amazon_fr", .orderRetrieval)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["warnings"] == nil, "\(run.counts)")

        let requests = try server.control.requests()
        let tokens = requests.filter { $0.path == "/tokens/2021-03-01/restrictedDataToken" }
        #expect(tokens.map(\.status) == [200])
        // getOrders goes with the RDT, the other calls with the access token.
        let pages = requests.filter { $0.path == "/orders/v0/orders" }
        #expect(pages.allSatisfy { $0.status == 200 && $0.headers["x-amz-access-token"]?.hasPrefix("Atz.sprdt|") == true }, "\(pages)")
        let items = requests.filter { $0.path.hasSuffix("/orderItems") }
        #expect(items.allSatisfy { $0.headers["x-amz-access-token"]?.hasPrefix("Atza|") == true })

        let order = try workspace.order("402-1000003-2000003").stored.order
        #expect(order.customer.name == "Élodie Marchand")
        #expect(order.customer.email == "q8xk2mwz7d4lbn@marketplace.amazon.fr")
        #expect(order.shipping.line1 == "12 rue des Écoles")
        #expect(order.shipping.city == "Paris")

        // The token is kept for its lifetime: the next run asks for none.
        let second = try await workspace.run("amazon_fr", .orderRetrieval)
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(try server.control.requests().filter { $0.path == "/tokens/2021-03-01/restrictedDataToken" }.count == 1)
    }

    /// An application without the restricted role: the orders are stored without buyer data,
    /// the run succeeds with a warning, and one alert names the role (not one per run).
    @Test func withoutTheRestrictedRoleOrdersAreStoredAndOneAlertSaysWhichRole() async throws {
        let server = try OrderFlows.amazonSimulator(["--no-restricted-role"])
        defer { server.kill() }
        let workspace = try AmazonOrderRetrievalTests.workspace(server)
        let run = try await workspace.run("amazon_fr", .orderRetrieval)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["created"] == 7, "\(run.counts)")
        #expect(run.counts["warnings"] == 1)
        let report = try #require(run.report)
        #expect(report.contains("warning: Amazon refused a Restricted Data Token"), "\(report)")
        #expect(report.contains("Direct-to-Consumer Shipping"), "\(report)")
        #expect(try workspace.messages(run.id).contains { $0.contains("Restricted Data Token") })

        let order = try workspace.order("402-1000003-2000003").stored.order
        #expect(order.shipping.line1 == nil)
        #expect(order.customer.name == nil)
        #expect(order.shipping.city == "Paris")
        #expect(order.shipping.countryCode == "FR")

        let alerts = try workspace.store.undeliveredAlerts(limit: 10).filter { $0.kind != "cancellation-requested" }
        #expect(alerts.map(\.kind) == ["restricted-role-missing"])
        #expect(alerts.first?.message.contains("Direct-to-Consumer Shipping") == true)
        // The credentials are fine: nothing marks them invalid.
        #expect(try workspace.store.loadActualState().credentialProblems["channel.amazon_fr"] == nil)

        let second = try await workspace.run("amazon_fr", .orderRetrieval)
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(second.counts["warnings"] == 1)
        #expect(try workspace.store.undeliveredAlerts(limit: 10).filter { $0.kind == "restricted-role-missing" }.count == 1,
                "one alert a day, not one a run")
    }
}
