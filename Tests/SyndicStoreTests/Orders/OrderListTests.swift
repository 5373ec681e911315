import Foundation
import SyndicCore
import Testing
@testable import SyndicStore

/// The order list and detail of `syndic orders`, and the orders a channel delete removes.
@Suite struct OrderListTests {
    typealias F = OrderFixtures

    /// Five orders: A, B and C in `shop`, received at t0, t0+1d and t0+2d; D and E in `outlet`.
    static func populated(_ backend: StateBackend) throws -> F.Workspace {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("402-100", purchasedDaysAgo: 3), F.order("402-200", status: .shipped, purchasedDaysAgo: 1)])
        try F.upsert(store, [F.order("FR_1%", status: .canceled, purchasedDaysAgo: 2)], at: F.t0.addingTimeInterval(86_400))
        try F.upsert(store, [F.order("402-300", purchasedDaysAgo: 5)], channel: "outlet", marketplace: "amazon",
                     at: F.t0.addingTimeInterval(2 * 86_400))
        try F.upsert(store, [F.order("FR-2", status: .pending, purchasedDaysAgo: 4)], channel: "outlet", marketplace: "amazon",
                     at: F.t0.addingTimeInterval(2 * 86_400))
        try store.recordOrderError(channel: "shop", marketplaceID: "402-100", runID: nil, stage: "export", message: "e", at: F.t0)
        try store.recordOrderError(channel: "outlet", marketplaceID: "FR-2", runID: nil, stage: "export", message: "e", at: F.t0)
        try store.recordOrderError(channel: "outlet", marketplaceID: "FR-2", runID: nil, stage: "export", message: "e", at: F.t0)
        return workspace
    }

    static func ids(_ store: any StateStore, _ configure: (inout OrderFilter) -> Void) throws -> [String] {
        var filter = OrderFilter()
        configure(&filter)
        return try store.orders(filter).orders.map(\.marketplaceID)
    }

    @Test(arguments: StateBackend.allCases)
    func allOrdersNewestPurchaseFirst(_ backend: StateBackend) throws {
        let workspace = try Self.populated(backend)
        let result = try workspace.store.orders(OrderFilter())
        #expect(result.orders.map(\.marketplaceID) == ["402-200", "FR_1%", "402-100", "FR-2", "402-300"])
        #expect(result.total == 5)
        let first = try #require(result.orders.first)
        #expect(first.channel == "shop")
        #expect(first.marketplace == "mirakl")
        #expect(first.status == "SHIPPED")
        #expect(first.rawStatus == "SHIPPED")
        #expect(first.fulfilledBy == "merchant")
        #expect(first.purchaseDate == F.t0.addingTimeInterval(-86_400))
        #expect(first.receivedAt == F.t0)
        #expect(first.total == 30)
        #expect(first.currency == "EUR")
        #expect(first.lines == 2)
        #expect(first.errors == 0)
    }

    @Test(arguments: StateBackend.allCases)
    func filtersByStatusAndChannel(_ backend: StateBackend) throws {
        let workspace = try Self.populated(backend)
        let store = workspace.store
        #expect(try Self.ids(store) { $0.statuses = [.waitingForShipment] } == ["402-100", "402-300"])
        #expect(try Self.ids(store) { $0.statuses = [.canceled, .pending] } == ["FR_1%", "FR-2"])
        #expect(try Self.ids(store) { $0.channels = ["outlet"] } == ["FR-2", "402-300"])
        #expect(try Self.ids(store) { $0.channels = ["outlet", "shop"] }.count == 5)
        #expect(try Self.ids(store) { $0.channels = ["shop"]; $0.statuses = [.waitingForShipment] } == ["402-100"])
        #expect(try Self.ids(store) { $0.channels = ["nowhere"] } == [])
    }

    @Test(arguments: StateBackend.allCases)
    func filtersByReceivedDateHalfOpen(_ backend: StateBackend) throws {
        let workspace = try Self.populated(backend)
        let store = workspace.store
        let day = 86_400.0
        #expect(try Self.ids(store) { $0.receivedFrom = F.t0.addingTimeInterval(day) }
            == ["FR_1%", "FR-2", "402-300"])
        #expect(try Self.ids(store) { $0.receivedBefore = F.t0.addingTimeInterval(day) } == ["402-200", "402-100"])
        #expect(try Self.ids(store) {
            $0.receivedFrom = F.t0.addingTimeInterval(day)
            $0.receivedBefore = F.t0.addingTimeInterval(2 * day)
        } == ["FR_1%"])
        // An update does not move the received date.
        try F.upsert(store, [F.order("402-100", status: .shipped, purchasedDaysAgo: 3)], at: F.t0.addingTimeInterval(5 * day))
        #expect(try Self.ids(store) { $0.receivedFrom = F.t0.addingTimeInterval(3 * day) } == [])
    }

    @Test(arguments: StateBackend.allCases)
    func searchesByIdOrThePrefixOfOne(_ backend: StateBackend) throws {
        let workspace = try Self.populated(backend)
        let store = workspace.store
        #expect(try Self.ids(store) { $0.search = "402-" } == ["402-200", "402-100", "402-300"])
        #expect(try Self.ids(store) { $0.search = "402-2" } == ["402-200"])
        #expect(try Self.ids(store) { $0.search = "FR-2" } == ["FR-2"])
        // LIKE wildcards in the search are literal.
        #expect(try Self.ids(store) { $0.search = "FR_" } == ["FR_1%"])
        #expect(try Self.ids(store) { $0.search = "FR%" } == [])
        #expect(try Self.ids(store) { $0.search = "%" } == [])
        #expect(try Self.ids(store) { $0.search = "02-" } == [], "a prefix, not a substring")
        #expect(try Self.ids(store) { $0.search = "" }.count == 5)
        let id = try F.stored(store, "FR-2").id
        #expect(try Self.ids(store) { $0.search = id } == ["FR-2"])
        #expect(try Self.ids(store) { $0.search = id.uppercased() } == ["FR-2"])
    }

    @Test(arguments: StateBackend.allCases)
    func sortsByErrorsAndLimitsKeepingTheTotal(_ backend: StateBackend) throws {
        let workspace = try Self.populated(backend)
        let store = workspace.store
        #expect(try Self.ids(store) { $0.sort = .errors } == ["FR-2", "402-100", "402-200", "FR_1%", "402-300"])
        var filter = OrderFilter()
        filter.limit = 2
        let limited = try store.orders(filter)
        #expect(limited.orders.map(\.marketplaceID) == ["402-200", "FR_1%"])
        #expect(limited.total == 5)
        filter.statuses = [.waitingForShipment]
        filter.limit = 1
        let both = try store.orders(filter)
        #expect(both.orders.map(\.marketplaceID) == ["402-100"])
        #expect(both.total == 2)
    }

    // MARK: - Detail

    @Test(arguments: StateBackend.allCases)
    func detailByInternalOrMarketplaceId(_ backend: StateBackend) throws {
        let workspace = try Self.populated(backend)
        let store = workspace.store
        let byMarketplace = try store.orderDetail("402-100")
        #expect(byMarketplace.count == 1)
        let detail = try #require(byMarketplace.first)
        #expect(detail.stored.order.marketplaceID == "402-100")
        #expect(detail.stored.order.lines.map(\.lineID) == ["402-100-1", "402-100-2"])
        #expect(detail.errors.map(\.stage) == ["export"])
        #expect(detail.shipments.isEmpty)
        #expect(detail.events.isEmpty)
        #expect(try store.orderDetail(detail.stored.id) == byMarketplace)
        #expect(try store.orderDetail(detail.stored.id.uppercased()) == byMarketplace)
        #expect(try store.orderDetail("402-1").isEmpty, "a detail names one order exactly")
        #expect(try store.orderDetail("nothing").isEmpty)
    }

    // MARK: - Channel delete

    @Test(arguments: StateBackend.allCases)
    func deletingTheChannelRemovesEveryOrderRow(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try RuntimeFixtures.apply(store, [RuntimeFixtures.channel("shop"), RuntimeFixtures.channel("outlet")], at: F.t0)
        let cancel = Order.Cancellation(id: "C-1", lineID: "A-1", quantity: 1, reason: nil, at: nil)
        try F.upsert(store, [F.order("A", cancellations: [cancel]), F.order("B")])
        try F.upsert(store, [F.order("A")], channel: "outlet")
        let outcomes = try store.applyShipments([F.shipment("A", item: .lineNumber(2))], channel: "shop", source: "api",
                                                at: F.at(60))
        guard case .applied(let shipmentID) = outcomes.first else { Issue.record("not applied: \(outcomes)"); return }
        try store.markShipmentAttemptFailed(id: shipmentID, error: "HTTP 500", retryAt: nil, runID: nil, at: F.at(61))
        try store.recordOrderError(channel: "shop", marketplaceID: nil, runID: nil, stage: "retrieval", message: "x", at: F.at(62))
        try store.setOrderCursor(channel: "shop", name: "export", value: "3")
        for label in F.orderLabels {
            #expect(try F.owned(store, "shop", label) > 0, "\(label) before the delete")
        }

        try RuntimeFixtures.apply(store, [], deleting: ["shop"], at: F.at(120))
        for label in F.orderLabels {
            #expect(try F.owned(store, "shop", label) == 0, "\(label) after the delete")
        }
        #expect(try F.owned(store, "shop", "events") == 0, "alerts of the channel go too")
        #expect(try store.orderDetail("A").map(\.stored.channel) == ["outlet"])
        #expect(try store.orders(OrderFilter()).total == 1)
        #expect(try F.owned(store, "outlet", "order lines") == 2)
        #expect(try store.orderCursor(channel: "shop", name: "export") == nil)
    }
}
