import Foundation
import SyndicCore

/// The orders page: the filters (kept in the URL, so that a page can be shared), how many
/// orders match, a page of 50 of them, and links to the pages before and after.
struct OrdersPage: Sendable {
    var frame: PageFrame
    var statusOptions: [PageOption]
    var marketplaceOptions: [PageOption]
    var channelOptions: [PageOption]
    var dateOptions: [PageOption]
    var errorOptions: [PageOption]
    var sortOptions: [PageOption]
    var search: String
    /// `1,234 orders match` (all of them, not only this page).
    var count: String
    /// `Showing 51–100, newest purchase first.`
    var range: String
    var orders: [Row]
    var hasOrders: Bool
    var previous: [PageLink]
    var next: [PageLink]
    var filtered: Bool

    struct Row: Sendable, Equatable {
        var marketplaceID: String
        var orderHref: String
        var channel: String
        var marketplace: String
        var status: String
        var cancellationRequested: Bool
        var purchased: String
        var received: String
        var total: String
        var lines: String
        var errors: String
        var hasErrors: Bool
    }

    /// `orders` and `total` are what the store answered for `query.filter(now:)`; `channels`
    /// the applied channels' names.
    static func build(_ query: OrdersQuery, orders: [OrderSummary], total: Int, channels: [String], csrf: String) -> OrdersPage {
        var names = channels
        if let channel = query.channel, !names.contains(channel) { names.append(channel) }
        let start = (query.page - 1) * OrdersQuery.pageSize
        let sortText = query.sort == .errors ? "most errors first" : "newest purchase first"
        let range = orders.isEmpty ? (total > 0 ? "No orders on this page." : "")
            : "Showing \(start + 1)–\(start + orders.count), \(sortText)."
        let statuses = OrderStatus.allCases.map { (value: $0.rawValue, label: $0.rawValue) }
        let marketplaces = OrdersQuery.marketplaces.map { (value: $0, label: $0) }
        let channelChoices = names.sorted().map { (value: $0, label: $0) }
        let dates = OrderDateRange.allCases.map { (value: $0.rawValue, label: OrdersQuery.label($0)) }
        let errorChoices = [(value: "yes", label: "With errors"), (value: "no", label: "Without errors")]
        var previous: [PageLink] = []
        if query.page > 1 {
            previous.append(PageLink(text: "Previous page", href: query.query(page: query.page - 1).link("/orders")))
        }
        var next: [PageLink] = []
        if start + orders.count < total {
            next.append(PageLink(text: "Next page", href: query.query(page: query.page + 1).link("/orders")))
        }
        return OrdersPage(
            frame: PageFrame(title: "Orders", section: .orders, csrf: csrf),
            statusOptions: PageOption.list(all: "All statuses", statuses, current: query.status?.rawValue),
            marketplaceOptions: PageOption.list(all: "All marketplaces", marketplaces, current: query.marketplace),
            channelOptions: PageOption.list(all: "All channels", channelChoices, current: query.channel),
            dateOptions: PageOption.list(all: "Any date", dates, current: query.date?.rawValue),
            errorOptions: PageOption.list(all: "With or without errors", errorChoices,
                                          current: query.errors.map { $0 ? "yes" : "no" }),
            sortOptions: [PageOption(value: "purchase-date", label: "Purchase date (newest first)",
                                     selected: query.sort == .purchaseDate),
                          PageOption(value: "errors", label: "Errors (most first)", selected: query.sort == .errors)],
            search: query.search ?? "",
            count: total == 1 ? "1 order matches" : "\(total) orders match",
            range: range, orders: orders.map(row), hasOrders: !orders.isEmpty, previous: previous, next: next,
            filtered: !query.query(page: 1).text.isEmpty)
    }

    static func row(_ order: OrderSummary) -> Row {
        Row(marketplaceID: order.marketplaceID, orderHref: "/orders/" + PageFormat.segment(order.id), channel: order.channel,
            marketplace: order.marketplace, status: order.status, cancellationRequested: order.cancellationRequested,
            purchased: PageFormat.date(order.purchaseDate), received: PageFormat.date(order.receivedAt),
            total: PageFormat.money(order.total, order.currency), lines: String(order.lines), errors: String(order.errors),
            hasErrors: order.errors > 0)
    }
}
