import Foundation
import SyndicCore

/// One order: ids, dates, status, payment, buyer and address, lines (with a link to the
/// product's last exported row when the line's product was exported by the channel),
/// shipments with tracking, events (cancellation requests) and errors, whose details can be
/// copied.
struct OrderPage: Sendable {
    var frame: PageFrame
    var heading: String
    var channel: String
    var channelHref: String
    var status: String
    var cancellationRequested: Bool
    var identity: [PageFact]
    var dates: [PageFact]
    var payment: [PageFact]
    var buyer: [PageFact]
    var address: [String]
    var hasAddress: Bool
    var lines: [Line]
    var hasLines: Bool
    var shipments: [Shipment]
    var hasShipments: Bool
    var events: [Event]
    var hasEvents: Bool
    var errors: [ErrorRow]
    var hasErrors: Bool
    /// Every error as plain text, for the copy button and to select by hand.
    var errorDetails: String

    struct Line: Sendable, Equatable {
        var number: String
        var lineID: String
        var sku: String
        var gtin: String
        var product: String
        var title: String
        var quantity: String
        var lineTotal: String
        var lineChannel: String
        var hasExport: Bool
        var exportText: String
        var exportHref: String
    }

    struct Shipment: Sendable, Equatable {
        var shipmentID: String
        var package: String
        var tracking: String
        var carrier: String
        var shipped: String
        var items: String
        var shipmentStatus: String
        var confirmed: String
        var attempts: String
        var source: String
        var lastError: String
    }

    struct Event: Sendable, Equatable {
        var eventAt: String
        var kind: String
        var reference: String
        var detail: String
    }

    struct ErrorRow: Sendable, Equatable {
        var errorAt: String
        var stage: String
        var message: String
        var hasRun: Bool
        var runText: String
        var runHref: String
    }

    /// What the page is built from: the order, and per line number the channel's newest
    /// export record that sent the line's product.
    struct Input: Sendable {
        var detail: OrderDetail
        var exports: [Int: ProductExportRecord]
    }

    static func build(_ input: Input, csrf: String) -> OrderPage {
        let stored = input.detail.stored
        let order = stored.order
        let channelHref = "/channels/" + PageFormat.segment(stored.channel)
        let locality: String? = [order.shipping.postalCode, order.shipping.city].compactMap { $0 }.filter { !$0.isEmpty }
            .joined(separator: " ")
        let address: [String] = [order.shipping.line1, order.shipping.line2, locality, order.shipping.countryCode]
            .compactMap { $0 }.filter { !$0.isEmpty }
        let errors = input.detail.errors.map { error in
            ErrorRow(errorAt: PageFormat.date(error.at), stage: error.stage, message: error.message, hasRun: error.runID != nil,
                     runText: error.runID.map { "run \($0)" } ?? "", runHref: error.runID.map { "/runs/\($0)" } ?? "")
        }
        return OrderPage(
            frame: PageFrame(title: "Order \(order.marketplaceID)", section: .orders, csrf: csrf),
            heading: "Order \(order.marketplaceID)", channel: stored.channel, channelHref: channelHref,
            status: order.status.rawValue, cancellationRequested: stored.cancellationRequested,
            identity: [PageFact(label: "Marketplace order id", value: order.marketplaceID),
                       PageFact(label: "Internal id", value: stored.id),
                       PageFact(label: "Marketplace", value: stored.marketplace),
                       PageFact(label: "Status", value: order.status.rawValue),
                       PageFact(label: "Marketplace status", value: order.rawStatus),
                       PageFact(label: "Fulfilled by", value: PageFormat.text(order.fulfilledBy?.rawValue))],
            dates: [PageFact(label: "Purchased", value: PageFormat.date(order.purchaseDate)),
                    PageFact(label: "Updated by the marketplace", value: PageFormat.date(order.marketplaceUpdatedAt)),
                    PageFact(label: "Received by syndic", value: PageFormat.date(stored.receivedAt)),
                    PageFact(label: "Updated by syndic", value: PageFormat.date(stored.updatedAt))],
            payment: [PageFact(label: "Total", value: PageFormat.money(order.total, order.currency)),
                      PageFact(label: "Payment", value: PageFormat.text(order.payment))],
            buyer: [PageFact(label: "Name", value: PageFormat.text(order.customer.name)),
                    PageFact(label: "Email", value: PageFormat.text(order.customer.email)),
                    PageFact(label: "Phone", value: PageFormat.text(order.customer.phone))],
            address: address, hasAddress: !address.isEmpty,
            lines: order.lines.map { line(stored, $0, export: input.exports[$0.number]) }, hasLines: !order.lines.isEmpty,
            shipments: input.detail.shipments.map(shipment), hasShipments: !input.detail.shipments.isEmpty,
            events: input.detail.events.map {
                Event(eventAt: PageFormat.date($0.at), kind: $0.kind, reference: $0.reference, detail: $0.detail)
            },
            hasEvents: !input.detail.events.isEmpty, errors: errors, hasErrors: !errors.isEmpty,
            errorDetails: errorDetails(stored, input.detail.errors))
    }

    static func line(_ stored: StoredOrder, _ line: OrderLine, export: ProductExportRecord?) -> Line {
        var quantity = String(line.quantityOrdered)
        var parts: [String] = []
        if line.quantityShipped > 0 { parts.append("\(line.quantityShipped) shipped") }
        if line.quantityCanceled > 0 { parts.append("\(line.quantityCanceled) canceled") }
        if !parts.isEmpty { quantity += " (" + parts.joined(separator: ", ") + ")" }
        let exportText = export.map { export in
            "exported \(PageFormat.date(export.at))" + (export.runID.map { " (run \($0))" } ?? "")
        } ?? ""
        return Line(number: String(line.number), lineID: line.lineID, sku: PageFormat.text(line.sku),
                    gtin: PageFormat.text(line.gtin), product: PageFormat.text(line.productReference),
                    title: PageFormat.text(line.title), quantity: quantity,
                    lineTotal: PageFormat.money(line.lineTotal, stored.order.currency), lineChannel: stored.channel,
                    hasExport: export?.runID != nil, exportText: exportText,
                    exportHref: export?.runID.map { "/runs/\($0)" } ?? "")
    }

    static func shipment(_ shipment: OrderDetail.Shipment) -> Shipment {
        Shipment(shipmentID: String(shipment.id), package: shipment.packageID, tracking: PageFormat.text(shipment.trackingNumber),
                 carrier: PageFormat.text(shipment.carrierCode), shipped: PageFormat.date(shipment.shippingDate),
                 items: shipment.items.map { "line \($0.lineNumber) × \($0.quantity)" }.joined(separator: ", "),
                 shipmentStatus: shipment.status, confirmed: PageFormat.date(shipment.confirmedAt),
                 attempts: String(shipment.attempts), source: shipment.source, lastError: PageFormat.text(shipment.lastError))
    }

    /// The errors as text to paste in a ticket: the order, then one paragraph per error.
    static func errorDetails(_ stored: StoredOrder, _ errors: [OrderDetail.OrderError]) -> String {
        guard !errors.isEmpty else { return "" }
        var lines = ["order \(stored.order.marketplaceID) (\(stored.marketplace), channel \(stored.channel), internal id \(stored.id))"]
        for error in errors {
            lines.append("\(PageFormat.date(error.at)) [\(error.stage)\(error.runID.map { ", run \($0)" } ?? "")] \(error.message)")
        }
        return lines.joined(separator: "\n")
    }
}
