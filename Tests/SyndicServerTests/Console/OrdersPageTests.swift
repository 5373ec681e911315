import Foundation
import SyndicCore
@testable import SyndicServer
import Testing

/// The orders page's filters read from the URL, the store's filter they make, and the page
/// built from the answer, without HTTP.
@Suite struct OrdersPageTests {
    typealias C = ChannelsPageTests

    static func summary(_ id: String, errors: Int = 0, cancellation: Bool = false) -> OrderSummary {
        OrderSummary(id: "id-\(id)", channel: "shop", marketplace: "mirakl", marketplaceID: id, status: "PENDING", rawStatus: "STAGING",
                     purchaseDate: C.now, receivedAt: C.now, total: 12.5, currency: "EUR", lines: 2, errors: errors,
                     cancellationRequested: cancellation)
    }

    @Test func filtersAreReadFromTheURL() throws {
        let query = try OrdersQuery(ConsoleQuery(parsing: "status=pending&marketplace=amazon&channel=de&date=this-week&errors=no&q=A+1&sort=errors&page=3"))
        #expect(query.status == .pending && query.marketplace == "amazon" && query.channel == "de")
        #expect(query.date == .thisWeek && query.errors == false && query.search == "A 1" && query.sort == .errors && query.page == 3)
        let filter = query.filter(now: C.now)
        #expect(filter.statuses == [.pending] && filter.marketplaces == ["amazon"] && filter.channels == ["de"])
        #expect(filter.receivedFrom == Date(timeIntervalSince1970: 1_773_014_400), "Monday 2026-03-09 00:00 UTC")
        #expect(filter.receivedBefore == Date(timeIntervalSince1970: 1_773_619_200))
        #expect(filter.hasErrors == false && filter.search == "A 1" && filter.sort == .errors)
        #expect(filter.limit == 50 && filter.offset == 100)
        #expect(query.query(page: 1).text == "status=PENDING&marketplace=amazon&channel=de&date=this-week&errors=no&q=A%201&sort=errors")

        let empty = try OrdersQuery(ConsoleQuery(parsing: "status=&channel=&q=&page="))
        #expect(empty == OrdersQuery())
        #expect(empty.filter(now: C.now).receivedFrom == nil && empty.filter(now: C.now).offset == 0)
        for bad in ["status=LOST", "marketplace=ebay", "date=tomorrow", "errors=1", "sort=total", "page=0", "page=-1", "page=x"] {
            #expect(throws: ConsoleError.self, "\(bad)") { try OrdersQuery(ConsoleQuery(parsing: bad)) }
        }
    }

    @Test func thePageCountsEveryMatchAndLinksKeepTheFilters() throws {
        var query = try OrdersQuery(ConsoleQuery(parsing: "status=PENDING&q=A"))
        query.page = 2
        let orders = (51...100).map { Self.summary("A\($0)") }
        let page = OrdersPage.build(query, orders: orders, total: 120, channels: ["shop", "de"], csrf: "t")
        #expect(page.count == "120 orders match")
        #expect(page.range == "Showing 51–100, newest purchase first.")
        #expect(page.previous == [PageLink(text: "Previous page", href: "/orders?status=PENDING&q=A")])
        #expect(page.next == [PageLink(text: "Next page", href: "/orders?status=PENDING&q=A&page=3")])
        #expect(page.filtered && page.search == "A")
        #expect(page.statusOptions.filter(\.selected).map(\.value) == ["PENDING"])
        #expect(page.channelOptions.map(\.value) == ["", "de", "shop"])
        #expect(page.dateOptions.first(where: { $0.value == "last-week" })?.label == "Last week (previous 7 days)")
        #expect(page.sortOptions.filter(\.selected).map(\.value) == ["purchase-date"])

        let last = OrdersPage.build(try OrdersQuery(ConsoleQuery(parsing: "channel=gone")), orders: [Self.summary("B", errors: 2, cancellation: true)],
                                    total: 1, channels: ["shop"], csrf: "t")
        #expect(last.count == "1 order matches" && last.next.isEmpty && last.previous.isEmpty)
        #expect(last.channelOptions.map(\.value) == ["", "gone", "shop"], "a channel no longer applied stays choosable")
        let row = try #require(last.orders.first)
        #expect(row.orderHref == "/orders/id-B" && row.marketplaceID == "B" && row.total == "12.5 EUR")
        #expect(row.hasErrors && row.errors == "2" && row.cancellationRequested)
        #expect(row.purchased == "2026-03-11T12:00:00Z")

        let none = OrdersPage.build(OrdersQuery(), orders: [], total: 0, channels: [], csrf: "t")
        #expect(none.count == "0 orders match" && !none.hasOrders && !none.filtered && none.range.isEmpty)
    }
}
