import Foundation
import GRDB
import SyndicCore

/// Reads a page of the Orders API in one cached statement: the page's orders joined with
/// their lines, decoded by column position (no name lookups) with dates read by hand.
/// The API serves thousands of pages a second, so this path avoids GRDB's per-name and
/// Foundation date decoding.
enum OrderPageReader {
    /// The order columns, positions 0…24.
    private static let orderColumns = """
        o.id, o.channel, o.marketplace, o.marketplace_id, o.status, o.raw_status, o.fulfilled_by, o.purchase_date,
        o.marketplace_updated_at, o.received_at, o.updated_at, o.change_seq, o.currency, o.total, o.payment,
        o.customer_name, o.customer_email, o.customer_phone, o.ship_line1, o.ship_line2, o.ship_postal_code, o.ship_city,
        o.ship_country, o.error_count, o.cancel_requested
        """
    /// The line columns, positions 25…36.
    private static let lineColumns = """
        l.line_number, l.line_id, l.sku, l.product_reference, l.gtin, l.title, l.quantity_ordered, l.quantity_shipped,
        l.quantity_shipped_local, l.quantity_canceled, l.line_total, l.raw_state
        """
    private static let line = 25

    /// The page's statement, arguments set: the page's orders (one more than the page, to
    /// tell whether another follows) joined with their lines.
    static func statement(_ db: Database, _ query: OrderPageQuery) throws -> Statement {
        var conditions = ["change_seq > ?"]
        var arguments: [any DatabaseValueConvertible] = [query.after]
        if !query.statuses.isEmpty {
            conditions.append("status IN (\(Array(repeating: "?", count: query.statuses.count).joined(separator: ",")))")
            arguments += query.statuses.map(\.rawValue).sorted()
        }
        if !query.channels.isEmpty {
            conditions.append("channel IN (\(Array(repeating: "?", count: query.channels.count).joined(separator: ",")))")
            arguments += query.channels.sorted()
        }
        if let since = query.updatedSince { conditions.append("updated_at >= ?"); arguments.append(since) }
        if let from = query.purchasedFrom { conditions.append("purchase_date >= ?"); arguments.append(from) }
        if let before = query.purchasedBefore { conditions.append("purchase_date < ?"); arguments.append(before) }
        if let errors = query.hasErrors { conditions.append(errors ? "error_count > 0" : "error_count = 0") }
        arguments.append(query.limit + 1)
        // The change-sequence index gives the page's order: reading stops after `limit + 1`
        // matches, whichever filters apply.
        let statement = try db.cachedStatement(sql: """
            SELECT \(orderColumns), \(lineColumns)
            FROM (SELECT * FROM orders INDEXED BY orders_seq WHERE \(conditions.joined(separator: " AND "))
                  ORDER BY change_seq LIMIT ?) o
            LEFT JOIN order_line l ON l.order_id = o.id
            ORDER BY o.change_seq, l.line_number
            """)
        try statement.setArguments(StatementArguments(arguments))
        return statement
    }

    static func read(_ db: Database, _ query: OrderPageQuery) throws -> OrderPage {
        let rows = try Row.fetchCursor(try statement(db, query))
        var orders: [StoredOrder] = []
        orders.reserveCapacity(query.limit + 1)
        var currentSequence: Int64 = -1
        while let row = try rows.next() {
            let sequence: Int64 = row[11]
            if sequence != currentSequence {
                orders.append(order(row))
                currentSequence = sequence
            }
            if let number = row[line] as Int? {
                orders[orders.count - 1].order.lines.append(orderLine(row, number: number))
            }
        }
        let hasMore = orders.count > query.limit
        if hasMore { orders.removeLast() }
        return OrderPage(orders: orders, hasMore: hasMore, cursor: orders.last?.changeSequence ?? query.after)
    }

    private static func order(_ row: Row) -> StoredOrder {
        let order = Order(
            marketplaceID: row[3], rawStatus: row[5], status: OrderStatus(rawValue: row[4]) ?? .unknown,
            fulfilledBy: (row[6] as String?).flatMap(FulfilledBy.init(rawValue:)),
            purchaseDate: date(row, 7), marketplaceUpdatedAt: date(row, 8), currency: row[12], total: row[13],
            payment: row[14], customer: Order.Customer(name: row[15], email: row[16], phone: row[17]),
            shipping: Order.Address(line1: row[18], line2: row[19], postalCode: row[20], city: row[21], countryCode: row[22]))
        return StoredOrder(id: row[0], channel: row[1], marketplace: row[2], order: order, receivedAt: date(row, 9) ?? .distantPast,
                           updatedAt: date(row, 10) ?? .distantPast, changeSequence: row[11], errorCount: row[23],
                           cancellationRequested: (row[24] as Int) != 0)
    }

    private static func orderLine(_ row: Row, number: Int) -> OrderLine {
        let shipped: Int = row[line + 7]
        let local: Int = row[line + 8]
        return OrderLine(number: number, lineID: row[line + 1], sku: row[line + 2], productReference: row[line + 3],
                         gtin: row[line + 4], title: row[line + 5], quantityOrdered: row[line + 6],
                         quantityShipped: max(shipped, local), quantityCanceled: row[line + 9], lineTotal: row[line + 10],
                         rawState: row[line + 11])
    }

    /// A stored date (`2026-03-01 09:00:00.000`, UTC), read without Foundation's calendar.
    private static func date(_ row: Row, _ index: Int) -> Date? {
        guard let text = row[index] as String? else { return nil }
        return ISODate.parse(text) ?? (row[index] as Date?)
    }
}
