import Foundation
import GRDB
import GRDBSQLite
import SyndicCore

/// Writes a page of the Orders API straight from SQLite's columns into JSON: the same
/// documents `OrderDocument` writes of `StoredOrder`s (a test holds them byte for byte),
/// without building an order, a string or a date per field — the API serves thousands of
/// pages a second. One cached statement reads the page's orders joined with their lines.
/// Stored dates (`2026-03-01 09:00:00.000`, UTC) become `2026-03-01T09:00:00.000Z` by
/// moving bytes.
enum OrderPageWriter {
    /// The order columns, positions 0…24.
    private static let orderColumns = """
        o.id, o.channel, o.marketplace, o.marketplace_id, o.status, o.raw_status, o.fulfilled_by, o.purchase_date,
        o.marketplace_updated_at, o.received_at, o.updated_at, o.change_seq, o.currency, o.total, o.payment,
        o.customer_name, o.customer_email, o.customer_phone, o.ship_line1, o.ship_line2, o.ship_postal_code, o.ship_city,
        o.ship_country, o.error_count, o.cancel_requested
        """
    /// The line columns, positions 25…35.
    private static let lineColumns = """
        l.line_number, l.line_id, l.sku, l.product_reference, l.gtin, l.title, l.quantity_ordered, l.quantity_shipped,
        l.quantity_shipped_local, l.quantity_canceled, l.line_total
        """

    /// The page's statement, arguments set: the page's orders (one more than the page, to
    /// tell whether another follows) joined with their lines, in the order of changes and
    /// of line numbers.
    private static func statement(_ db: Database, _ query: OrderPageQuery) throws -> Statement {
        let isUnfiltered = query.statuses.isEmpty && query.channels.isEmpty && query.updatedSince == nil
            && query.purchasedFrom == nil && query.purchasedBefore == nil && query.hasErrors == nil
        return try isUnfiltered ? unfilteredStatement(db, query) : filteredStatement(db, query)
    }

    /// A page of every order after the cursor (the default page): the change sequence of the
    /// page's last order (`limit + 1`th) is read from the index alone, then the orders up
    /// to it are joined with their lines. Walking the index in order of (`change_seq`,
    /// rowid) and each order's lines by primary key gives the rows already sorted: SQLite
    /// sorts nothing (the filtered statement sorts every row, its largest cost).
    private static func unfilteredStatement(_ db: Database, _ query: OrderPageQuery) throws -> Statement {
        let statement = try db.cachedStatement(sql: """
            SELECT \(orderColumns), \(lineColumns)
            FROM orders o INDEXED BY orders_seq
            LEFT JOIN order_line l ON l.order_id = o.id
            WHERE o.change_seq > ? AND o.change_seq <= COALESCE(
                (SELECT change_seq FROM orders INDEXED BY orders_seq WHERE change_seq > ?
                 ORDER BY change_seq LIMIT 1 OFFSET ?), 9223372036854775807)
            ORDER BY o.change_seq, o.rowid, l.line_number
            """)
        try statement.setArguments([query.after, query.after, query.limit])
        return statement
    }

    /// A page with filters: the orders matching them are read once, through the
    /// change-sequence index, then joined with their lines and sorted.
    private static func filteredStatement(_ db: Database, _ query: OrderPageQuery) throws -> Statement {
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

    /// The page's orders as a JSON list; how many, whether more follow, and the cursor.
    static func write(_ db: Database, _ query: OrderPageQuery, into json: inout JSONWriter) throws -> OrderPage {
        let statement = try Self.statement(db, query)
        let sqlite = statement.sqliteStatement
        let rows = try Row.fetchCursor(statement)
        var columns = Columns(statement: sqlite)
        var count = 0
        var cursor = query.after
        var hasMore = false
        var open = false
        var errors: Int64 = 0
        json.beginList()
        while try rows.next() != nil {
            let sequence = sqlite3_column_int64(sqlite, 11)
            if !open || sequence != cursor {
                if open { close(&json, errors: errors) }
                guard count < query.limit else { hasMore = true; open = false; break }
                count += 1
                cursor = sequence
                errors = sqlite3_column_int64(sqlite, 23)
                writeOrder(&columns, into: &json)
                open = true
            }
            if sqlite3_column_type(sqlite, 25) != SQLITE_NULL { writeLine(&columns, into: &json) }
        }
        if open { close(&json, errors: errors) }
        json.endList()
        return OrderPage(count: count, hasMore: hasMore, cursor: cursor)
    }

    private static func writeOrder(_ c: inout Columns, into json: inout JSONWriter) {
        json.beginObject()
        json.key("id"); c.text(0, &json)
        json.key("channel"); c.text(1, &json)
        json.key("marketplace"); c.text(2, &json)
        json.key("order_id"); c.text(3, &json)
        json.key("status"); c.text(4, &json)
        json.key("marketplace_status"); c.text(5, &json)
        json.key("fulfilled_by"); c.text(6, &json)
        json.key("purchase_date"); c.date(7, &json)
        json.key("marketplace_updated_at"); c.date(8, &json)
        json.key("received_at"); c.date(9, &json)
        json.key("updated_at"); c.date(10, &json)
        json.key("total"); c.double(13, &json)
        json.key("currency"); c.text(12, &json)
        json.key("payment"); c.text(14, &json)
        json.key("cancellation_requested"); json.bool(sqlite3_column_int64(c.statement, 24) != 0)
        json.key("customer"); json.beginObject()
        json.key("name"); c.text(15, &json)
        json.key("email"); c.text(16, &json)
        json.key("phone"); c.text(17, &json)
        json.endObject()
        json.key("shipping_address"); json.beginObject()
        json.key("line_1"); c.text(18, &json)
        json.key("line_2"); c.text(19, &json)
        json.key("postal_code"); c.text(20, &json)
        json.key("city"); c.text(21, &json)
        json.key("country_code"); c.text(22, &json)
        json.endObject()
        json.key("lines"); json.beginList()
    }

    private static func writeLine(_ c: inout Columns, into json: inout JSONWriter) {
        json.beginObject()
        json.key("line_number"); json.int(sqlite3_column_int64(c.statement, 25))
        json.key("line_id"); c.text(26, &json)
        json.key("sku"); c.text(27, &json)
        json.key("product_reference"); c.text(28, &json)
        json.key("gtin"); c.text(29, &json)
        json.key("title"); c.text(30, &json)
        json.key("quantity_ordered"); json.int(sqlite3_column_int64(c.statement, 31))
        json.key("quantity_shipped"); json.int(max(sqlite3_column_int64(c.statement, 32), sqlite3_column_int64(c.statement, 33)))
        json.key("quantity_canceled"); json.int(sqlite3_column_int64(c.statement, 34))
        json.key("line_total"); c.double(35, &json)
        json.endObject()
    }

    private static func close(_ json: inout JSONWriter, errors: Int64) {
        json.endList()
        json.key("errors"); json.int(errors)
        json.endObject()
    }

    /// Column readers over the current row of the statement.
    private struct Columns {
        let statement: OpaquePointer
        /// A date's JSON text, built in place.
        private var dateBytes = [UInt8](repeating: 0, count: 26)

        init(statement: OpaquePointer) {
            self.statement = statement
        }

        /// A text column, or null (SQLite gives no text pointer for NULL, only for text,
        /// even empty).
        func text(_ index: Int32, _ json: inout JSONWriter) {
            guard let pointer = sqlite3_column_text(statement, index) else { return json.null() }
            json.string(utf8: UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(statement, index))))
        }

        func double(_ index: Int32, _ json: inout JSONWriter) {
            guard sqlite3_column_type(statement, index) != SQLITE_NULL else { return json.null() }
            json.double(sqlite3_column_double(statement, index))
        }

        mutating func date(_ index: Int32, _ json: inout JSONWriter) {
            guard sqlite3_column_type(statement, index) != SQLITE_NULL, let pointer = sqlite3_column_text(statement, index) else {
                return json.null()
            }
            let text = UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(statement, index)))
            guard text.count == 23, text[10] == UInt8(ascii: " "), text[19] == UInt8(ascii: ".") else {
                return json.date(ISODate.parse(String(decoding: text, as: UTF8.self)))
            }
            dateBytes.withUnsafeMutableBufferPointer { out in
                out[0] = UInt8(ascii: "\"")
                for position in 0..<23 { out[position + 1] = text[position] }
                out[11] = UInt8(ascii: "T")
                out[24] = UInt8(ascii: "Z")
                out[25] = UInt8(ascii: "\"")
                json.raw(UnsafeBufferPointer(out))
            }
        }
    }
}
