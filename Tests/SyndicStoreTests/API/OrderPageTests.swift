import Foundation
import SyndicCore
import Testing
@testable import SyndicStore

/// Pages of the Orders API: filters, order of changes, and paging that skips nothing while
/// orders change.
@Suite struct OrderPageTests {
    typealias F = OrderFixtures

    static func query(after: Int64 = 0, limit: Int = 50, _ configure: (inout OrderPageQuery) -> Void = { _ in }) -> OrderPageQuery {
        var query = OrderPageQuery()
        query.after = after
        query.limit = limit
        configure(&query)
        return query
    }

    /// A page as the API writes it: its order documents, parsed, and what it held.
    static func page(_ store: any StateStore, _ query: OrderPageQuery) throws -> (orders: [[String: Any]], page: OrderPage) {
        var json = JSONWriter()
        let page = try store.writeOrderPage(query, into: &json)
        let orders = try #require(try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [[String: Any]])
        return (orders, page)
    }

    /// The marketplace ids of a page's orders.
    static func ids(_ orders: [[String: Any]]) -> [String] { orders.compactMap { $0["order_id"] as? String } }

    @Test(arguments: StateBackend.allCases)
    func pagesFollowTheOrderOfChangesWithLines(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, (1...5).map { F.order("A\($0)") })
        let (firstOrders, first) = try Self.page(store, Self.query(limit: 2))
        #expect(Self.ids(firstOrders) == ["A1", "A2"])
        #expect(first.hasMore && first.count == 2)
        #expect(firstOrders.allSatisfy { ($0["lines"] as? [[String: Any]])?.compactMap { $0["line_number"] as? Int } == [1, 2] })
        let (secondOrders, second) = try Self.page(store, Self.query(after: first.cursor, limit: 2))
        #expect(Self.ids(secondOrders) == ["A3", "A4"])
        let (lastOrders, last) = try Self.page(store, Self.query(after: second.cursor, limit: 2))
        #expect(Self.ids(lastOrders) == ["A5"])
        #expect(!last.hasMore)
        let (emptyOrders, empty) = try Self.page(store, Self.query(after: last.cursor, limit: 2))
        #expect(emptyOrders.isEmpty && empty.count == 0)
        #expect(empty.cursor == last.cursor, "an empty page keeps the cursor")
    }

    @Test(arguments: StateBackend.allCases)
    func anOrderChangedWhilePagingComesAgainAndNoneIsSkipped(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, (1...6).map { F.order("A\($0)") })
        let (firstOrders, first) = try Self.page(store, Self.query(limit: 3))
        #expect(Self.ids(firstOrders) == ["A1", "A2", "A3"])
        // A2 (seen) and A5 (not yet) change between two pages.
        _ = try store.applyShipments([F.shipment("A2"), F.shipment("A5")], channel: "shop", source: "api", at: F.at(10))
        var seen: [String] = []
        var cursor = first.cursor
        while true {
            let (orders, page) = try Self.page(store, Self.query(after: cursor, limit: 3))
            seen += Self.ids(orders)
            cursor = page.cursor
            if !page.hasMore { break }
        }
        #expect(seen == ["A4", "A6", "A2", "A5"])
    }

    @Test(arguments: StateBackend.allCases)
    func filtersCombine(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("OLD", purchasedDaysAgo: 30), F.order("NEW", purchasedDaysAgo: 1),
                             F.order("GONE", status: .canceled, purchasedDaysAgo: 1)])
        try F.upsert(store, [F.order("OTHER", purchasedDaysAgo: 1)], channel: "other", at: F.at(30))
        try store.recordOrderError(channel: "shop", marketplaceID: "NEW", runID: nil, stage: "retrieval", message: "bad", at: F.t0)
        func ids(_ configure: (inout OrderPageQuery) -> Void) throws -> [String] {
            try Self.ids(Self.page(store, Self.query(configure)).orders).sorted()
        }
        #expect(try ids { $0.statuses = [.canceled] } == ["GONE"])
        #expect(try ids { $0.statuses = [.canceled, .waitingForShipment]; $0.channels = ["shop"] } == ["GONE", "NEW", "OLD"])
        #expect(try ids { $0.channels = ["other"] } == ["OTHER"])
        #expect(try ids { $0.updatedSince = F.at(30) } == ["OTHER"])
        #expect(try ids { $0.purchasedFrom = F.t0.addingTimeInterval(-2 * 86_400) } == ["GONE", "NEW", "OTHER"])
        #expect(try ids { $0.purchasedBefore = F.t0.addingTimeInterval(-2 * 86_400) } == ["OLD"])
        #expect(try ids { $0.hasErrors = true } == ["NEW"])
        #expect(try ids { $0.hasErrors = false; $0.channels = ["shop"] } == ["GONE", "OLD"])
    }

    @Test(arguments: StateBackend.allCases)
    func aPageCarriesCancellationRequests(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        let cancel = Order.Cancellation(id: "C1", lineID: "A-1", quantity: 1, reason: "buyer", at: F.t0)
        try F.upsert(store, [F.order("A", cancellations: [cancel]), F.order("B")])
        let orders = try Self.page(store, Self.query()).orders
        #expect(orders.map { $0["cancellation_requested"] as? Bool } == [true, false])
    }

    /// The API writes pages straight from the rows: byte for byte the documents
    /// `OrderDocument` writes of the same page's orders.
    @Test(arguments: StateBackend.allCases)
    func theJSONWrittenFromRowsIsTheOrderDocument(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        var odd = F.order("Q\"1\\\n\u{01}é", fulfilledBy: nil, quantities: [])
        odd.customer = Order.Customer(name: nil, email: "tab\there", phone: nil)
        odd.total = 12.34
        odd.marketplaceUpdatedAt = F.at(3).addingTimeInterval(0.5)
        let cancel = Order.Cancellation(id: "C1", lineID: "B-1", quantity: 1, reason: nil, at: F.t0)
        try F.upsert(store, [F.order("A", quantities: [3, 1, 2]), odd, F.order("B", cancellations: [cancel]), F.order("C")])
        try store.recordOrderError(channel: "shop", marketplaceID: "C", runID: nil, stage: "export", message: "x", at: F.t0)
        _ = try store.applyShipments([F.shipment("A", item: .lineNumber(1), quantity: 2)], channel: "shop", source: "api",
                                     at: F.at(9))
        for (after, limit) in [(Int64(0), 50), (0, 2), (2, 2), (4, 1)] {
            let query = Self.query(after: after, limit: limit)
            var written = JSONWriter()
            let page = try store.writeOrderPage(query, into: &written)
            let ids = try #require(try JSONSerialization.jsonObject(with: Data(written.bytes)) as? [[String: Any]])
                .compactMap { $0["id"] as? String }
            var expected = JSONWriter()
            expected.beginList()
            for id in ids { OrderDocument.write(try #require(try store.orderDetail(id).first).stored, into: &expected) }
            expected.endList()
            #expect(String(decoding: written.bytes, as: UTF8.self) == String(decoding: expected.bytes, as: UTF8.self),
                    "after \(after), limit \(limit)")
            #expect(page.count == ids.count)
        }
        #expect(try Self.page(store, Self.query(limit: 2)).page == OrderPage(count: 2, hasMore: true, cursor: 3))
        #expect(try Self.page(store, Self.query(after: 3, limit: 2)).page.hasMore == false)
        var all = JSONWriter()
        _ = try store.writeOrderPage(Self.query(), into: &all)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(all.bytes)) as? [[String: Any]])
        #expect(parsed.count == 4)
        #expect(parsed.map { ($0["lines"] as? [Any])?.count } == [0, 2, 2, 3], "A changed last (its shipment)")
    }

    /// A page without filters (read in order, unsorted) and the same page through a filter
    /// every order matches (read and sorted) are the same bytes and the same page, page after
    /// page: orders with three lines, none, and orders changed again after later ones.
    @Test(arguments: StateBackend.allCases)
    func theUnfilteredPageIsTheFilteredPageThatMatchesEverything(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, (1...9).map { F.order("P\($0)", quantities: Array(repeating: 1, count: $0 % 4)) })
        _ = try store.applyShipments([F.shipment("P2"), F.shipment("P5")], channel: "shop", source: "api", at: F.at(10))
        for limit in [1, 2, 4, 50] {
            var cursor: Int64 = 0
            var pages = 0
            var seen: [String] = []
            while pages < 20 {
                var plain = JSONWriter()
                var filtered = JSONWriter()
                let page = try store.writeOrderPage(Self.query(after: cursor, limit: limit), into: &plain)
                let same = try store.writeOrderPage(Self.query(after: cursor, limit: limit) { $0.channels = ["shop"] },
                                                    into: &filtered)
                #expect(String(decoding: plain.bytes, as: UTF8.self) == String(decoding: filtered.bytes, as: UTF8.self),
                        "limit \(limit), after \(cursor)")
                #expect(page == same, "limit \(limit), after \(cursor)")
                let orders = try #require(try JSONSerialization.jsonObject(with: Data(plain.bytes)) as? [[String: Any]])
                seen += Self.ids(orders)
                cursor = page.cursor
                pages += 1
                if !page.hasMore { break }
            }
            #expect(pages == (9 + limit - 1) / limit, "limit \(limit)")
            #expect(seen == ["P1", "P3", "P4", "P6", "P7", "P8", "P9", "P2", "P5"], "limit \(limit)")
        }
    }
}
