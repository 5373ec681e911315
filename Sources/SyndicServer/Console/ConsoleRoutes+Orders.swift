import Foundation
import Hummingbird
import SyndicCore

extension ConsoleRoutes {
    /// `GET /orders?status=&marketplace=&channel=&date=&errors=&q=&sort=&page=`.
    @Sendable func orders(_ request: Request, _ context: APIRequestContext, _ visit: ConsoleVisit) async throws -> Response {
        let query = try OrdersQuery(visit.query)
        let filter = query.filter(now: console.now())
        let store = console.store
        let (found, channels) = try await Blocking.run { try (store.orders(filter), store.resources(.channel).map(\.name)) }
        return render("orders", OrdersPage.build(query, orders: found.orders, total: found.total, channels: channels,
                                                 csrf: visit.csrf))
    }

    /// `GET /orders/{id}`: by internal id (as the order list links it) or marketplace id.
    @Sendable func order(_ request: Request, _ context: APIRequestContext, _ visit: ConsoleVisit) async throws -> Response {
        let reference = try parameter(context, "id")
        let store = console.store
        let details = try await Blocking.run { try store.orderDetail(reference) }
        guard let detail = details.first else {
            throw ConsoleError.notFound("No order has the id \"\(reference)\".", back: OrdersQuery.allOrders)
        }
        guard details.count == 1 else {
            throw ConsoleError(.conflict, title: "Several orders",
                               message: "Orders of several channels have the id \"\(reference)\": choose one.",
                               links: details.map {
                                   PageLink(text: "\($0.stored.order.marketplaceID) in channel \($0.stored.channel)",
                                            href: "/orders/" + PageFormat.segment($0.stored.id))
                               })
        }
        let exports = try await Blocking.run { try Self.lastExports(of: detail, store: store) }
        return render("order", OrderPage.build(OrderPage.Input(detail: detail, exports: exports), csrf: visit.csrf))
    }

    /// Per line number, the channel's newest export record that sent the line's product (by
    /// SKU, else GTIN).
    static func lastExports(of detail: OrderDetail, store: any StateStore) throws -> [Int: ProductExportRecord] {
        var found: [Int: ProductExportRecord] = [:]
        for line in detail.stored.order.lines {
            for product in [line.sku, line.gtin].compactMap({ $0 }) where !product.isEmpty {
                if let record = try store.lastProductExport(channel: detail.stored.channel, product: product) {
                    found[line.number] = record
                    break
                }
            }
        }
        return found
    }
}
