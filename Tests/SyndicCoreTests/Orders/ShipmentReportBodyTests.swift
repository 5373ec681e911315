import Foundation
import Testing
@testable import SyndicCore

/// The strict body of `POST /api/v1/shipments`: what a valid body reports item by item, the
/// exact field named for each fault, and the nesting depth the parser refuses.
@Suite struct ShipmentReportBodyTests {
    typealias FieldError = ShipmentReportBody.FieldError

    static func decode(_ body: String) -> Result<[ReportedShipment], FieldError> {
        ShipmentReportBody.decode(Array(body.utf8))
    }

    /// The shipments of a body that must be valid.
    static func shipments(_ body: String) throws -> [ReportedShipment] {
        try decode(body).get()
    }

    /// The error of a body that must be refused, or nil when it was accepted.
    static func error(_ body: String) -> FieldError? {
        if case .failure(let error) = decode(body) { return error }
        return nil
    }

    /// A body of one shipment with `fields` (JSON members, without braces).
    static func body(_ fields: String) -> String {
        #"{"shipments":[{"# + fields + "}]}"
    }

    static let isoDate = "2026-11-20T10:00:00Z"
    static let isoInstant = Date(timeIntervalSince1970: 1_795_168_800)
    static let millis = "1744187335000"
    static let millisInstant = Date(timeIntervalSince1970: 1_744_187_335)

    static func request(_ order: ShipmentRequest.OrderReference, package: String = "1", tracking: String? = nil,
                        carrier: String? = nil, date: Date = isoInstant, item: ShipmentRequest.ItemReference? = nil,
                        quantity: Int? = nil) -> ShipmentRequest {
        ShipmentRequest(order: order, packageID: package, trackingNumber: tracking, carrierCode: carrier,
                        shippingDate: date, item: item, quantity: quantity)
    }

    // MARK: - Valid bodies

    @Test func theDocumentedExample() throws {
        let body = #"""
        {"shipments": [{"order_id": "FR1001-A", "channel": "mirakl-fr", "package_id": "1",
          "tracking_number": "1Z999", "carrier_code": "UPS", "shipping_date": "2026-11-20T10:00:00Z",
          "items": [{"line_number": 1, "quantity": 2}]}]}
        """#
        #expect(try Self.shipments(body) == [
            ReportedShipment(shipment: 0, item: 0, channel: "mirakl-fr",
                             request: Self.request(.marketplaceID("FR1001-A"), tracking: "1Z999", carrier: "UPS",
                                                   item: .lineNumber(1), quantity: 2)),
        ])
    }

    @Test func anOrderByMarketplaceOrderId() throws {
        let shipments = try Self.shipments(Self.body(#""order_id":"012-3456789-0000000","shipping_date":"\#(Self.isoDate)""#))
        #expect(shipments.map(\.request.order) == [.marketplaceID("012-3456789-0000000")])
    }

    @Test func anOrderBySyndicId() throws {
        let shipments = try Self.shipments(Self.body(#""id":"d3c712bc-8be3-222b-e6aa-f57bd1a0e4f6","shipping_date":"\#(Self.isoDate)""#))
        #expect(shipments.map(\.request.order) == [.internalID("d3c712bc-8be3-222b-e6aa-f57bd1a0e4f6")])
    }

    @Test func noItemsShipsTheWholeOrderInPackageOne() throws {
        let shipments = try Self.shipments(Self.body(#""order_id":"O-1","shipping_date":\#(Self.millis)"#))
        #expect(shipments == [
            ReportedShipment(shipment: 0, item: nil, channel: nil,
                             request: Self.request(.marketplaceID("O-1"), date: Self.millisInstant)),
        ])
        #expect(shipments[0].item == nil)
        #expect(shipments[0].request.item == nil)
        #expect(shipments[0].request.quantity == nil)
        #expect(shipments[0].request.packageID == "1")
    }

    @Test(arguments: [
        (#""package_id":"7""#, "7"),
        (#""package_id":" 7 ""#, "7"),
        (#""package_id":"PKG-2""#, "PKG-2"),
        (#""package_id":3"#, "3"),
        (#""package_id":12345678901"#, "12345678901"),
        (#""package_id":null"#, "1"),
        (#""channel":null"#, "1"),
    ])
    func packageId(_ member: String, _ expected: String) throws {
        let shipments = try Self.shipments(Self.body(#""order_id":"O-1","shipping_date":"\#(Self.isoDate)","# + member))
        #expect(shipments.map(\.request.packageID) == [expected])
    }

    @Test(arguments: [
        (#""2026-11-20T10:00:00Z""#, 1_795_168_800.0),
        (#""2026-11-20T11:00:00+01:00""#, 1_795_168_800.0),
        (#""2026-11-20T10:00:00.250Z""#, 1_795_168_800.25),
        (#""2026-11-20""#, 1_795_132_800.0),
        ("1744187335000", 1_744_187_335.0),
        ("1744187335123", 1_744_187_335.123),
        ("0", 0.0),
        ("253402300799999", 253_402_300_799.999),
        (#""2026-11-20t10:00:00.5z""#, 1_795_168_800.5),
        (#""2026-11-20T09:30:00-00:30""#, 1_795_168_800.0),
    ])
    func shippingDate(_ json: String, _ seconds: Double) throws {
        let shipments = try Self.shipments(Self.body(#""order_id":"O-1","shipping_date":"# + json))
        #expect(shipments.map(\.request.shippingDate) == [Date(timeIntervalSince1970: seconds)])
    }

    @Test func itemsByLineNumberAndLineIdWithIndicesAndChannel() throws {
        let body = #"""
        {"shipments":[
          {"id":"I-1","shipping_date":"2026-11-20T10:00:00Z","tracking_number":"T0"},
          {"order_id":"M-2","channel":"amazon-de","package_id":2,"tracking_number":" T1 ","carrier_code":"DHL",
           "shipping_date":1744187335000,
           "items":[{"line_number":1,"quantity":2},{"line_id":"L-9"},{"quantity":1,"line_id":"L-10"},
                    {"line_number":4,"quantity":null}]}
        ]}
        """#
        let second = Self.request(.marketplaceID("M-2"), package: "2", tracking: "T1", carrier: "DHL", date: Self.millisInstant)
        func item(_ reference: ShipmentRequest.ItemReference, _ quantity: Int?) -> ShipmentRequest {
            var request = second
            request.item = reference
            request.quantity = quantity
            return request
        }
        #expect(try Self.shipments(body) == [
            ReportedShipment(shipment: 0, item: nil, channel: nil, request: Self.request(.internalID("I-1"), tracking: "T0")),
            ReportedShipment(shipment: 1, item: 0, channel: "amazon-de", request: item(.lineNumber(1), 2)),
            ReportedShipment(shipment: 1, item: 1, channel: "amazon-de", request: item(.marketplaceLineID("L-9"), nil)),
            ReportedShipment(shipment: 1, item: 2, channel: "amazon-de", request: item(.marketplaceLineID("L-10"), 1)),
            ReportedShipment(shipment: 1, item: 3, channel: "amazon-de", request: item(.lineNumber(4), nil)),
        ])
    }

    @Test func nullFieldsReadAsAbsentAndTextIsTrimmed() throws {
        let shipments = try Self.shipments(Self.body(
            #""id":null,"order_id":"  O-1 ","channel":" c ","tracking_number":null,"carrier_code":null,"# +
                #""shipping_date":"\#(Self.isoDate)","items":null"#))
        #expect(shipments == [
            ReportedShipment(shipment: 0, item: nil, channel: "c", request: Self.request(.marketplaceID("O-1"))),
        ])
    }

    @Test func exactlyTheMaximumNumberOfItemsIsAccepted() throws {
        let items = Array(repeating: #"{"line_number":1}"#, count: ShipmentReportBody.maximumItems).joined(separator: ",")
        let shipments = try Self.shipments(Self.body(#""order_id":"O-1","shipping_date":0,"items":["# + items + "]"))
        #expect(shipments.count == ShipmentReportBody.maximumItems)
        #expect(shipments.last?.item == ShipmentReportBody.maximumItems - 1)
    }

    // MARK: - Refused bodies

    /// A valid shipment, to put before a faulty one.
    static let good = #"{"order_id":"O-1","shipping_date":"2026-11-20T10:00:00Z","items":[{"line_number":1}]}"#

    @Test(arguments: [
        // The body.
        ("not json", "body", "not JSON"),
        ("", "body", "not JSON"),
        (#"{"shipments":[]"#, "body", "not JSON"),
        (#"{"shipments":[\#(good)]} trailing"#, "body", "not JSON"),
        (#"[\#(good)]"#, "body", "expected a JSON object"),
        (#""shipments""#, "body", "expected a JSON object"),
        (#"{"shipments":[\#(good)],"extra":1}"#, "extra", "unknown field"),
        (#"{"b":1,"a":2}"#, "a", "unknown field"),
        ("{}", "shipments", "required"),
        (#"{"shipments":null}"#, "shipments", "expected a list"),
        (#"{"shipments":\#(good)}"#, "shipments", "expected a list"),
        (#"{"shipments":[]}"#, "shipments", "expected at least one shipment"),
        // A shipment.
        (#"{"shipments":["O-1"]}"#, "shipments[0]", "expected an object"),
        (#"{"shipments":[\#(good),[]]}"#, "shipments[1]", "expected an object"),
        (body(#""order_id":"O-1","shipping_date":0,"trackingNumber":"T""#), "shipments[0].trackingNumber", "unknown field"),
        (body(#""shipping_date":"2026-11-20T10:00:00Z""#), "shipments[0].order_id", "one of id or order_id is required"),
        (body(#""id":null,"order_id":null,"shipping_date":0"#), "shipments[0].order_id", "one of id or order_id is required"),
        (body(#""id":"I-1","order_id":"O-1","shipping_date":0"#), "shipments[0].id", "not both"),
        (body(#""order_id":"","shipping_date":0"#), "shipments[0].order_id", "must not be empty"),
        (body(#""order_id":"   ","shipping_date":0"#), "shipments[0].order_id", "must not be empty"),
        (body(#""order_id":"\n\t\u00a0\u200b\u3000","shipping_date":0"#), "shipments[0].order_id", "must not be empty"),
        (body(#""order_id":12,"shipping_date":0"#), "shipments[0].order_id", "expected a string"),
        (body(#""id":"","shipping_date":0"#), "shipments[0].id", "must not be empty"),
        (body(#""order_id":"O-1","channel":5,"shipping_date":0"#), "shipments[0].channel", "expected a string"),
        (body(#""order_id":"O-1","package_id":"","shipping_date":0"#), "shipments[0].package_id", "must not be empty"),
        (body(#""order_id":"O-1","package_id":true,"shipping_date":0"#), "shipments[0].package_id", "expected a string"),
        (body(#""order_id":"O-1","tracking_number":"","shipping_date":0"#), "shipments[0].tracking_number", "must not be empty"),
        // The shipping date.
        (body(#""order_id":"O-1""#), "shipments[0].shipping_date", "required"),
        (body(#""order_id":"O-1","shipping_date":null"#), "shipments[0].shipping_date", "required"),
        (body(#""order_id":"O-1","shipping_date":"yesterday""#), "shipments[0].shipping_date",
         #""yesterday" is not a date-time (2026-03-01T09:00:00Z) or a date (2026-03-01)"#),
        (body(#""order_id":"O-1","shipping_date":"1744187335000""#), "shipments[0].shipping_date", "is not a date-time"),
        // What marketplaces write but RFC 3339 does not: no zone, no seconds, a space.
        (body(#""order_id":"O-1","shipping_date":"2026-11-20T10:00:00""#), "shipments[0].shipping_date", "is not a date-time"),
        (body(#""order_id":"O-1","shipping_date":"2026-11-20T10:00Z""#), "shipments[0].shipping_date", "is not a date-time"),
        (body(#""order_id":"O-1","shipping_date":"2026-11-20 10:00:00Z""#), "shipments[0].shipping_date", "is not a date-time"),
        (body(#""order_id":"O-1","shipping_date":"2026-11-20T10:00:00+0100""#), "shipments[0].shipping_date", "is not a date-time"),
        (body(#""order_id":"O-1","shipping_date":"2026-02-30""#), "shipments[0].shipping_date", "is not a date-time"),
        (body(#""order_id":"O-1","shipping_date":253402300800000"#), "shipments[0].shipping_date", "milliseconds since 1970"),
        (body(#""order_id":"O-1","shipping_date":-1"#), "shipments[0].shipping_date", "milliseconds since 1970"),
        (body(#""order_id":"O-1","shipping_date":1.5"#), "shipments[0].shipping_date", "milliseconds since 1970"),
        // Items.
        (body(#""order_id":"O-1","shipping_date":0,"items":[]"#), "shipments[0].items", "expected at least one item"),
        (body(#""order_id":"O-1","shipping_date":0,"items":{}"#), "shipments[0].items", "expected a list"),
        (body(#""order_id":"O-1","shipping_date":0,"items":[1]"#), "shipments[0].items[0]", "expected an object"),
        (#"{"shipments":[\#(good),{"order_id":"O-2","shipping_date":0,"items":[{"line_number":1,"quantity":0}]}]}"#,
         "shipments[1].items[0].quantity", "expected a whole number from 1"),
        (#"{"shipments":[\#(good),{"order_id":"O-2","shipping_date":0,"items":[{"line_number":1,"quantity":"2"}]}]}"#,
         "shipments[1].items[0].quantity", "expected a whole number from 1"),
        (#"{"shipments":[\#(good),{"order_id":"O-2","shipping_date":0,"items":[{"line_number":1,"quantity":-3}]}]}"#,
         "shipments[1].items[0].quantity", "expected a whole number from 1"),
        (#"{"shipments":[\#(good),{"order_id":"O-2","shipping_date":0,"items":[{"line_number":1,"quantity":1.5}]}]}"#,
         "shipments[1].items[0].quantity", "expected a whole number from 1"),
        (body(#""order_id":"O-1","shipping_date":0,"items":[{"line_number":1},{"quantity":1}]"#),
         "shipments[0].items[1].line_number", "one of line_number or line_id is required"),
        (body(#""order_id":"O-1","shipping_date":0,"items":[{"line_number":1,"line_id":"L-1"}]"#),
         "shipments[0].items[0].line_number", "not both"),
        (body(#""order_id":"O-1","shipping_date":0,"items":[{"line_number":0}]"#),
         "shipments[0].items[0].line_number", "expected a whole number from 1"),
        (body(#""order_id":"O-1","shipping_date":0,"items":[{"line_number":"1"}]"#),
         "shipments[0].items[0].line_number", "expected a whole number from 1"),
        (body(#""order_id":"O-1","shipping_date":0,"items":[{"line_id":""}]"#),
         "shipments[0].items[0].line_id", "must not be empty"),
        (body(#""order_id":"O-1","shipping_date":0,"items":[{"line_number":1},{"line_number":2,"sku":"X"}]"#),
         "shipments[0].items[1].sku", "unknown field"),
    ] as [(String, String, String)])
    func refuses(_ body: String, _ field: String, _ fragment: String) throws {
        let error = try #require(Self.error(body), "accepted: \(body)")
        #expect(error.field == field, "\(body)")
        #expect(error.message.contains(fragment), "\(error.message)")
        #expect(error.description == "\(field): \(error.message)")
    }

    @Test func moreThanTheMaximumNumberOfItemsIsRefused() throws {
        let items = Array(repeating: #"{"line_number":1}"#, count: ShipmentReportBody.maximumItems + 1).joined(separator: ",")
        let error = try #require(Self.error(Self.body(#""order_id":"O-1","shipping_date":0,"items":["# + items + "]")))
        #expect(error == FieldError(field: "shipments", message: "more than 10000 items in one request"))
    }

    @Test func theMaximumCountsItemsAcrossShipments() throws {
        func shipment(_ count: Int) -> String {
            #"{"order_id":"O-1","shipping_date":0,"items":["#
                + Array(repeating: #"{"line_id":"L"}"#, count: count).joined(separator: ",") + "]}"
        }
        let half = ShipmentReportBody.maximumItems / 2
        let exact = #"{"shipments":[\#(shipment(half)),\#(shipment(half))]}"#
        #expect(try Self.shipments(exact).count == ShipmentReportBody.maximumItems)
        let over = #"{"shipments":[\#(shipment(half)),\#(shipment(half + 1))]}"#
        #expect(Self.error(over)?.field == "shipments")
    }

    // MARK: - Nesting depth

    static func nestedLists(_ depth: Int) -> [UInt8] {
        Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
    }

    @Test func aBodyNestedThreeHundredLevelsIsRefused() throws {
        let error = try #require(Self.error(String(decoding: Self.nestedLists(300), as: UTF8.self)))
        #expect(error.field == "body")
        #expect(error.message.contains("not JSON"), "\(error.message)")
        #expect(error.message.contains("nested deeper than 256 levels"), "\(error.message)")
    }

    @Test func deepNestingInsideAValidBodyIsRefused() throws {
        let deep = String(decoding: Self.nestedLists(300), as: UTF8.self)
        let error = try #require(Self.error(Self.body(#""order_id":"O-1","shipping_date":0,"items":"# + deep)))
        #expect(error.field == "body")
        #expect(error.message.contains("nested deeper than 256 levels"), "\(error.message)")
    }

    @Test(arguments: [257, 300, 100_000])
    func parsingRefusesListsNestedTooDeep(_ depth: Int) {
        #expect(throws: (any Error).self) { try CanonicalJSON.parse(bytes: Self.nestedLists(depth)) }
        do {
            _ = try CanonicalJSON.parse(bytes: Self.nestedLists(depth))
        } catch {
            #expect("\(error)" == "invalid JSON at byte 256: nested deeper than 256 levels")
        }
    }

    @Test func parsingRefusesObjectsNestedTooDeep() {
        let text = String(repeating: #"{"a":"#, count: 300) + "1" + String(repeating: "}", count: 300)
        #expect(throws: (any Error).self) { try CanonicalJSON.parse(bytes: Array(text.utf8)) }
    }

    @Test(arguments: [1, 200, 256])
    func parsingAcceptsNestingUpToTheLimit(_ depth: Int) throws {
        var value = try CanonicalJSON.parse(bytes: Self.nestedLists(depth))
        var levels = 1
        while case .list(let items) = value, let inner = items.first {
            #expect(items.count == 1)
            value = inner
            levels += 1
        }
        #expect(value == .list([]))
        #expect(levels == depth)
    }

    @Test func twoHundredLevelsParseButAreNotABody() throws {
        let error = try #require(Self.error(String(decoding: Self.nestedLists(200), as: UTF8.self)))
        #expect(error == FieldError(field: "body", message: "expected a JSON object"))
    }
}
