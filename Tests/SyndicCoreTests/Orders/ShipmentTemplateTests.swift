import Foundation
import Testing
@testable import SyndicCore

/// The ERP's shipment confirmation template: the header, the rules of a row, and the
/// identity that keeps a row imported twice from shipping twice.
@Suite struct ShipmentTemplateTests {
    static let header = try! ShipmentTemplate.Header.read(ShipmentTemplate.columns).get()

    /// The row of `values` by column name under the full header.
    static func request(_ values: [String: String], line: Int = 2) -> Result<ShipmentRequest, ShipmentTemplate.RowRejection> {
        ShipmentTemplate.request(ShipmentTemplate.columns.map { values[$0] ?? "" }, line: line, header: header)
    }

    static func reason(_ values: [String: String]) -> String? {
        if case .failure(let rejection) = request(values) { return rejection.reason }
        return nil
    }

    static let shippingDate = "1744187335000"
    static let shippedAt = Date(timeIntervalSince1970: 1_744_187_335)

    // MARK: - Accepted rows

    @Test func aFullRowByMarketplaceId() throws {
        let request = try Self.request([
            "original_id": "012-3456789-0000000", "package_id": "2", "tracking_number": "A123456",
            "shipping_date": Self.shippingDate, "carrier_code": "UPS", "item_original_id": "68828574383266",
            "item_quantity_shipped": "2",
        ]).get()
        #expect(request == ShipmentRequest(order: .marketplaceID("012-3456789-0000000"), packageID: "2",
                                           trackingNumber: "A123456", carrierCode: "UPS", shippingDate: Self.shippedAt,
                                           item: .marketplaceLineID("68828574383266"), quantity: 2))
    }

    @Test func theInternalIdWinsOverTheMarketplaceId() throws {
        let request = try Self.request(["id": "d3c712bc-8be3-222b-e6aa-f57bd1a0e4f6", "original_id": "012-3456789-0000000",
                                        "shipping_date": Self.shippingDate]).get()
        #expect(request.order == .internalID("d3c712bc-8be3-222b-e6aa-f57bd1a0e4f6"))
    }

    @Test func aRowWithoutItemShipsTheWholeOrderInPackageOne() throws {
        let request = try Self.request(["original_id": "O-1", "shipping_date": Self.shippingDate]).get()
        #expect(request == ShipmentRequest(order: .marketplaceID("O-1"), packageID: "1", trackingNumber: nil, carrierCode: nil,
                                           shippingDate: Self.shippedAt, item: nil, quantity: nil))
    }

    @Test(arguments: [("2", 2), ("2.0", 2), ("15.0", 15), (" 3 ", 3), ("1", 1)])
    func itemIdIsTheLineNumber(_ text: String, _ number: Int) throws {
        let request = try Self.request(["original_id": "O-1", "shipping_date": Self.shippingDate, "item_id": text,
                                        "item_quantity_shipped": "1"]).get()
        #expect(request.item == .lineNumber(number))
        #expect(request.quantity == 1)
    }

    @Test func anItemWithoutQuantityShipsAllOfIt() throws {
        let request = try Self.request(["original_id": "O-1", "shipping_date": Self.shippingDate, "item_id": "1"]).get()
        #expect(request.item == .lineNumber(1))
        #expect(request.quantity == nil)
    }

    @Test func fieldsAreTrimmedAndBlankMeansAbsent() throws {
        let request = try Self.request(["original_id": "  O-1 ", "shipping_date": " \(Self.shippingDate) ",
                                        "package_id": "  ", "tracking_number": " T1 ", "carrier_code": ""]).get()
        #expect(request == ShipmentRequest(order: .marketplaceID("O-1"), packageID: "1", trackingNumber: "T1", carrierCode: nil,
                                           shippingDate: Self.shippedAt, item: nil, quantity: nil))
    }

    @Test func aShortRowReadsItsMissingColumnsAsEmpty() throws {
        let request = try ShipmentTemplate.request(["", "O-1", "3", "T", Self.shippingDate], line: 4, header: Self.header).get()
        #expect(request.packageID == "3")
        #expect(request.carrierCode == nil)
        #expect(request.item == nil)
    }

    // MARK: - Rejected rows

    @Test(arguments: [
        // One of id or original_id.
        (["shipping_date": "1744187335000"], "one of id or original_id is required"),
        (["id": " ", "original_id": "", "shipping_date": "1744187335000"], "one of id or original_id is required"),
        // shipping_date: 13 digits exactly.
        (["original_id": "O-1"], "shipping_date is required: a timestamp in milliseconds (13 digits)"),
        (["original_id": "O-1", "shipping_date": "174418733500"],
         #"shipping_date "174418733500" is not a timestamp in milliseconds (13 digits)"#),
        (["original_id": "O-1", "shipping_date": "17441873350000"],
         #"shipping_date "17441873350000" is not a timestamp in milliseconds (13 digits)"#),
        (["original_id": "O-1", "shipping_date": "174418733500a"],
         #"shipping_date "174418733500a" is not a timestamp in milliseconds (13 digits)"#),
        (["original_id": "O-1", "shipping_date": "2025-04-09T08:28"],
         #"shipping_date "2025-04-09T08:28" is not a timestamp in milliseconds (13 digits)"#),
        (["original_id": "O-1", "shipping_date": "+744187335000"],
         #"shipping_date "+744187335000" is not a timestamp in milliseconds (13 digits)"#),
        // item_quantity_shipped: a whole number from 1, with an item.
        (["original_id": "O-1", "shipping_date": "1744187335000", "item_quantity_shipped": "2"],
         "one of item_id or item_original_id is required when item_quantity_shipped is given"),
        (["original_id": "O-1", "shipping_date": "1744187335000", "item_id": "1", "item_quantity_shipped": "0"],
         #"item_quantity_shipped "0" is not a whole number from 1"#),
        (["original_id": "O-1", "shipping_date": "1744187335000", "item_id": "1", "item_quantity_shipped": "-1"],
         #"item_quantity_shipped "-1" is not a whole number from 1"#),
        (["original_id": "O-1", "shipping_date": "1744187335000", "item_id": "1", "item_quantity_shipped": "2.5"],
         #"item_quantity_shipped "2.5" is not a whole number from 1"#),
        (["original_id": "O-1", "shipping_date": "1744187335000", "item_id": "1", "item_quantity_shipped": "2024-01-01"],
         #"item_quantity_shipped "2024-01-01" is not a whole number from 1"#),
        // item_id: a line number.
        (["original_id": "O-1", "shipping_date": "1744187335000", "item_id": "2.5"],
         #"item_id "2.5" is not an item id (the line_number of the order export)"#),
        (["original_id": "O-1", "shipping_date": "1744187335000", "item_id": "0"],
         #"item_id "0" is not an item id (the line_number of the order export)"#),
        (["original_id": "O-1", "shipping_date": "1744187335000", "item_id": "USD"],
         #"item_id "USD" is not an item id (the line_number of the order export)"#),
    ])
    func rowsBreakingARuleAreRejectedWithTheirReason(_ values: [String: String], _ reason: String) {
        #expect(Self.reason(values) == reason)
    }

    @Test(arguments: ["174418733500", "17441873350a0", "abcdefghijklm", "1744187335000.0", "１７４４１８７３３５０００"])
    func badShippingDatesAreRejectedNamingShippingDate(_ text: String) throws {
        let reason = try #require(Self.reason(["original_id": "O-1", "shipping_date": text]))
        #expect(reason.contains("shipping_date"))
        #expect(reason.contains("13 digits"))
    }

    @Test func aRejectionCarriesItsLine() {
        #expect(ShipmentTemplate.request(ShipmentTemplate.columns.map { _ in "" }, line: 7, header: Self.header)
            == .failure(ShipmentTemplate.RowRejection(line: 7, reason: "one of id or original_id is required")))
    }

    // MARK: - Header

    @Test func aHeaderWithoutIdOrOriginalIdCannotBeImported() throws {
        guard case .failure(let rejection) = ShipmentTemplate.Header.read(["package_id", "shipping_date", "item_id"]) else {
            Issue.record("a header without id nor original_id was accepted")
            return
        }
        #expect(rejection.line == 1)
        #expect(rejection.reason.hasPrefix("the header names neither id nor original_id"))
        #expect(rejection.reason.contains(ShipmentTemplate.columns.joined(separator: ",")))
    }

    @Test func aHeaderWithoutShippingDateCannotBeImported() {
        guard case .failure(let rejection) = ShipmentTemplate.Header.read(["original_id", "tracking_number"]) else {
            Issue.record("a header without shipping_date was accepted")
            return
        }
        #expect(rejection == ShipmentTemplate.RowRejection(line: 1, reason: "the header has no shipping_date column"))
    }

    @Test func headerNamesAreCaseAndWhitespaceTolerantAndUnknownColumnsIgnored() throws {
        let header = try ShipmentTemplate.Header.read([
            "Comment", " ORIGINAL_ID ", "Shipping_Date", "warehouse", "Item_Original_Id  ", "ITEM_QUANTITY_SHIPPED",
        ]).get()
        let request = try ShipmentTemplate.request(["rush", "O-1", "1744187335000", "W3", "L-9", "2"], line: 2,
                                                   header: header).get()
        #expect(request == ShipmentRequest(order: .marketplaceID("O-1"), packageID: "1", trackingNumber: nil, carrierCode: nil,
                                           shippingDate: Self.shippedAt, item: .marketplaceLineID("L-9"), quantity: 2))
    }

    @Test func theFirstOfTwoColumnsOfTheSameNameCounts() throws {
        let header = try ShipmentTemplate.Header.read(["original_id", "shipping_date", "original_id"]).get()
        let request = try ShipmentTemplate.request(["O-1", "1744187335000", "O-2"], line: 2, header: header).get()
        #expect(request.order == .marketplaceID("O-1"))
    }

    @Test func theColumnsAreTheSeeds() {
        #expect(ShipmentTemplate.columns == ["id", "original_id", "package_id", "tracking_number", "shipping_date",
                                             "carrier_code", "item_id", "item_original_id", "item_quantity_shipped"])
    }

    // MARK: - Identity

    static let row: [String: String] = [
        "original_id": "O-1", "package_id": "1", "tracking_number": "T1", "shipping_date": "1744187335000",
        "carrier_code": "UPS", "item_id": "1", "item_quantity_shipped": "2",
    ]

    @Test func equalRowsHaveTheSameIdentity() throws {
        let first = try Self.request(Self.row, line: 2).get()
        let again = try Self.request(Self.row, line: 40).get()
        #expect(first.identity == again.identity)
        // "1.0" and "1" name the same line.
        var spreadsheet = Self.row
        spreadsheet["item_id"] = "1.0"
        #expect(try Self.request(spreadsheet).get().identity == first.identity)
    }

    @Test(arguments: [
        ("item_quantity_shipped", "1"), ("item_quantity_shipped", ""), ("item_id", "2"), ("tracking_number", "T2"),
        ("carrier_code", "DHL"), ("package_id", "2"), ("shipping_date", "1744187335001"), ("original_id", "O-2"),
    ])
    func rowsDifferingInOneFieldHaveDifferentIdentities(_ column: String, _ value: String) throws {
        var other = Self.row
        other[column] = value
        #expect(try Self.request(other).get().identity != Self.request(Self.row).get().identity)
    }

    @Test func internalAndMarketplaceIdsOfTheSameTextDiffer() {
        let date = Self.shippedAt
        let byInternal = ShipmentRequest(order: .internalID("X"), packageID: "1", trackingNumber: nil, carrierCode: nil,
                                         shippingDate: date, item: nil, quantity: nil)
        var byMarketplace = byInternal
        byMarketplace.order = .marketplaceID("X")
        #expect(byInternal.identity != byMarketplace.identity)
        // A separator inside a field cannot make two different requests look alike.
        let a = ShipmentRequest(order: .marketplaceID("A|1"), packageID: "2", trackingNumber: nil, carrierCode: nil,
                                shippingDate: date, item: nil, quantity: nil)
        let b = ShipmentRequest(order: .marketplaceID("A"), packageID: "1|2", trackingNumber: nil, carrierCode: nil,
                                shippingDate: date, item: nil, quantity: nil)
        #expect(a.identity != b.identity)
    }
}

extension ShipmentTemplateTests {
    /// Escaping `|` by doubling it is not enough when a field ends with `|`: `A|` then `1`
    /// and `A` then `|1` would both join to `A|||1`.
    @Test func aSeparatorAtTheEdgeOfAFieldCannotMakeTwoRequestsLookAlike() {
        let date = Self.shippedAt
        let a = ShipmentRequest(order: .marketplaceID("A|"), packageID: "1", trackingNumber: nil, carrierCode: nil,
                                shippingDate: date, item: nil, quantity: nil)
        let b = ShipmentRequest(order: .marketplaceID("A"), packageID: "|1", trackingNumber: nil, carrierCode: nil,
                                shippingDate: date, item: nil, quantity: nil)
        #expect(a.identity != b.identity)
        let c = ShipmentRequest(order: .marketplaceID("A"), packageID: "1", trackingNumber: "T|", carrierCode: "UPS",
                                shippingDate: date, item: nil, quantity: nil)
        let d = ShipmentRequest(order: .marketplaceID("A"), packageID: "1", trackingNumber: "T", carrierCode: "|UPS",
                                shippingDate: date, item: nil, quantity: nil)
        #expect(c.identity != d.identity)
        // Nor can the escape character itself.
        let e = ShipmentRequest(order: .marketplaceID("A\\"), packageID: "|1", trackingNumber: nil, carrierCode: nil,
                                shippingDate: date, item: nil, quantity: nil)
        let f = ShipmentRequest(order: .marketplaceID("A\\|"), packageID: "1", trackingNumber: nil, carrierCode: nil,
                                shippingDate: date, item: nil, quantity: nil)
        #expect(e.identity != f.identity)
    }
}
