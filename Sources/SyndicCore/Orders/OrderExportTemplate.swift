import Foundation

/// The order export template: its columns in its order, one row per order line,
/// its formulas, and its file names.
public enum OrderExportTemplate {
    /// The template's columns, in the order every exported file has them.
    public static let columns = [
        "order_status", "order_id", "purchase_date", "fulfilled_by", "customer_name", "customer_phone",
        "shipping_address_line_1", "shipping_address_line_2", "shipping_postal_code", "shipping_city",
        "shipping_country_code", "product_sku", "quantity_ordered", "quantity_shipped", "quantity_remaining_to_ship",
        "unit_price", "line_total", "line_number",
    ]

    /// The columns whose text comes from the marketplace or the buyer: the ones a formula can
    /// hide in. The others are numbers and values syndic writes itself (statuses, dates,
    /// `merchant`/`marketplace`), never escaped: a negative `line_total` stays `-3.5`.
    public static let marketplaceTextColumns: Set<String> = [
        "order_id", "customer_name", "customer_phone", "shipping_address_line_1", "shipping_address_line_2",
        "shipping_postal_code", "shipping_city", "shipping_country_code", "product_sku",
    ]

    /// The positions of `marketplaceTextColumns` in `columns`.
    private static let marketplaceTextIndexes = columns.indices.filter { marketplaceTextColumns.contains(columns[$0]) }

    /// The row of `line` of `order`:
    /// - `quantity_remaining_to_ship` = `quantity_ordered` − `quantity_shipped`;
    /// - `unit_price` = `line_total` / `quantity_ordered`, 0 when nothing was ordered;
    /// - `line_total` is 0 when the marketplace gave no price;
    /// - `purchase_date` is ISO 8601 in UTC with milliseconds;
    /// - with `escapeFormulas` (the default), a cell of `marketplaceTextColumns` that a
    ///   spreadsheet would read as a formula gets a `'` in front (see ``SpreadsheetFormula``).
    public static func row(_ order: Order, _ line: OrderLine, escapeFormulas: Bool = true) -> [String] {
        let total = line.lineTotal ?? 0
        let unit = line.quantityOrdered == 0 ? 0 : total / Double(line.quantityOrdered)
        var row = [
            order.status.rawValue, order.marketplaceID, order.purchaseDate.map(ISODate.milliseconds) ?? "",
            order.fulfilledBy?.rawValue ?? "", order.customer.name ?? "", order.customer.phone ?? "",
            order.shipping.line1 ?? "", order.shipping.line2 ?? "", order.shipping.postalCode ?? "",
            order.shipping.city ?? "", order.shipping.countryCode ?? "", line.sku ?? "",
            String(line.quantityOrdered), String(line.quantityShipped), String(line.quantityOrdered - line.quantityShipped),
            number(unit), number(total), String(line.number),
        ]
        if escapeFormulas {
            for index in marketplaceTextIndexes { row[index] = SpreadsheetFormula.neutralized(row[index]) }
        }
        return row
    }

    /// A price as the template shows it: at most four decimals, no trailing zeros (`39.9`,
    /// `119.7`, `0`).
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let scaled = (value * 10_000).rounded()
        if scaled == 0 { return "0" }
        let negative = scaled < 0
        let magnitude = Int64(abs(scaled))
        var text = String(magnitude / 10_000)
        var fraction = String(magnitude % 10_000)
        if fraction != "0" {
            fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return negative ? "-" + text : text
    }
}

/// What an order export splits its files by (its "File Split Group").
public struct OrderExportSplit: Hashable, Sendable {
    public var byFulfillment: Bool
    public var byCountry: Bool

    public init(byFulfillment: Bool, byCountry: Bool) {
        self.byFulfillment = byFulfillment
        self.byCountry = byCountry
    }

    /// The split of a channel's `splitBy` list (`fulfillment`, `country`).
    public init(_ splitBy: [String]?) {
        self.init(byFulfillment: splitBy?.contains("fulfillment") ?? false, byCountry: splitBy?.contains("country") ?? false)
    }

    /// The group `order` falls in: the parts of its file name between the channel and the
    /// date. An order the marketplace gave no fulfilment (country) for goes to `unknown`.
    public func group(of order: Order) -> [String] {
        var parts: [String] = []
        if byFulfillment { parts.append(order.fulfilledBy?.rawValue ?? "unknown") }
        if byCountry { parts.append(Self.safe(order.shipping.countryCode) ?? "unknown") }
        return parts
    }

    /// The file of a group: `orders_export_[channel]_[fulfilledBy]_[country]_[isoDate].csv`,
    /// without the parts of a split that is off.
    public static func fileName(channel: String, group: [String], at date: Date) -> String {
        (["orders_export", channel] + group + [ExportFileName.isoDate(date)]).joined(separator: "_") + ".csv"
    }

    /// A country code fit for a file name (letters and digits), or nil.
    private static func safe(_ code: String?) -> String? {
        guard let code, !code.isEmpty, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        return code
    }
}
