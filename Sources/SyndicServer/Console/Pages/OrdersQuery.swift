import Foundation
import SyndicCore

/// The filters of the orders page as its URL holds them: `status`, `marketplace`, `channel`,
/// `date`, `errors` (yes: with errors, no: without), `q` (a marketplace order id or its
/// beginning), `sort` (purchase-date or errors) and `page`. Empty values mean no filter; an
/// unknown value is refused with what is expected.
struct OrdersQuery: Sendable, Equatable {
    static let pageSize = 50
    /// The marketplaces orders come from.
    static let marketplaces = ["amazon", "mirakl"]
    static let allOrders = PageLink(text: "All orders", href: "/orders")

    var status: OrderStatus?
    var marketplace: String?
    var channel: String?
    var date: OrderDateRange?
    var errors: Bool?
    var search: String?
    var sort: OrderFilter.Sort = .purchaseDate
    var page = 1

    init() {}

    init(_ query: ConsoleQuery) throws(ConsoleError) {
        func refuse(_ name: String, _ value: String, _ expected: [String]) -> ConsoleError {
            .badRequest("\(name) \"\(value)\" is not one of \(expected.joined(separator: ", "))", back: Self.allOrders)
        }
        if let text = query.value("status") {
            guard let status = OrderStatus(rawValue: text.uppercased()) else {
                throw refuse("status", text, OrderStatus.allCases.map(\.rawValue))
            }
            self.status = status
        }
        if let text = query.value("marketplace") {
            guard Self.marketplaces.contains(text) else { throw refuse("marketplace", text, Self.marketplaces) }
            marketplace = text
        }
        channel = query.value("channel")
        if let text = query.value("date") {
            guard let range = OrderDateRange(rawValue: text) else {
                throw refuse("date", text, OrderDateRange.allCases.map(\.rawValue))
            }
            date = range
        }
        if let text = query.value("errors") {
            guard text == "yes" || text == "no" else { throw refuse("errors", text, ["yes", "no"]) }
            errors = text == "yes"
        }
        search = query.value("q")
        if let text = query.value("sort") {
            guard let sort = OrderFilter.Sort(rawValue: text) else {
                throw refuse("sort", text, OrderFilter.Sort.allCases.map(\.rawValue))
            }
            self.sort = sort
        }
        if let text = query.value("page") {
            guard let page = Int(text), page >= 1, page <= 1_000_000 else {
                throw .badRequest("page \"\(text)\" is not a page number (1, 2, …)", back: Self.allOrders)
            }
            self.page = page
        }
    }

    /// The store's filter for this page; `date` is read in UTC at `now`.
    func filter(now: Date) -> OrderFilter {
        var filter = OrderFilter()
        if let status { filter.statuses = [status] }
        if let marketplace { filter.marketplaces = [marketplace] }
        if let channel { filter.channels = [channel] }
        if let date {
            let interval = date.interval(now: now, zone: TimeZone(identifier: "UTC")!)
            filter.receivedFrom = interval.start
            filter.receivedBefore = interval.end
        }
        filter.hasErrors = errors
        filter.search = search
        filter.sort = sort
        filter.limit = Self.pageSize
        filter.offset = (page - 1) * Self.pageSize
        return filter
    }

    /// The URL query of these filters on `page` (the first page leaves `page` out).
    func query(page: Int) -> ConsoleQuery {
        ConsoleQuery([("status", status?.rawValue ?? ""), ("marketplace", marketplace ?? ""), ("channel", channel ?? ""),
                      ("date", date?.rawValue ?? ""), ("errors", errors.map { $0 ? "yes" : "no" } ?? ""),
                      ("q", search ?? ""), ("sort", sort == .purchaseDate ? "" : sort.rawValue),
                      ("page", page == 1 ? "" : String(page))])
    }

    /// Labels of the date filter.
    static func label(_ range: OrderDateRange) -> String {
        switch range {
        case .today: "Today"
        case .yesterday: "Yesterday"
        case .thisWeek: "This week (from Monday)"
        case .lastWeek: "Last week (previous 7 days)"
        case .thisMonth: "This month"
        case .lastMonth: "Last month"
        }
    }
}
