import Foundation
import SyndicCore
@testable import SyndicServer
import Testing

/// An order's page built without HTTP.
@Suite struct OrderPageTests {
    typealias C = ChannelsPageTests

    static func detail(errors: [OrderDetail.OrderError] = []) -> OrderDetail {
        let order = Order(marketplaceID: "FR-1", rawStatus: "SHIPPING", status: .partiallyShipped, fulfilledBy: .merchant,
                          purchaseDate: C.now, currency: "EUR", total: 30, payment: "PAID",
                          customer: Order.Customer(name: "Jeanne", email: "j@example.com"),
                          shipping: Order.Address(line1: "1 rue A", postalCode: "44000", city: "Nantes", countryCode: "FR"),
                          lines: [OrderLine(number: 1, lineID: "L1", sku: "SKU-1", quantityOrdered: 2, quantityShipped: 1, lineTotal: 20),
                                  OrderLine(number: 2, lineID: "L2", gtin: "3600000000017", quantityOrdered: 1, quantityCanceled: 1)])
        let stored = StoredOrder(id: "0b8f", channel: "shop", marketplace: "mirakl", order: order, receivedAt: C.now, updatedAt: C.now,
                                 changeSequence: 1, errorCount: errors.count, cancellationRequested: true)
        let shipment = OrderDetail.Shipment(id: 4, packageID: "P1", trackingNumber: "TRK", carrierCode: "UPS", shippingDate: C.now,
                                            source: "api", status: "confirmed", attempts: 1, confirmedAt: C.now,
                                            items: [.init(lineNumber: 1, quantity: 1)])
        return OrderDetail(stored: stored, shipments: [shipment],
                           events: [.init(kind: "cancellation-requested", reference: "C1", detail: "1 canceled on line L2", at: C.now)],
                           errors: errors)
    }

    @Test func linesLinkTheirLastExportAndSayWhatShippedOrWasCanceled() throws {
        let export = ProductExportRecord(channel: "shop", runID: 9, mode: "delta", at: C.now, sent: 1, file: nil, products: ["SKU-1"])
        let page = OrderPage.build(OrderPage.Input(detail: Self.detail(), exports: [1: export]), csrf: "t")
        #expect(page.heading == "Order FR-1" && page.cancellationRequested && page.channelHref == "/channels/shop")
        #expect(page.address == ["1 rue A", "44000 Nantes", "FR"])
        let first = try #require(page.lines.first)
        #expect(first.quantity == "2 (1 shipped)" && first.lineTotal == "20 EUR" && first.sku == "SKU-1" && first.gtin == "-")
        #expect(first.hasExport && first.exportHref == "/runs/9" && first.exportText == "exported 2026-03-11T12:00:00Z (run 9)")
        #expect(first.lineChannel == "shop")
        let second = page.lines[1]
        #expect(second.quantity == "1 (1 canceled)" && !second.hasExport && second.lineTotal == "-" && second.gtin == "3600000000017")
        #expect(page.shipments.first?.items == "line 1 × 1" && page.shipments.first?.tracking == "TRK")
        #expect(page.identity.contains(PageFact(label: "Marketplace status", value: "SHIPPING")))
        #expect(page.buyer.contains(PageFact(label: "Phone", value: "-")))
        #expect(!page.hasErrors && page.errorDetails.isEmpty)
    }

    @Test func errorDetailsAreTextToCopy() {
        let errors = [OrderDetail.OrderError(stage: "export", message: "bad carrier", runID: 3, at: C.now),
                      OrderDetail.OrderError(stage: "push", message: "HTTP 500", at: C.now)]
        let page = OrderPage.build(OrderPage.Input(detail: Self.detail(errors: errors), exports: [:]), csrf: "t")
        #expect(page.hasErrors && page.errors.map(\.hasRun) == [true, false] && page.errors[0].runHref == "/runs/3")
        #expect(page.errorDetails == """
            order FR-1 (mirakl, channel shop, internal id 0b8f)
            2026-03-11T12:00:00Z [export, run 3] bad carrier
            2026-03-11T12:00:00Z [push] HTTP 500
            """)
    }
}
