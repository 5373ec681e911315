import Foundation
import Testing
@testable import SyndicCore

/// The ERP's order export template: columns, one row per line with its formulas, the
/// number format, a whole golden file, and the file names of every split.
@Suite struct OrderExportTemplateTests {
    static let purchase = Date(timeIntervalSince1970: 1_731_700_564) // 2024-11-15T19:56:04Z

    static func order(_ id: String = "402-2654339-9122716", status: OrderStatus = .shipped, fulfilledBy: FulfilledBy? = .merchant,
                      country: String? = "FR", lines: [OrderLine] = []) -> Order {
        Order(marketplaceID: id, rawStatus: status.rawValue, status: status, fulfilledBy: fulfilledBy, purchaseDate: purchase,
              customer: Order.Customer(name: "John Doe", phone: "0102030405"),
              shipping: Order.Address(line1: "13 place Aristide Briand", line2: "2 eme etage", postalCode: "44000",
                                      city: "Nantes", countryCode: country),
              lines: lines)
    }

    static func line(_ number: Int = 1, ordered: Int = 3, shipped: Int = 0, total: Double? = 119.7,
                     sku: String? = "12345") -> OrderLine {
        OrderLine(number: number, lineID: "L\(number)", sku: sku, quantityOrdered: ordered, quantityShipped: shipped,
                  lineTotal: total)
    }

    /// The value of `column` in the row of `line` of `order`.
    static func field(_ column: String, _ order: Order, _ line: OrderLine) throws -> String {
        let index = try #require(OrderExportTemplate.columns.firstIndex(of: column))
        return OrderExportTemplate.row(order, line)[index]
    }

    // MARK: - Columns

    @Test func columnsAreTheSeedsEighteenInOrder() {
        #expect(OrderExportTemplate.columns == [
            "order_status", "order_id", "purchase_date", "fulfilled_by", "customer_name", "customer_phone",
            "shipping_address_line_1", "shipping_address_line_2", "shipping_postal_code", "shipping_city",
            "shipping_country_code", "product_sku", "quantity_ordered", "quantity_shipped", "quantity_remaining_to_ship",
            "unit_price", "line_total", "line_number",
        ])
        #expect(OrderExportTemplate.columns.count == 18)
    }

    // MARK: - Rows

    @Test func aRowHasEveryColumnInTheTemplateOrder() {
        let line = Self.line(2, ordered: 3, shipped: 1, total: 119.7)
        #expect(OrderExportTemplate.row(Self.order(lines: [line]), line) == [
            "SHIPPED", "402-2654339-9122716", "2024-11-15T19:56:04.000Z", "merchant", "John Doe", "0102030405",
            "13 place Aristide Briand", "2 eme etage", "44000", "Nantes", "FR", "12345", "3", "1", "2", "39.9", "119.7", "2",
        ])
    }

    @Test(arguments: [
        (3, 0, "3"), (3, 1, "2"), (3, 3, "0"), (0, 0, "0"), (5, 2, "3"),
    ])
    func remainingToShipIsOrderedMinusShipped(_ ordered: Int, _ shipped: Int, _ expected: String) throws {
        let line = Self.line(ordered: ordered, shipped: shipped)
        #expect(try Self.field("quantity_remaining_to_ship", Self.order(), line) == expected)
        #expect(try Self.field("quantity_ordered", Self.order(), line) == String(ordered))
        #expect(try Self.field("quantity_shipped", Self.order(), line) == String(shipped))
    }

    @Test(arguments: [
        (3, 119.7 as Double?, "39.9", "119.7"),
        (1, 39.9, "39.9", "39.9"),
        (2, 25.0, "12.5", "25"),
        (3, 10.0, "3.3333", "10"),
        // Nothing ordered (a canceled order): unit price 0.
        (0, 0.0, "0", "0"),
        (0, 19.9, "0", "19.9"),
        // No price from the marketplace: line total 0, unit price 0.
        (2, nil, "0", "0"),
    ])
    func unitPriceIsLineTotalOverQuantity(_ ordered: Int, _ total: Double?, _ unit: String, _ lineTotal: String) throws {
        let line = Self.line(ordered: ordered, total: total)
        #expect(try Self.field("unit_price", Self.order(), line) == unit)
        #expect(try Self.field("line_total", Self.order(), line) == lineTotal)
    }

    @Test func purchaseDateIsUTCWithMillisecondsAndEmptyWhenUnknown() throws {
        #expect(try Self.field("purchase_date", Self.order(), Self.line()) == "2024-11-15T19:56:04.000Z")
        var order = Self.order()
        order.purchaseDate = Date(timeIntervalSince1970: 1_731_700_564.25)
        #expect(try Self.field("purchase_date", order, Self.line()) == "2024-11-15T19:56:04.250Z")
        order.purchaseDate = nil
        #expect(try Self.field("purchase_date", order, Self.line()) == "")
    }

    @Test func missingValuesAreEmptyFields() throws {
        let order = Order(marketplaceID: "O-1", rawStatus: "WAITING_ACCEPTANCE", status: .pending)
        let line = OrderLine(number: 1, lineID: "L1", quantityOrdered: 1)
        #expect(OrderExportTemplate.row(order, line) == [
            "PENDING", "O-1", "", "", "", "", "", "", "", "", "", "", "1", "0", "1", "0", "0", "1",
        ])
    }

    // MARK: - Formulas

    /// An order whose every marketplace text starts a formula, with a negative total.
    static func hostile() -> (Order, OrderLine) {
        let line = OrderLine(number: 1, lineID: "L1", sku: "@SKU", quantityOrdered: 2, quantityShipped: 3, lineTotal: -7)
        let order = Order(marketplaceID: "=ID()", rawStatus: "SHIPPING", status: .waitingForShipment, fulfilledBy: .merchant,
                          purchaseDate: purchase, customer: Order.Customer(name: "=HYPERLINK(\"http://x.example\")",
                                                                          phone: "+33 1 00 00 00 00"),
                          shipping: Order.Address(line1: "-1 rue", line2: "\tB", postalCode: "\r44000", city: "@Nantes",
                                                  countryCode: "+F"),
                          lines: [line])
        return (order, line)
    }

    @Test func marketplaceTextThatStartsAFormulaGetsAQuoteAndNumbersDoNot() {
        let (order, line) = Self.hostile()
        #expect(OrderExportTemplate.row(order, line) == [
            "WAITING_FOR_SHIPMENT", "'=ID()", "2024-11-15T19:56:04.000Z", "merchant", "'=HYPERLINK(\"http://x.example\")",
            "'+33 1 00 00 00 00", "'-1 rue", "'\tB", "'\r44000", "'@Nantes", "'+F", "'@SKU",
            "2", "3", "-1", "-3.5", "-7", "1",
        ])
        #expect(OrderExportTemplate.row(order, line, escapeFormulas: false) == [
            "WAITING_FOR_SHIPMENT", "=ID()", "2024-11-15T19:56:04.000Z", "merchant", "=HYPERLINK(\"http://x.example\")",
            "+33 1 00 00 00 00", "-1 rue", "\tB", "\r44000", "@Nantes", "+F", "@SKU",
            "2", "3", "-1", "-3.5", "-7", "1",
        ])
    }

    /// Which columns are escaped: the text from the marketplace or the buyer, not the numbers
    /// or what syndic writes itself.
    @Test func theEscapedColumnsAreTheMarketplaceText() {
        #expect(OrderExportTemplate.marketplaceTextColumns == [
            "order_id", "customer_name", "customer_phone", "shipping_address_line_1", "shipping_address_line_2",
            "shipping_postal_code", "shipping_city", "shipping_country_code", "product_sku",
        ])
        #expect(OrderExportTemplate.marketplaceTextColumns.isSubset(of: Set(OrderExportTemplate.columns)))
        let (order, line) = Self.hostile()
        let escaped = OrderExportTemplate.row(order, line)
        let raw = OrderExportTemplate.row(order, line, escapeFormulas: false)
        let changed = OrderExportTemplate.columns.indices.filter { escaped[$0] != raw[$0] }.map { OrderExportTemplate.columns[$0] }
        #expect(Set(changed) == OrderExportTemplate.marketplaceTextColumns)
    }

    @Test func textThatStartsNoFormulaIsUnchanged() {
        let line = Self.line()
        let order = Self.order(lines: [line])
        #expect(OrderExportTemplate.row(order, line) == OrderExportTemplate.row(order, line, escapeFormulas: false))
    }

    // MARK: - Numbers

    @Test(arguments: [
        (39.9, "39.9"), (119.7, "119.7"), (119.7 / 3, "39.9"), (0.0, "0"), (-0.0, "0"), (100.0, "100"), (12.34, "12.34"),
        (1.23456, "1.2346"), (0.00004, "0"), (0.00005, "0.0001"), (-2.5, "-2.5"), (-0.00004, "0"), (0.1 + 0.2, "0.3"),
        (1_234_567.891, "1234567.891"), (Double.nan, "0"), (Double.infinity, "0"), (-Double.infinity, "0"),
    ])
    func numbersHaveAtMostFourDecimalsWithoutTrailingZeros(_ value: Double, _ expected: String) {
        #expect(OrderExportTemplate.number(value) == expected)
    }

    // MARK: - Golden file

    static let goldenOrders: [Order] = [
        Order(marketplaceID: "FR-100234-A", rawStatus: "SHIPPING", status: .partiallyShipped, fulfilledBy: .merchant,
              purchaseDate: Date(timeIntervalSince1970: 1_731_700_564),
              customer: Order.Customer(name: "John Doe", phone: "0102030405"),
              shipping: Order.Address(line1: "13 place Aristide Briand", line2: "2 eme etage", postalCode: "44000",
                                      city: "Nantes", countryCode: "FR"),
              lines: [
                  OrderLine(number: 1, lineID: "FR-100234-A-1", sku: "12345", quantityOrdered: 3, quantityShipped: 3,
                            lineTotal: 119.7),
                  OrderLine(number: 2, lineID: "FR-100234-A-2", sku: "SKU, \"large\"", quantityOrdered: 2, quantityShipped: 0,
                            quantityCanceled: 1, lineTotal: 53.2),
              ]),
        Order(marketplaceID: "402-2654339-9122716", rawStatus: "Shipped", status: .shipped, fulfilledBy: .marketplace,
              purchaseDate: Date(timeIntervalSince1970: 1_744_385_854.5132),
              customer: Order.Customer(name: "María José Ñúñez", phone: "+34 600 000 000"),
              shipping: Order.Address(line1: "Calle Mayor 1", postalCode: "28013", city: "Madrid", countryCode: "ES"),
              lines: [OrderLine(number: 1, lineID: "68828574383266", sku: "B-1", quantityOrdered: 1, quantityShipped: 1,
                                lineTotal: 39.9)]),
        Order(marketplaceID: "171-0000000-0000001", rawStatus: "Pending", status: .pending, fulfilledBy: nil,
              purchaseDate: Date(timeIntervalSince1970: 1_735_689_599.999),
              lines: [OrderLine(number: 1, lineID: "1", sku: "SKU-1", quantityOrdered: 2)]),
        Order(marketplaceID: "FR-100300-A", rawStatus: "CLOSED", status: .canceled, fulfilledBy: .merchant,
              purchaseDate: nil,
              customer: Order.Customer(name: "Anne\nMarie"),
              shipping: Order.Address(line1: "1 rue de la Paix", city: "Paris", countryCode: "FR"),
              lines: [OrderLine(number: 1, lineID: "FR-100300-A-1", sku: "SKU-9", quantityOrdered: 0, quantityCanceled: 2,
                                lineTotal: 0)]),
    ]

    static let goldenURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden/orders_export.csv")

    @Test func aWholeExportMatchesTheGoldenFile() throws {
        var writer = CSVWriter(header: OrderExportTemplate.columns)
        for order in Self.goldenOrders {
            for line in order.lines { writer.writeRow(OrderExportTemplate.row(order, line)) }
        }
        let actual = String(decoding: writer.bytes, as: UTF8.self)
        if ProcessInfo.processInfo.environment["SYNDIC_UPDATE_GOLDEN"] == "1" {
            try Data(actual.utf8).write(to: Self.goldenURL)
            return
        }
        let expected = try String(contentsOf: Self.goldenURL, encoding: .utf8)
        #expect(actual == expected, "output differs from Golden/orders_export.csv; rerun with SYNDIC_UPDATE_GOLDEN=1 to review")
    }

    // MARK: - Splits and file names

    static let fileDate = Date(timeIntervalSince1970: 1_744_385_854.5132) // 2025-04-11T15:37:34.5132Z

    static func fileName(_ split: OrderExportSplit, _ order: Order) -> String {
        OrderExportSplit.fileName(channel: "amazon_vendor_us", group: split.group(of: order), at: fileDate)
    }

    @Test(arguments: [
        (false, false, "orders_export_amazon_vendor_us_2025-04-11T15-37-34.5132.csv"),
        (true, false, "orders_export_amazon_vendor_us_merchant_2025-04-11T15-37-34.5132.csv"),
        (false, true, "orders_export_amazon_vendor_us_FR_2025-04-11T15-37-34.5132.csv"),
        (true, true, "orders_export_amazon_vendor_us_merchant_FR_2025-04-11T15-37-34.5132.csv"),
    ])
    func fileNamesAreTheSeeds(_ byFulfillment: Bool, _ byCountry: Bool, _ expected: String) {
        let split = OrderExportSplit(byFulfillment: byFulfillment, byCountry: byCountry)
        #expect(Self.fileName(split, Self.order()) == expected)
    }

    @Test func missingFulfilmentOrCountryGoesToUnknown() {
        let both = OrderExportSplit(byFulfillment: true, byCountry: true)
        #expect(Self.fileName(both, Self.order(fulfilledBy: nil, country: nil))
            == "orders_export_amazon_vendor_us_unknown_unknown_2025-04-11T15-37-34.5132.csv")
        #expect(both.group(of: Self.order(fulfilledBy: .marketplace, country: "ES")) == ["marketplace", "ES"])
        #expect(both.group(of: Self.order(country: "")) == ["merchant", "unknown"])
        // A code unfit for a file name is not written into one.
        #expect(both.group(of: Self.order(country: "../FR")) == ["merchant", "unknown"])
        #expect(both.group(of: Self.order(country: "F R")) == ["merchant", "unknown"])
        #expect(OrderExportSplit(byFulfillment: false, byCountry: false).group(of: Self.order(fulfilledBy: nil, country: nil))
            == [])
    }

    @Test func splitIsReadFromTheChannelsSplitByList() {
        #expect(OrderExportSplit(nil) == OrderExportSplit(byFulfillment: false, byCountry: false))
        #expect(OrderExportSplit([]) == OrderExportSplit(byFulfillment: false, byCountry: false))
        #expect(OrderExportSplit(["fulfillment"]) == OrderExportSplit(byFulfillment: true, byCountry: false))
        #expect(OrderExportSplit(["country"]) == OrderExportSplit(byFulfillment: false, byCountry: true))
        #expect(OrderExportSplit(["country", "fulfillment"]) == OrderExportSplit(byFulfillment: true, byCountry: true))
    }
}
