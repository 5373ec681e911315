import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport
import Testing

/// OR11 read in creation order, the retrieval cursor moved only as far as the orders read,
/// and OR21 acceptance, against mirakl_sim.py.
struct MiraklOrderPagingTests {
    /// The simulator's orders in OR11's order (created date, then id).
    static func creationOrder(_ server: LocalServer) throws -> [Value] {
        (try server.control.get("orders").listValue ?? []).sorted {
            let left = ($0["created_date"]?.stringValue.flatMap(ISODate.parse) ?? .distantPast, $0["order_id"]?.stringValue ?? "")
            let right = ($1["created_date"]?.stringValue.flatMap(ISODate.parse) ?? .distantPast, $1["order_id"]?.stringValue ?? "")
            return left < right
        }
    }

    /// 130 orders, two pages; an order of the first page changes after that page is read.
    /// Sorted by update date it would move behind the others and push one out of the second
    /// page; in creation order nothing moves: every order is stored, and the change comes
    /// with the next run.
    @Test func anOrderUpdatedBetweenPagesLosesNoOrder() async throws {
        let server = try OrderFlows.miraklSimulator(["--generate", "123"])
        defer { server.kill() }
        let orders = try Self.creationOrder(server)
        try #require(orders.count == 130)
        let moved = try #require(orders[10]["order_id"]?.stringValue)
        let before = try #require(orders[10]["total_price"]?.numberValue)
        _ = try server.control.post("update-after-page", .object([
            "page": .int(1), "order_id": .string(moved), "changes": .object(["total_price": .double(before + 100)]),
        ]))
        let workspace = try MiraklOrderRetrievalTests.workspace(server)
        let first = try await workspace.run("mirakl_fr", .orderRetrieval)
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        #expect(first.counts["created"] == 130, "\(first.counts)")
        #expect(try workspace.store.orders(OrderFilter()).total == 130)
        let hooks = try server.control.get("hooks").listValue ?? []
        #expect(hooks.first?["fired"]?.boolValue == true, "\(hooks)")
        let calls = try server.control.requests().filter { $0.path == "/api/orders" }
        #expect(calls.map { $0.params["offset"] ?? "" } == ["0", "100"])
        #expect(calls.allSatisfy { $0.params["sort"] == "dateCreated" && $0.params["order"] == "asc" })
        #expect(try workspace.order(moved).stored.order.total == before)

        // The cursor stands at the latest update the pages showed (all generated orders
        // changed before the run): the change made after page 1 was read is later, so the next
        // run reads it.
        let latestRead = orders.compactMap { $0["last_updated_date"]?.stringValue.flatMap(ISODate.parse) }.max()
        let cursor = try #require(try workspace.store.orderCursor(channel: "mirakl_fr", name: "retrieval"))
        #expect(ISODate.parse(cursor) == latestRead, "\(cursor)")

        let second = try await workspace.run("mirakl_fr", .orderRetrieval)
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(second.counts["updated"] == 1, "\(second.counts)")
        #expect(second.counts["created"] == 0)
        #expect(try workspace.order(moved).stored.order.total == before + 100)
        #expect(try workspace.store.orders(OrderFilter()).total == 130)
    }

    /// Two changes while the pages are read: an order of page 1 after its page was read, then
    /// an order of page 2 (read with its change, dated an hour ahead). The cursor stops at the
    /// run's start, not at the later update: the next run still brings page 1's change.
    @Test func aLaterUpdateOnALaterPageDoesNotSkipAnEarlierOne() async throws {
        let server = try OrderFlows.miraklSimulator(["--generate", "123"])
        defer { server.kill() }
        let orders = try Self.creationOrder(server)
        let early = try #require(orders[5]["order_id"]?.stringValue)
        let late = try #require(orders[120]["order_id"]?.stringValue)
        let total = try #require(orders[5]["total_price"]?.numberValue)
        let ahead = ISODate.milliseconds(Date().addingTimeInterval(3600))
        _ = try server.control.post("update-after-page", .object([
            "page": .int(1), "order_id": .string(early), "changes": .object(["total_price": .double(total + 7)]),
        ]))
        _ = try server.control.post("update-after-page", .object([
            "page": .int(1), "order_id": .string(late), "changes": .object(["last_updated_date": .string(ahead)]),
        ]))
        let workspace = try MiraklOrderRetrievalTests.workspace(server)
        let started = Date()
        let first = try await workspace.run("mirakl_fr", .orderRetrieval)
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        #expect(first.counts["created"] == 130, "\(first.counts)")
        let cursor = try #require(try workspace.store.orderCursor(channel: "mirakl_fr", name: "retrieval").flatMap(ISODate.parse))
        #expect(cursor < started.addingTimeInterval(60), "\(cursor) is past the run's start")
        #expect(cursor >= started.addingTimeInterval(-60))

        let second = try await workspace.run("mirakl_fr", .orderRetrieval)
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(try workspace.order(early).stored.order.total == total + 7)
    }

    /// A run that reads nothing newer (only the overlap again) leaves the cursor where it was.
    @Test func aRunThatReadsNothingNewerKeepsTheCursor() async throws {
        let server = try OrderFlows.miraklSimulator()
        defer { server.kill() }
        let workspace = try MiraklOrderRetrievalTests.workspace(server)
        _ = try await workspace.run("mirakl_fr", .orderRetrieval)
        let cursor = try #require(try workspace.store.orderCursor(channel: "mirakl_fr", name: "retrieval"))
        let second = try await workspace.run("mirakl_fr", .orderRetrieval)
        #expect(second.counts["created"] == 0, "\(second.counts)")
        #expect(second.counts["updated"] == 0, "\(second.counts)")
        #expect(try workspace.store.orderCursor(channel: "mirakl_fr", name: "retrieval") == cursor)
    }

    static func acceptingWorkspace(_ server: LocalServer, accept: Bool) throws -> FlowWorkspace {
        let orders = "    retrieval: true\n    confirmations: true\n    lookbackDays: 3650\n    accept: \(accept)"
        return try OrderFlows.workspace(files: ["mirakl_fr.yaml": OrderFlows.miraklChannel(endpoint: server.baseURL, orders: orders)])
    }

    /// `orders.accept`: an order waiting for acceptance is accepted line by line (OR21) and
    /// stored as Mirakl shows it then, with its address and the buyer's email.
    @Test func acceptingOrdersStoresThemWithTheirAddress() async throws {
        let server = try OrderFlows.miraklSimulator()
        defer { server.kill() }
        let workspace = try Self.acceptingWorkspace(server, accept: true)
        let run = try await workspace.run("mirakl_fr", .orderRetrieval)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["accepted"] == 1, "\(run.counts)")
        #expect(run.report?.contains("accepted 1 orders") == true, "\(run.report ?? "")")
        let accepts = try server.control.requests().filter { $0.method == "PUT" }
        #expect(accepts.map(\.path) == ["/api/orders/FR1001-A/accept"])
        let order = try workspace.order("FR1001-A").stored.order
        #expect(order.status == .waitingForShipment)
        #expect(order.rawStatus == "SHIPPING")
        #expect(order.shipping.city == "Paris")
        #expect(order.shipping.line1 != nil)
        #expect(order.customer.email?.contains("@") == true)
        #expect(try Self.accepted(server, "FR1001-A") == ["SHIPPING"])
    }

    /// Without `orders.accept` (the default) and in a dry run, nothing is accepted: the
    /// order waits, without an address, for acceptance elsewhere.
    @Test(arguments: [(false, false), (true, true)])
    func ordersWaitWhenNotAccepted(_ accept: Bool, _ dryRun: Bool) async throws {
        let server = try OrderFlows.miraklSimulator()
        defer { server.kill() }
        let workspace = try Self.acceptingWorkspace(server, accept: accept)
        let run = try await workspace.run("mirakl_fr", .orderRetrieval, dryRun: dryRun)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["accepted"] == nil)
        #expect(try server.control.requests().filter { $0.method == "PUT" }.isEmpty)
        #expect(try Self.accepted(server, "FR1001-A") == ["WAITING_ACCEPTANCE"])
        if !dryRun {
            let order = try workspace.order("FR1001-A").stored.order
            #expect(order.status == .pending)
            #expect(order.shipping.line1 == nil)
            #expect(order.customer.email == nil)
        }
    }

    static func accepted(_ server: LocalServer, _ id: String) throws -> [String] {
        try server.control.get("orders").listValue?.filter { $0["order_id"]?.stringValue == id }
            .compactMap { $0["order_state"]?.stringValue } ?? []
    }
}
