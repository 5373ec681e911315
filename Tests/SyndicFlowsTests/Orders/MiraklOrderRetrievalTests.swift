import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport
import Testing

/// Order retrieval from mirakl_sim.py (OR11) with the sample orders of mirakl_orders.json.
struct MiraklOrderRetrievalTests {
    static func workspace(_ server: LocalServer, key: String = OrderFlows.miraklKey) throws -> FlowWorkspace {
        try OrderFlows.workspace(miraklKey: key, files: ["mirakl_fr.yaml": OrderFlows.miraklChannel(endpoint: server.baseURL)])
    }

    @Test func storesTheSampleOrdersNormalized() async throws {
        let server = try OrderFlows.miraklSimulator()
        defer { server.kill() }
        let workspace = try Self.workspace(server)
        let run = try await workspace.run("mirakl_fr", .orderRetrieval)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts == ["fetched": 7, "created": 7, "updated": 0, "unchanged": 0, "cancellations": 1, "errors": 0])

        let stored = try workspace.storedOrders()
        #expect(stored.mapValues(\.status) == [
            "FR1001-A": "PENDING", "FR1002-A": "WAITING_FOR_SHIPMENT", "FR1003-A": "PARTIALLY_SHIPPED",
            "FR1004-A": "SHIPPED", "FR1005-A": "CANCELED", "FR1006-A": "REFUSED", "DE2001-A": "WAITING_FOR_SHIPMENT",
        ])
        #expect(stored["FR1001-A"]?.rawStatus == "WAITING_ACCEPTANCE")
        #expect(stored["FR1005-A"]?.rawStatus == "CLOSED")
        #expect(stored.values.allSatisfy { $0.marketplace == "mirakl" && $0.channel == "mirakl_fr" })
        #expect(stored["FR1002-A"]?.lines == 2)
        #expect(stored["FR1002-A"]?.total == 895.9)
        #expect(stored["FR1002-A"]?.currency == "EUR")

        let lyon = try workspace.order("FR1002-A").stored
        #expect(lyon.order.shipping.countryCode == "FR")
        #expect(lyon.order.shipping.city == "Lyon")
        #expect(lyon.order.shipping.line2 == "Bâtiment B")
        #expect(lyon.order.customer.name == "Jérôme N'Diaye")
        #expect(lyon.order.lines.map(\.lineID) == ["FR1002-A-1", "FR1002-A-2"])
        #expect(lyon.order.lines.map(\.sku) == ["SKU-000003", "SKU-000004"])
        #expect(lyon.order.lines.map(\.quantityOrdered) == [1, 2])
        #expect(lyon.order.lines.map(\.lineTotal) == [474.9, 421.0])
        #expect(try workspace.order("DE2001-A").stored.order.shipping.countryCode == "DE")
        let partial = try workspace.order("FR1003-A").stored.order
        #expect(partial.lines.map(\.quantityShipped) == [1, 0])
        #expect(UUID(uuidString: lyon.id) != nil, "\(lyon.id)")

        // The sample's cancelation of FR1005-A is an order event and an alert.
        let canceled = try workspace.order("FR1005-A")
        #expect(canceled.events.map(\.kind) == ["cancellation-requested"])
        #expect(canceled.events.first?.reference == "C-1")
        #expect(stored["FR1005-A"]?.cancellationRequested == true)
        let alerts = try workspace.store.undeliveredAlerts(limit: 50)
        #expect(alerts.map(\.kind) == ["cancellation-requested"])
        #expect(alerts.first?.message.contains("FR1005-A") == true)

        let calls = try server.control.requests().filter { $0.path == "/api/orders" }
        #expect(calls.count == 1)
        #expect(calls.first?.params["start_update_date"] != nil)
        #expect(try workspace.store.orderCursor(channel: "mirakl_fr", name: "retrieval") != nil)
    }

    /// The second fetch overlaps the first (syndic's margin and Mirakl's): orders seen
    /// before are not created again; a changed order is updated under the same internal id;
    /// a new cancelation on a line becomes an event and an alert, once.
    @Test func overlapChangesAndCancelations() async throws {
        let server = try OrderFlows.miraklSimulator()
        defer { server.kill() }
        let sample = try OrderFlows.miraklSampleJSON()
        // Two orders updated a minute ago: every fetch from now on sees them again.
        let recent = OrderFlows.iso(Date().addingTimeInterval(-60))
        try server.control.post("orders", .list(["FR1001-A", "DE2001-A"].map {
            OrderFlows.changed(sample[$0]!, ["last_updated_date": .string(recent)])
        }))
        let workspace = try Self.workspace(server)
        let first = try await workspace.run("mirakl_fr", .orderRetrieval)
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        #expect(first.counts["created"] == 7)
        let internalID = try workspace.order("FR1001-A").stored.id

        let second = try await workspace.run("mirakl_fr", .orderRetrieval)
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(second.counts["fetched"] == 2, "\(second.counts)")
        #expect(second.counts["created"] == 0)
        #expect(second.counts["updated"] == 0)
        #expect(second.counts["unchanged"] == 2)
        #expect(try workspace.store.orders(OrderFilter()).total == 7)

        // FR1001-A accepted on the marketplace; DE2001-A gets a cancelation on its line.
        var accepted = sample["FR1001-A"]!.objectValue!
        accepted["order_state"] = .string("SHIPPING")
        accepted["last_updated_date"] = .string(OrderFlows.iso(Date()))
        var line = accepted["order_lines"]!.listValue![0].objectValue!
        line["order_line_state"] = .string("SHIPPING")
        accepted["order_lines"] = .list([.object(line)])
        var canceled = sample["DE2001-A"]!.objectValue!
        canceled["last_updated_date"] = .string(OrderFlows.iso(Date()))
        var canceledLine = canceled["order_lines"]!.listValue![0].objectValue!
        canceledLine["cancelations"] = .list([.object([
            "id": .string("C-77"), "quantity": .int(1), "amount": .double(249.0), "reason_code": .string("CUSTOMER_REQUEST"),
            "created_date": .string(OrderFlows.iso(Date())),
        ])])
        canceled["order_lines"] = .list([.object(canceledLine)])
        try server.control.post("orders", .list([.object(accepted), .object(canceled)]))

        let third = try await workspace.run("mirakl_fr", .orderRetrieval)
        #expect(third.status == .succeeded, "\(third.error ?? "")")
        #expect(third.counts["created"] == 0)
        #expect(third.counts["updated"] == 2, "\(third.counts)")
        #expect(third.counts["cancellations"] == 1)
        let moved = try workspace.order("FR1001-A").stored
        #expect(moved.id == internalID)
        #expect(moved.order.status == .waitingForShipment)
        #expect(moved.order.rawStatus == "SHIPPING")
        let german = try workspace.order("DE2001-A")
        #expect(german.events.map(\.reference) == ["C-77"])
        #expect(german.events.first?.detail.contains("CUSTOMER_REQUEST") == true)
        #expect(german.stored.order.lines.first?.quantityCanceled == 1)
        let alerts = try workspace.store.undeliveredAlerts(limit: 50).filter { $0.kind == "cancellation-requested" }
        #expect(alerts.count == 2)
        #expect(alerts.contains { $0.message.contains("DE2001-A") && $0.runID == third.id })

        // Fetched again unchanged: no second event, no second alert.
        let fourth = try await workspace.run("mirakl_fr", .orderRetrieval)
        #expect(fourth.status == .succeeded, "\(fourth.error ?? "")")
        #expect(fourth.counts["cancellations"] == 0)
        #expect(fourth.counts["unchanged"] == 2)
        #expect(try workspace.order("DE2001-A").events.count == 1)
        #expect(try workspace.store.undeliveredAlerts(limit: 50).filter { $0.kind == "cancellation-requested" }.count == 2)
    }

    @Test func aWrongKeyFailsTheRunAndMarksTheCredentialsInvalid() async throws {
        let server = try OrderFlows.miraklSimulator()
        defer { server.kill() }
        let wrong = "wrong-orders-key-41d0"
        let workspace = try Self.workspace(server, key: wrong)
        let run = try await workspace.run("mirakl_fr", .orderRetrieval)
        #expect(run.status == .failed)
        let error = try #require(run.error)
        #expect(error.contains("refused the API key"), "\(error)")
        #expect(run.attempt == 1)
        #expect(!(try workspace.everything(run)).contains(wrong))
        let problem = try #require(try workspace.store.loadActualState().credentialProblems["channel.mirakl_fr"])
        #expect(problem.contains("refused the API key"))
        #expect(try workspace.store.orders(OrderFilter()).total == 0)
        #expect(try workspace.store.orderCursor(channel: "mirakl_fr", name: "retrieval") == nil)
        let alerts = try workspace.store.undeliveredAlerts(limit: 10)
        #expect(alerts.map(\.kind) == ["authentication-failed"])
        #expect(alerts.allSatisfy { !$0.message.contains(wrong) })
    }

    /// More orders than an OR11 page holds: every page is read, by offset.
    @Test func readsEveryPage() async throws {
        let server = try OrderFlows.miraklSimulator(["--generate", "150"])
        defer { server.kill() }
        let workspace = try Self.workspace(server)
        let run = try await workspace.run("mirakl_fr", .orderRetrieval)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["fetched"] == 157, "\(run.counts)")
        #expect(run.counts["created"] == 157)
        #expect(run.counts["errors"] == 0)
        #expect(try workspace.store.orders(OrderFilter()).total == 157)
        let calls = try server.control.requests().filter { $0.path == "/api/orders" }
        #expect(calls.map { $0.params["offset"] ?? "" } == ["0", "100"], "\(calls)")
        #expect(calls.allSatisfy { $0.params["max"] == "100" && $0.params["sort"] == "dateCreated" })
    }

    /// An order that cannot be read is logged and counted; the others are stored.
    @Test func anUnreadableOrderDoesNotStopTheOthers() async throws {
        let server = try OrderFlows.miraklSimulator()
        defer { server.kill() }
        try server.control.post("orders", .list([.object([
            "order_id": .string("BROKEN-1"), "last_updated_date": .string(OrderFlows.iso(Date())), "order_lines": .list([]),
        ])]))
        let workspace = try Self.workspace(server)
        let run = try await workspace.run("mirakl_fr", .orderRetrieval)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["fetched"] == 8, "\(run.counts)")
        #expect(run.counts["created"] == 7)
        #expect(run.counts["errors"] == 1)
        #expect(try workspace.messages(run.id).contains { $0.contains("BROKEN-1") && $0.contains("order_state") })
        #expect(try workspace.store.orderDetail("BROKEN-1").isEmpty)
        #expect(try workspace.store.orderCursor(channel: "mirakl_fr", name: "retrieval") != nil)
    }

    @Test func aDryRunStoresNothing() async throws {
        let server = try OrderFlows.miraklSimulator()
        defer { server.kill() }
        let workspace = try Self.workspace(server)
        let run = try await workspace.run("mirakl_fr", .orderRetrieval, dryRun: true)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["fetched"] == 7)
        #expect(run.counts["created"] == 0)
        #expect(run.report?.contains("dry run") == true, "\(run.report ?? "")")
        #expect(try workspace.store.orders(OrderFilter()).total == 0)
        #expect(try workspace.store.orderCursor(channel: "mirakl_fr", name: "retrieval") == nil)
        #expect(try workspace.store.undeliveredAlerts(limit: 10).isEmpty)

        // The real run after it still starts from the lookback.
        let real = try await workspace.run("mirakl_fr", .orderRetrieval)
        #expect(real.counts["created"] == 7, "\(real.counts)")
    }
}
