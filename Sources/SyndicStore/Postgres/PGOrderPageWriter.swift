import Foundation
import NIOCore
import PostgresNIO
import SyndicCore

/// Writes a page of the Orders API straight from PostgreSQL's columns into JSON: the same
/// documents `OrderDocument` writes of `StoredOrder`s, byte for byte, without building an
/// order, a string or a date per field — the API serves thousands of pages a second. One
/// query reads the page's orders joined with their lines. The server writes the dates as
/// `JSONWriter.date` does (`2026-03-01T09:00:00.000Z`: UTC, milliseconds cut, not rounded),
/// and text is copied from the rows' bytes.
enum PGOrderPageWriter {
    /// The order columns, positions 0…24.
    private static let orderColumns = """
        o.id, o.channel, o.marketplace, o.marketplace_id, o.status, o.raw_status, o.fulfilled_by,
        \(iso("o.purchase_date")), \(iso("o.marketplace_updated_at")), \(iso("o.received_at")),
        \(iso("o.updated_at")), o.change_seq, o.currency, o.total, o.payment, o.customer_name, o.customer_email,
        o.customer_phone, o.ship_line1, o.ship_line2, o.ship_postal_code, o.ship_city, o.ship_country, o.error_count,
        o.cancel_requested
        """
    /// The line columns, positions 25…35.
    private static let lineColumns = """
        l.line_number, l.line_id, l.sku, l.product_reference, l.gtin, l.title, l.quantity_ordered, l.quantity_shipped,
        l.quantity_shipped_local, l.quantity_canceled, l.line_total
        """

    /// A date column as the JSON text of `JSONWriter.date`, without its quotes (NULL stays NULL).
    private static func iso(_ column: String) -> String {
        #"to_char(\#(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"#
    }

    /// The page's statement and binds: the page's orders (one more than the page, to tell
    /// whether another follows) joined with their lines.
    private static func statement(_ query: OrderPageQuery) -> (sql: String, binds: [(any PGBind)?]) {
        var conditions = ["change_seq > ?"]
        var binds: [(any PGBind)?] = [query.after]
        if !query.statuses.isEmpty {
            let placeholders = list(query.statuses.map(\.rawValue).sorted(), &binds)
            conditions.append("status IN (\(placeholders))")
        }
        if !query.channels.isEmpty {
            let placeholders = list(query.channels.sorted(), &binds)
            conditions.append("channel IN (\(placeholders))")
        }
        if let since = query.updatedSince { conditions.append("updated_at >= ?"); binds.append(since) }
        if let from = query.purchasedFrom { conditions.append("purchase_date >= ?"); binds.append(from) }
        if let before = query.purchasedBefore { conditions.append("purchase_date < ?"); binds.append(before) }
        if let errors = query.hasErrors { conditions.append(errors ? "error_count > 0" : "error_count = 0") }
        binds.append(query.limit + 1)
        // The change-sequence index gives the page's order: reading stops after `limit + 1`
        // matches, whichever filters apply.
        let sql = """
            SELECT \(orderColumns), \(lineColumns)
            FROM (SELECT * FROM orders WHERE \(conditions.joined(separator: " AND "))
                  ORDER BY change_seq LIMIT ?) o
            LEFT JOIN order_line l ON l.order_id = o.id
            ORDER BY o.change_seq, l.line_number
            """
        return (sql, binds)
    }

    /// The placeholders of an `IN (…)` list of `values`, whose binds are appended to `binds`.
    private static func list(_ values: [String], _ binds: inout [(any PGBind)?]) -> String {
        for value in values { binds.append(value) }
        return Array(repeating: "?", count: values.count).joined(separator: ",")
    }

    /// The rows of the page: its orders (one more than the page) with their lines.
    static func rows(_ session: PGSession, _ query: OrderPageQuery) throws -> [PGRow] {
        let (sql, binds) = statement(query)
        return try session.rows(sql, binds)
    }

    /// The page's orders as a JSON list; how many, whether more follow, and the cursor.
    static func write(_ rows: [PGRow], _ query: OrderPageQuery, into json: inout JSONWriter) throws -> OrderPage {
        var count = 0
        var cursor = query.after
        var hasMore = false
        var open = false
        var errors: Int64 = 0
        json.beginList()
        for row in rows {
            let cells = Cells(row)
            let sequence = try cells.int(11)
            if !open || sequence != cursor {
                if open { close(&json, errors: errors) }
                guard count < query.limit else { hasMore = true; open = false; break }
                count += 1
                cursor = sequence
                errors = try cells.int(23)
                try writeOrder(cells, into: &json)
                open = true
            }
            if !cells.isNull(25) { try writeLine(cells, into: &json) }
        }
        if open { close(&json, errors: errors) }
        json.endList()
        return OrderPage(count: count, hasMore: hasMore, cursor: cursor)
    }

    private static func writeOrder(_ c: Cells, into json: inout JSONWriter) throws {
        json.beginObject()
        json.key("id"); c.text(0, &json)
        json.key("channel"); c.text(1, &json)
        json.key("marketplace"); c.text(2, &json)
        json.key("order_id"); c.text(3, &json)
        json.key("status"); c.text(4, &json)
        json.key("marketplace_status"); c.text(5, &json)
        json.key("fulfilled_by"); c.text(6, &json)
        json.key("purchase_date"); c.text(7, &json)
        json.key("marketplace_updated_at"); c.text(8, &json)
        json.key("received_at"); c.text(9, &json)
        json.key("updated_at"); c.text(10, &json)
        json.key("total"); try c.double(13, &json)
        json.key("currency"); c.text(12, &json)
        json.key("payment"); c.text(14, &json)
        json.key("cancellation_requested"); json.bool(try c.int(24) != 0)
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

    private static func writeLine(_ c: Cells, into json: inout JSONWriter) throws {
        json.beginObject()
        json.key("line_number"); json.int(try c.int(25))
        json.key("line_id"); c.text(26, &json)
        json.key("sku"); c.text(27, &json)
        json.key("product_reference"); c.text(28, &json)
        json.key("gtin"); c.text(29, &json)
        json.key("title"); c.text(30, &json)
        json.key("quantity_ordered"); json.int(try c.int(31))
        json.key("quantity_shipped"); try json.int(max(c.int(32), c.int(33)))
        json.key("quantity_canceled"); json.int(try c.int(34))
        json.key("line_total"); try c.double(35, &json)
        json.endObject()
    }

    private static func close(_ json: inout JSONWriter, errors: Int64) {
        json.endList()
        json.key("errors"); json.int(errors)
        json.endObject()
    }

    /// Column readers over one row, by position (the row's cells are located once).
    private struct Cells {
        let row: PostgresRandomAccessRow

        init(_ row: PGRow) {
            self.row = row.access
        }

        func isNull(_ index: Int) -> Bool { row[index].bytes == nil }

        /// A text column as a JSON string of its bytes, or null.
        func text(_ index: Int, _ json: inout JSONWriter) {
            guard let bytes = row[index].bytes else { return json.null() }
            bytes.withUnsafeReadableBytes { json.string(utf8: $0.assumingMemoryBound(to: UInt8.self)) }
        }

        func int(_ index: Int) throws -> Int64 {
            try row[index].decode(Int64.self)
        }

        func double(_ index: Int, _ json: inout JSONWriter) throws {
            let cell = row[index]
            guard cell.bytes != nil else { return json.null() }
            json.double(try cell.decode(Double.self))
        }
    }
}
