import ArgumentParser
import Foundation
import SyndicCore
import SyndicStore

/// `syndic orders`: the orders the retrieval stored, filtered by status, channel, date, errors
/// and order id.
struct OrdersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orders",
        abstract: "List orders with filters, or show one order with its lines, shipments, events and errors.",
        subcommands: [List.self, Show.self],
        defaultSubcommand: List.self)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    /// `syndic orders list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List orders (newest purchase first) and how many match.",
            discussion: """
                Filters combine. --date is on the date syndic received the order, in the local time zone \
                (TZ): today, yesterday, this-week (from Monday), last-week (the previous 7 rolling days), \
                this-month, last-month.
                """)

        @OptionGroup var options: GlobalOptions

        @Option(name: .long, parsing: .upToNextOption,
                help: "Only these statuses: PENDING, WAITING_FOR_SHIPMENT, PARTIALLY_SHIPPED, SHIPPED, REFUSED, CANCELED, UNKNOWN.")
        var status: [String] = []

        @Option(name: .long, parsing: .upToNextOption, help: "Only these channels.")
        var channel: [String] = []

        @Option(name: .long, help: "today, yesterday, this-week, last-week, this-month or last-month.")
        var date: String?

        @Option(name: .long, help: "yes: only orders with errors; no: only orders without.")
        var errors: String?

        @Option(name: .long, help: "An order id of the marketplace (or its beginning), or an internal id.")
        var search: String?

        @Option(name: .long, help: "purchase-date (newest first) or errors (most first).")
        var sort: String = "purchase-date"

        @Option(name: .long, help: "At most N orders (the count line still counts all).")
        var limit: Int?

        @Option(name: .long, help: "table, json or csv.")
        var format: Format = .table

        func validate() throws {
            for value in status where OrderStatus(rawValue: value.uppercased()) == nil {
                throw ValidationError("--status \(value): expected one of \(OrderStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let date, OrderDateRange(rawValue: date) == nil {
                throw ValidationError("--date \(date): expected one of \(OrderDateRange.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let errors, !["yes", "no"].contains(errors) { throw ValidationError("--errors takes yes or no") }
            if OrderFilter.Sort(rawValue: sort) == nil { throw ValidationError("--sort takes purchase-date or errors") }
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            var filter = OrderFilter()
            filter.statuses = Set(status.compactMap { OrderStatus(rawValue: $0.uppercased()) })
            filter.channels = Set(channel)
            if let date, let range = OrderDateRange(rawValue: date) {
                let interval = range.interval(now: CommandClock.now(), zone: .current)
                filter.receivedFrom = interval.start
                filter.receivedBefore = interval.end
            }
            filter.hasErrors = errors.map { $0 == "yes" }
            filter.search = search
            filter.sort = OrderFilter.Sort(rawValue: sort) ?? .purchaseDate
            filter.limit = limit
            let store = try options.openStore()
            do {
                let (orders, total) = try store.orders(filter)
                Output.print(OrdersView(orders: orders, total: total).render(format))
            } catch {
                throw Failure.exit("\(error)")
            }
        }
    }

    /// `syndic orders show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one order: ids, dates, status, payment, buyer, lines, shipments, events, errors.",
            discussion: "ID is syndic's internal id or the marketplace's order id. Exit 1 when no order has it.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The internal id or the marketplace order id.")
        var id: String

        @Option(name: .long, help: "table or json.")
        var format: Format = .table

        func validate() throws {
            if format == .csv { throw ValidationError("--format takes table or json here") }
        }

        func run() throws {
            let store = try options.openStore()
            let details: [OrderDetail]
            do {
                details = try store.orderDetail(id)
            } catch {
                throw Failure.exit("\(error)")
            }
            guard !details.isEmpty else {
                throw Failure.exit("no order \(id); `syndic orders list --search \(id)` searches by the beginning of an id")
            }
            Output.print(details.map { OrderDetailView(detail: $0).render(format) }.joined(separator: "\n\n"))
        }
    }
}
