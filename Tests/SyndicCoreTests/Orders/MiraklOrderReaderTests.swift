import Foundation
import Testing
@testable import SyndicCore

/// Mirakl OR11 orders read into `Order`s: fields, the status table, alpha-2
/// countries, cancellations.
@Suite struct MiraklOrderReaderTests {
    /// An OR11 order as Mirakl writes it: a SHIPPING order whose first line shipped and whose
    /// second line had one unit canceled.
    static let shippingOrder = """
        {
          "order_id": "FR-100234-A",
          "commercial_id": "FR-100234",
          "order_state": "SHIPPING",
          "created_date": "2024-11-15T19:56:04Z",
          "last_updated_date": "2024-11-16T08:00:00.250Z",
          "currency_iso_code": "EUR",
          "total_price": 199.5,
          "payment_type": "CREDIT_CARD",
          "fulfillment": {"center": {"code": "DEFAULT"}},
          "customer": {
            "customer_id": "C-77",
            "firstname": "John",
            "lastname": "Doe",
            "email": "john.doe@example.org",
            "shipping_address": {
              "street_1": "13 place Aristide Briand",
              "street_2": "2 eme etage",
              "zip_code": "44000",
              "city": "Nantes",
              "country_iso_code": "FRA",
              "phone": "0102030405"
            }
          },
          "shipping_tracking": null,
          "order_lines": [
            {
              "order_line_id": "FR-100234-A-2",
              "order_line_index": 2,
              "order_line_state": "SHIPPING",
              "offer_sku": "SKU-000002",
              "product_sku": "MP000002",
              "product_title": "Mug",
              "product_references": [{"reference_type": "ean", "reference": "3760000000021"}],
              "quantity": 3,
              "price": 26.6,
              "total_price": 79.8,
              "shipped_date": null,
              "cancelations": [
                {"id": "C-FR-100234-2", "quantity": 1, "amount": 26.6, "reason_code": "34",
                 "created_date": "2024-11-16T07:59:00Z"}
              ]
            },
            {
              "order_line_id": "FR-100234-A-1",
              "order_line_index": 1,
              "order_line_state": "SHIPPED",
              "offer_sku": "SKU-000001",
              "product_sku": "MP000001",
              "quantity": 3,
              "price": 39.9,
              "total_price": "119.70",
              "shipped_date": "2024-11-16T07:00:00Z",
              "cancelations": []
            }
          ]
        }
        """

    static func read(_ text: String) throws -> Result<Order, OrderReadError> {
        MiraklOrderReader.order(try CanonicalJSON.parse(text))
    }

    static func order(_ text: String) throws -> Order {
        try read(text).get()
    }

    /// A small order in `state` whose lines have `lineStates`, each with its own cancellation
    /// when canceled.
    static func order(state: String, lineStates: [String], shippedDates: Bool = false) -> String {
        let lines = lineStates.enumerated().map { index, lineState in
            let canceled = lineState == "CANCELED"
                ? #"[{"id": "C-\#(index + 1)", "quantity": 2, "reason_code": "OUT_OF_STOCK"}]"# : "[]"
            let shipped = shippedDates && lineState != "CANCELED" ? #""2024-11-16T07:00:00Z""# : "null"
            return """
                {"order_line_id": "L\(index + 1)", "order_line_index": \(index + 1), "order_line_state": "\(lineState)",
                 "offer_sku": "S\(index + 1)", "quantity": 2, "total_price": 20.0, "shipped_date": \(shipped),
                 "cancelations": \(canceled)}
                """
        }
        return #"{"order_id": "O-1", "order_state": "\#(state)", "order_lines": [\#(lines.joined(separator: ","))]}"#
    }

    // MARK: - Fields

    @Test func readsTheOrderFields() throws {
        let order = try Self.order(Self.shippingOrder)
        #expect(order.marketplaceID == "FR-100234-A")
        #expect(order.rawStatus == "SHIPPING")
        #expect(order.fulfilledBy == .merchant)
        #expect(order.purchaseDate == Date(timeIntervalSince1970: 1_731_700_564))
        #expect(order.marketplaceUpdatedAt == Date(timeIntervalSince1970: 1_731_744_000.25))
        #expect(order.currency == "EUR")
        #expect(order.total == 199.5)
        #expect(order.payment == "CREDIT_CARD")
        #expect(order.customer == Order.Customer(name: "John Doe", email: "john.doe@example.org", phone: "0102030405"))
        #expect(order.shipping == Order.Address(line1: "13 place Aristide Briand", line2: "2 eme etage", postalCode: "44000",
                                                city: "Nantes", countryCode: "FR"))
    }

    @Test func readsLinesInTheirIndexOrder() throws {
        let order = try Self.order(Self.shippingOrder)
        #expect(order.lines.map(\.number) == [1, 2])
        let first = try #require(order.lines.first)
        #expect(first == OrderLine(number: 1, lineID: "FR-100234-A-1", sku: "SKU-000001", productReference: "MP000001",
                                   quantityOrdered: 3, quantityShipped: 3, quantityCanceled: 0, lineTotal: 119.7,
                                   rawState: "SHIPPED"))
        let second = try #require(order.lines.last)
        #expect(second == OrderLine(number: 2, lineID: "FR-100234-A-2", sku: "SKU-000002", productReference: "MP000002",
                                    gtin: "3760000000021", title: "Mug", quantityOrdered: 3, quantityShipped: 0,
                                    quantityCanceled: 1, lineTotal: 79.8, rawState: "SHIPPING"))
    }

    @Test func cancelationsBecomeCancellationsAndCanceledQuantities() throws {
        let order = try Self.order(Self.shippingOrder)
        #expect(order.cancellations == [
            Order.Cancellation(id: "C-FR-100234-2", lineID: "FR-100234-A-2", quantity: 1, reason: "34",
                               at: Date(timeIntervalSince1970: 1_731_743_940)),
        ])
        #expect(order.lines.map(\.quantityCanceled) == [0, 1])
    }

    @Test func aShippedLineShipsWhatWasNotCanceled() throws {
        let text = Self.order(state: "SHIPPED", lineStates: ["SHIPPED"]).replacingOccurrences(
            of: #""cancelations": []"#, with: #""cancelations": [{"quantity": 1, "reason_label": "Damaged"}]"#)
        let order = try Self.order(text)
        #expect(order.lines.map(\.quantityShipped) == [1])
        #expect(order.lines.map(\.quantityCanceled) == [1])
        // Without an id, a cancellation is named after its line; the label stands for the code.
        #expect(order.cancellations == [Order.Cancellation(id: "L1-1", lineID: "L1", quantity: 1, reason: "Damaged", at: nil)])
    }

    // MARK: - Status

    @Test func shippingWithAShippedLineIsPartiallyShipped() throws {
        #expect(try Self.order(Self.shippingOrder).status == .partiallyShipped)
        #expect(try Self.order(Self.order(state: "SHIPPING", lineStates: ["SHIPPING", "SHIPPING"])).status == .waitingForShipment)
        // A shipped_date alone marks a line shipped.
        #expect(try Self.order(Self.order(state: "SHIPPING", lineStates: ["SHIPPING", "SHIPPING"], shippedDates: true)).status
            == .partiallyShipped)
    }

    @Test func closedWithEveryLineCanceledIsCanceled() throws {
        let canceled = try Self.order(Self.order(state: "CLOSED", lineStates: ["CANCELED", "CANCELED"]))
        #expect(canceled.status == .canceled)
        #expect(canceled.rawStatus == "CLOSED")
        #expect(canceled.cancellations.map(\.id) == ["C-1", "C-2"])
        #expect(canceled.lines.map(\.quantityShipped) == [0, 0])
        #expect(canceled.lines.map(\.quantityCanceled) == [2, 2])
        #expect(try Self.order(Self.order(state: "CLOSED", lineStates: ["CLOSED", "CANCELED"])).status == .shipped)
    }

    @Test(arguments: [
        ("WAITING_ACCEPTANCE", OrderStatus.pending), ("WAITING_DEBIT_PAYMENT", .pending), ("SHIPPED", .shipped),
        ("RECEIVED", .shipped), ("REFUSED", .refused), ("CANCELED", .canceled), ("INCIDENT_OPEN", .unknown),
    ])
    func statusFollowsTheTable(_ state: String, _ expected: OrderStatus) throws {
        let order = try Self.order(Self.order(state: state, lineStates: ["SHIPPING"]))
        #expect(order.status == expected)
        #expect(order.rawStatus == state)
    }

    // MARK: - Fulfilment, country, missing fields

    @Test func anotherFulfilmentCenterIsTheMarketplaceAndNoneIsUnknown() throws {
        let operatorShipped = Self.shippingOrder.replacingOccurrences(of: #""code": "DEFAULT""#, with: #""code": "FC-PARIS""#)
        #expect(try Self.order(operatorShipped).fulfilledBy == .marketplace)
        #expect(try Self.order(Self.order(state: "SHIPPING", lineStates: [])).fulfilledBy == nil)
    }

    @Test func alpha3CountriesBecomeAlpha2() throws {
        let spanish = Self.shippingOrder.replacingOccurrences(of: #""FRA""#, with: #""esp""#)
        #expect(try Self.order(spanish).shipping.countryCode == "ES")
        #expect(try Self.order(Self.shippingOrder).shipping.countryCode == "FR")
    }

    @Test func anOrderWithoutCustomerOrLinesHasEmptyFields() throws {
        let order = try Self.order(#"{"order_id": "O-9", "order_state": "WAITING_ACCEPTANCE"}"#)
        #expect(order.status == .pending)
        #expect(order.customer == Order.Customer())
        #expect(order.shipping == Order.Address())
        #expect(order.lines.isEmpty)
        #expect(order.purchaseDate == nil)
    }

    @Test func aLineWithoutIdIsNamedAfterTheOrderAndItsPosition() throws {
        let order = try Self.order(#"""
            {"order_id": "O-5", "order_state": "SHIPPING", "order_lines": [{"quantity": 1}, {"quantity": 2}]}
            """#)
        #expect(order.lines.map(\.lineID) == ["O-5-1", "O-5-2"])
        #expect(order.lines.map(\.number) == [1, 2])
        #expect(order.lines.map(\.lineTotal) == [nil, nil])
    }

    @Test func anOrderWithoutOrderIdFails() throws {
        #expect(try Self.read(#"{"order_state": "SHIPPING"}"#)
            == .failure(OrderReadError(orderID: nil, message: "an order without order_id")))
        #expect(try Self.read(#"{"order_id": "", "order_state": "SHIPPING"}"#)
            == .failure(OrderReadError(orderID: nil, message: "an order without order_id")))
        #expect(try Self.read(#"{"order_id": 42, "order_state": "SHIPPING"}"#)
            == .failure(OrderReadError(orderID: nil, message: "an order without order_id")))
    }

    @Test func anOrderWithoutStateFailsNamingTheOrder() throws {
        #expect(try Self.read(#"{"order_id": "O-7"}"#)
            == .failure(OrderReadError(orderID: "O-7", message: "order O-7 has no order_state")))
    }
}
