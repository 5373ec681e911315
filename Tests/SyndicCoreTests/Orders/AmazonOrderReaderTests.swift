import Foundation
import Testing
@testable import SyndicCore

/// Amazon SP-API orders (`getOrders`) and their items (`getOrderItems`) read into `Order`s.
@Suite struct AmazonOrderReaderTests {
    static let unshipped = """
        {
          "AmazonOrderId": "402-2654339-9122716",
          "PurchaseDate": "2024-11-15T19:56:04Z",
          "LastUpdateDate": "2024-11-15T20:10:00Z",
          "OrderStatus": "Unshipped",
          "FulfillmentChannel": "MFN",
          "PaymentMethod": "Other",
          "OrderTotal": {"CurrencyCode": "EUR", "Amount": "159.60"},
          "BuyerInfo": {"BuyerEmail": "abc123@marketplace.amazon.fr", "BuyerName": "Jean Dupont"},
          "ShippingAddress": {
            "Name": "J. Dupont",
            "AddressLine1": "13 place Aristide Briand",
            "AddressLine2": "2 eme etage",
            "PostalCode": "44000",
            "City": "Nantes",
            "CountryCode": "FR",
            "Phone": "+33 1 02 03 04 05"
          }
        }
        """

    static let items = [
        """
        {"OrderItemId": "68828574383266", "SellerSKU": "SKU-1", "ASIN": "B00TEST001", "Title": "Mug",
         "QuantityOrdered": 3, "QuantityShipped": 1, "ItemPrice": {"CurrencyCode": "EUR", "Amount": "119.70"}}
        """,
        """
        {"OrderItemId": "68828574383267", "SellerSKU": "SKU-2", "ASIN": "B00TEST002", "QuantityOrdered": 1,
         "QuantityShipped": 0, "ItemPrice": {"CurrencyCode": "EUR", "Amount": "39.90"},
         "BuyerRequestedCancel": {"IsBuyerRequestedCancel": "true", "BuyerCancelReason": "Found cheaper"}}
        """,
    ]

    static func read(_ order: String, items: [String] = items) throws -> Result<Order, OrderReadError> {
        AmazonOrderReader.order(try CanonicalJSON.parse(order), items: try items.map(CanonicalJSON.parse))
    }

    static func order(_ order: String, items: [String] = items) throws -> Order {
        try read(order, items: items).get()
    }

    @Test func readsTheOrderFields() throws {
        let order = try Self.order(Self.unshipped)
        #expect(order.marketplaceID == "402-2654339-9122716")
        #expect(order.rawStatus == "Unshipped")
        #expect(order.status == .waitingForShipment)
        #expect(order.fulfilledBy == .merchant)
        #expect(order.purchaseDate == Date(timeIntervalSince1970: 1_731_700_564))
        #expect(order.marketplaceUpdatedAt == Date(timeIntervalSince1970: 1_731_701_400))
        #expect(order.currency == "EUR")
        #expect(order.total == 159.6)
        #expect(order.payment == "Other")
        // The buyer's name wins over the name on the address.
        #expect(order.customer == Order.Customer(name: "Jean Dupont", email: "abc123@marketplace.amazon.fr",
                                                 phone: "+33 1 02 03 04 05"))
        #expect(order.shipping == Order.Address(line1: "13 place Aristide Briand", line2: "2 eme etage", postalCode: "44000",
                                                city: "Nantes", countryCode: "FR"))
    }

    @Test func itemsBecomeLinesNumberedFromOneWithTheirStringPrices() throws {
        let order = try Self.order(Self.unshipped)
        #expect(order.lines == [
            OrderLine(number: 1, lineID: "68828574383266", sku: "SKU-1", productReference: "B00TEST001", title: "Mug",
                      quantityOrdered: 3, quantityShipped: 1, lineTotal: 119.7),
            OrderLine(number: 2, lineID: "68828574383267", sku: "SKU-2", productReference: "B00TEST002",
                      quantityOrdered: 1, quantityShipped: 0, lineTotal: 39.9),
        ])
    }

    @Test func buyerRequestedCancelIsACancellationOfTheWholeItem() throws {
        let order = try Self.order(Self.unshipped)
        #expect(order.cancellations == [
            Order.Cancellation(id: "68828574383267", lineID: "68828574383267", quantity: 1, reason: "Found cheaper", at: nil),
        ])
        // A JSON boolean reads the same; "false" is no request.
        let boolean = #"{"OrderItemId": "9", "QuantityOrdered": 2, "BuyerRequestedCancel": {"IsBuyerRequestedCancel": true}}"#
        let refused = #"{"OrderItemId": "8", "QuantityOrdered": 2, "BuyerRequestedCancel": {"IsBuyerRequestedCancel": "false"}}"#
        let order2 = try Self.order(Self.unshipped, items: [boolean, refused])
        #expect(order2.cancellations == [Order.Cancellation(id: "9", lineID: "9", quantity: 2, reason: nil, at: nil)])
    }

    @Test func afnOrdersAreFulfilledByTheMarketplace() throws {
        let afn = Self.unshipped.replacingOccurrences(of: #""MFN""#, with: #""AFN""#)
        #expect(try Self.order(afn).fulfilledBy == .marketplace)
        let none = Self.unshipped.replacingOccurrences(of: #""FulfillmentChannel": "MFN","#, with: "")
        #expect(try Self.order(none).fulfilledBy == nil)
    }

    @Test func aPendingOrderWithoutAddressHasEmptyBuyerAndAddressFields() throws {
        let pending = """
            {"AmazonOrderId": "171-0000000-0000001", "PurchaseDate": "2024-11-15T19:56:04Z", "OrderStatus": "Pending",
             "FulfillmentChannel": "MFN"}
            """
        let item = #"{"OrderItemId": "1", "SellerSKU": "SKU-1", "QuantityOrdered": 2, "QuantityShipped": 0}"#
        let order = try Self.order(pending, items: [item])
        #expect(order.status == .pending)
        #expect(order.customer == Order.Customer())
        #expect(order.shipping == Order.Address())
        #expect(order.total == nil)
        #expect(order.currency == nil)
        // No price from the marketplace: no line total.
        #expect(order.lines.map(\.lineTotal) == [nil])
        #expect(order.lines.map(\.quantityOrdered) == [2])
    }

    @Test func itemsWithoutIdAreNamedAfterTheOrder() throws {
        let order = try Self.order(Self.unshipped, items: [#"{"QuantityOrdered": 1}"#, #"{"QuantityOrdered": 4}"#])
        #expect(order.lines.map(\.lineID) == ["402-2654339-9122716-1", "402-2654339-9122716-2"])
        #expect(order.lines.map(\.number) == [1, 2])
    }

    @Test func anOrderWithoutItemsHasNoLines() throws {
        #expect(try Self.order(Self.unshipped, items: []).lines.isEmpty)
    }

    @Test func anOrderWithoutIdOrStatusFails() throws {
        #expect(try Self.read(#"{"OrderStatus": "Unshipped"}"#)
            == .failure(OrderReadError(orderID: nil, message: "an order without AmazonOrderId")))
        #expect(try Self.read(#"{"AmazonOrderId": "402-1"}"#)
            == .failure(OrderReadError(orderID: "402-1", message: "order 402-1 has no OrderStatus")))
    }

    @Test func unknownStatusesAreKeptAsWritten() throws {
        let order = try Self.order(Self.unshipped.replacingOccurrences(of: #""Unshipped""#, with: #""OnHold""#))
        #expect(order.status == .unknown)
        #expect(order.rawStatus == "OnHold")
    }
}
