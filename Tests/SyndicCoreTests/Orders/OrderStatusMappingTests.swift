import Testing
@testable import SyndicCore

/// The normalized order statuses: how each marketplace's order and line states map to
/// PENDING, WAITING_FOR_SHIPMENT, PARTIALLY_SHIPPED, SHIPPED, REFUSED, CANCELED or UNKNOWN.
@Suite struct OrderStatusMappingTests {
    typealias Line = OrderStatusMapping.MiraklLine

    @Test(arguments: [
        ("STAGING", [Line](), OrderStatus.pending),
        ("WAITING_ACCEPTANCE", [Line(state: "WAITING_ACCEPTANCE")], .pending),
        ("WAITING_DEBIT", [], .pending),
        ("WAITING_DEBIT_PAYMENT", [], .pending),
        ("SHIPPING", [Line(state: "SHIPPING"), Line(state: "SHIPPING")], .waitingForShipment),
        ("SHIPPING", [Line(state: "SHIPPED"), Line(state: "SHIPPING")], .partiallyShipped),
        ("SHIPPING", [Line(state: "SHIPPING", shipped: true), Line(state: "SHIPPING")], .partiallyShipped),
        ("SHIPPED", [Line(state: "SHIPPED")], .shipped),
        ("TO_COLLECT", [], .shipped),
        ("RECEIVED", [], .shipped),
        ("CLOSED", [Line(state: "CLOSED"), Line(state: "CANCELED")], .shipped),
        ("CLOSED", [Line(state: "CANCELED"), Line(state: "CANCELED")], .canceled),
        ("REFUSED", [Line(state: "REFUSED")], .refused),
        ("CANCELED", [], .canceled),
        ("INCIDENT_OPEN", [], .unknown),
        ("", [], .unknown),
    ])
    func mirakl(_ state: String, _ lines: [Line], _ expected: OrderStatus) {
        #expect(OrderStatusMapping.mirakl(state: state, lines: lines) == expected)
    }

    @Test(arguments: [
        ("Pending", OrderStatus.pending), ("PendingAvailability", .pending), ("Unshipped", .waitingForShipment),
        ("PartiallyShipped", .partiallyShipped), ("Shipped", .shipped), ("InvoiceUnconfirmed", .shipped),
        ("Canceled", .canceled), ("Unfulfillable", .unknown), ("Cancelled", .unknown), ("", .unknown),
    ])
    func amazon(_ status: String, _ expected: OrderStatus) {
        #expect(OrderStatusMapping.amazon(status) == expected)
    }

    @Test func amazonFulfillmentChannels() {
        #expect(OrderStatusMapping.amazonFulfillment("AFN") == .marketplace)
        #expect(OrderStatusMapping.amazonFulfillment("MFN") == .merchant)
        #expect(OrderStatusMapping.amazonFulfillment(nil) == nil)
        #expect(OrderStatusMapping.amazonFulfillment("XYZ") == nil)
    }

    @Test func theNormalizedNamesAreTheSeeds() {
        #expect(OrderStatus.allCases.map(\.rawValue) == ["PENDING", "WAITING_FOR_SHIPMENT", "PARTIALLY_SHIPPED", "SHIPPED",
                                                         "REFUSED", "CANCELED", "UNKNOWN"])
    }
}
