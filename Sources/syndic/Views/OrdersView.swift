import Foundation
import SyndicCore
import SyndicStore

/// Renders `syndic orders list`: the orders and the count line. The table's cells are made
/// safe for a terminal (see ``Table``); JSON and CSV carry the text as it is.
struct OrdersView {
    let orders: [OrderSummary]
    /// How many orders match in all (more than listed with --limit).
    let total: Int

    static let csvColumns = ["id", "channel", "marketplace", "order_id", "status", "marketplace_status", "fulfilled_by",
                             "purchase_date", "received_at", "total", "currency", "lines", "errors", "cancellation_requested"]

    func render(_ format: OrdersCommand.Format) -> String {
        switch format {
        case .table: return table()
        case .json: return json()
        case .csv: return csv()
        }
    }

    private func fields(_ order: OrderSummary) -> [String] {
        [order.id, order.channel, order.marketplace, order.marketplaceID, order.status, order.rawStatus, order.fulfilledBy ?? "",
         order.purchaseDate.map(ISODate.milliseconds) ?? "", ISODate.milliseconds(order.receivedAt),
         order.total.map(OrderExportTemplate.number) ?? "", order.currency ?? "", String(order.lines), String(order.errors),
         order.cancellationRequested ? "yes" : "no"]
    }

    private func table() -> String {
        let count = "\(total) order\(total == 1 ? "" : "s")" + (orders.count < total ? " (showing \(orders.count))" : "")
        if orders.isEmpty { return count }
        var rows = [["ORDER", "CHANNEL", "STATUS", "PURCHASED", "TOTAL", "LINES", "ERRORS", "ID"]]
        for order in orders {
            let status = order.status + (order.cancellationRequested ? " (cancellation requested)" : "")
            let total = order.total.map { OrderExportTemplate.number($0) + (order.currency.map { " " + $0 } ?? "") } ?? "-"
            rows.append([order.marketplaceID, order.channel, status,
                         order.purchaseDate.map { Timestamp.iso($0, zone: "UTC") } ?? "-", total, String(order.lines),
                         String(order.errors), order.id])
        }
        return Table.render(rows) + "\n" + count
    }

    private func csv() -> String {
        var writer = CSVWriter(header: Self.csvColumns, lineEnding: .lf)
        for order in orders { writer.writeRow(fields(order)) }
        return String(decoding: writer.takeBytes(), as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    private func json() -> String {
        let items: [Value] = orders.map { order in
            var object: [String: Value] = [:]
            for (key, field) in zip(Self.csvColumns, fields(order)) { object[key] = field.isEmpty ? .null : .string(field) }
            object["lines"] = .int(order.lines)
            object["errors"] = .int(order.errors)
            object["total"] = order.total.map(Value.double) ?? .null
            object["cancellation_requested"] = .bool(order.cancellationRequested)
            return .object(object)
        }
        return CanonicalJSON.string(.object(["count": .int(total), "orders": .list(items)]))
    }
}

/// Renders `syndic orders show`. Every line of the text format is made safe for a terminal
/// (``TerminalText/safeLine(_:)``): marketplace text can neither act on the terminal nor add
/// lines of its own.
struct OrderDetailView {
    let detail: OrderDetail

    func render(_ format: OrdersCommand.Format) -> String {
        format == .json ? json() : text()
    }

    private func date(_ date: Date?) -> String { date.map(ISODate.milliseconds) ?? "-" }

    private func text() -> String {
        let stored = detail.stored
        let order = stored.order
        var out = ["order \(order.marketplaceID) (\(stored.marketplace), channel \(stored.channel))",
                   "  internal id:   \(stored.id)",
                   "  status:        \(order.status.rawValue) (marketplace: \(order.rawStatus))",
                   "  fulfilled by:  \(order.fulfilledBy?.rawValue ?? "-")",
                   "  purchased:     \(date(order.purchaseDate))",
                   "  updated:       \(date(order.marketplaceUpdatedAt)) (marketplace), \(date(stored.updatedAt)) (syndic)",
                   "  received:      \(date(stored.receivedAt))",
                   "  payment:       \(order.total.map { OrderExportTemplate.number($0) + (order.currency.map { " " + $0 } ?? "") } ?? "-")\(order.payment.map { " (\($0))" } ?? "")",
                   "buyer",
                   "  name:          \(order.customer.name ?? "-")",
                   "  email:         \(order.customer.email ?? "-")",
                   "  phone:         \(order.customer.phone ?? "-")",
                   "  shipping:      " + [order.shipping.line1, order.shipping.line2, order.shipping.postalCode, order.shipping.city,
                                          order.shipping.countryCode].compactMap { $0?.isEmpty == false ? $0 : nil }.joined(separator: ", "),
                   "lines"]
        var rows = [["#", "LINE ID", "SKU", "PRODUCT", "ORDERED", "SHIPPED", "CANCELED", "TOTAL"]]
        for line in order.lines {
            rows.append([String(line.number), line.lineID, line.sku ?? "-", line.productReference ?? line.gtin ?? "-",
                         String(line.quantityOrdered), String(line.quantityShipped), String(line.quantityCanceled),
                         line.lineTotal.map(OrderExportTemplate.number) ?? "-"])
        }
        out += Table.render(rows).split(separator: "\n").map { "  " + $0 }
        out.append("shipments")
        if detail.shipments.isEmpty { out.append("  none") }
        for shipment in detail.shipments {
            let items = shipment.items.map { "#\($0.lineNumber)×\($0.quantity)" }.joined(separator: " ")
            out.append("  \(shipment.id): package \(shipment.packageID), tracking \(shipment.trackingNumber ?? "-")"
                       + " (\(shipment.carrierCode ?? "no carrier")), shipped \(date(shipment.shippingDate)), items \(items)")
            var state = "     \(shipment.status)"
            if let confirmed = shipment.confirmedAt { state += " at \(date(confirmed))" }
            state += ", \(shipment.attempts) attempt\(shipment.attempts == 1 ? "" : "s"), from \(shipment.source)"
            if let error = shipment.lastError { state += "; last error: \(error)" }
            out.append(state)
        }
        out.append("events")
        if detail.events.isEmpty { out.append("  none") }
        for event in detail.events { out.append("  \(date(event.at)) \(event.kind): \(event.detail)") }
        out.append("errors")
        if detail.errors.isEmpty { out.append("  none") }
        for error in detail.errors {
            out.append("  \(date(error.at)) [\(error.stage)\(error.runID.map { ", run \($0)" } ?? "")] \(error.message)")
        }
        return out.map(TerminalText.safeLine).joined(separator: "\n")
    }

    private func json() -> String {
        var writer = JSONWriter()
        OrderDocument.write(detail, into: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
