import Foundation

/// The body of `POST /api/v1/shipments`, read strictly: the same data as a row of the
/// shipment confirmation template (`ShipmentTemplate`), as JSON.
///
/// ```json
/// {"shipments": [{"order_id": "FR1001-A", "channel": "mirakl-fr", "package_id": "1",
///   "tracking_number": "1Z999", "carrier_code": "UPS", "shipping_date": "2026-11-20T10:00:00Z",
///   "items": [{"line_number": 1, "quantity": 2}]}]}
/// ```
/// A shipment names its order by `id` (syndic's) or `order_id` (the marketplace's); an item
/// by `line_number` or `line_id`; `shipping_date` is an RFC 3339 date-time, a date alone or
/// milliseconds since 1970 (up to the end of year 9999); `package_id` defaults to `1`; an
/// item without `quantity` ships all of it still to ship; a shipment without `items` ships
/// the whole order. Text fields are trimmed of `blank` characters and must keep one; an
/// optional field may be null, as if left out. Unknown fields are errors. The Orders API's
/// OpenAPI document states the same rules.
public enum ShipmentReportBody {
    /// The most items one request may carry.
    public static let maximumItems = 10_000
    /// The latest `shipping_date` in milliseconds: 9999-12-31T23:59:59.999Z.
    public static let maximumMilliseconds = 253_402_300_799_999
    /// What text fields are trimmed of, and a text of nothing else is empty: tabs, line
    /// breaks and Unicode spaces, written out so that the OpenAPI document's pattern can list
    /// exactly the same characters.
    public static let blank = CharacterSet(charactersIn: "\t\n\u{0B}\u{0C}\r \u{85}\u{A0}\u{1680}"
        + "\u{2000}\u{2001}\u{2002}\u{2003}\u{2004}\u{2005}\u{2006}\u{2007}\u{2008}\u{2009}\u{200A}\u{200B}"
        + "\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}")

    /// Why a body cannot be read, and the field at fault (`shipments[0].items[1].quantity`).
    public struct FieldError: Error, Hashable, Sendable, CustomStringConvertible {
        public var field: String
        public var message: String

        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }

        public var description: String { "\(field): \(message)" }
    }

    static let shipmentKeys: Set<String> = ["id", "order_id", "channel", "package_id", "tracking_number", "carrier_code",
                                            "shipping_date", "items"]
    static let itemKeys: Set<String> = ["line_number", "line_id", "quantity"]

    /// The shipments of `body`, item by item, or the first field at fault.
    public static func decode(_ body: [UInt8]) -> Result<[ReportedShipment], FieldError> {
        do {
            return .success(try read(body))
        } catch let error as FieldError {
            return .failure(error)
        } catch {
            return .failure(FieldError(field: "body", message: "\(error)"))
        }
    }

    private static func read(_ body: [UInt8]) throws -> [ReportedShipment] {
        let document: Value
        do {
            document = try CanonicalJSON.parse(bytes: body)
        } catch {
            throw FieldError(field: "body", message: "not JSON (\(error))")
        }
        guard let root = document.objectValue else { throw FieldError(field: "body", message: "expected a JSON object") }
        if let unknown = root.keys.filter({ $0 != "shipments" }).sorted().first {
            throw FieldError(field: unknown, message: "unknown field; the body holds \"shipments\"")
        }
        guard let value = root["shipments"] else { throw FieldError(field: "shipments", message: "required") }
        guard let shipments = value.listValue else { throw FieldError(field: "shipments", message: "expected a list") }
        guard !shipments.isEmpty else { throw FieldError(field: "shipments", message: "expected at least one shipment") }
        var reported: [ReportedShipment] = []
        for (index, shipment) in shipments.enumerated() {
            reported += try read(shipment, index: index)
            guard reported.count <= maximumItems else {
                throw FieldError(field: "shipments", message: "more than \(maximumItems) items in one request")
            }
        }
        return reported
    }

    private static func read(_ value: Value, index: Int) throws -> [ReportedShipment] {
        let path = "shipments[\(index)]"
        guard let fields = value.objectValue else { throw FieldError(field: path, message: "expected an object") }
        if let unknown = fields.keys.filter({ !shipmentKeys.contains($0) }).sorted().first {
            throw FieldError(field: "\(path).\(unknown)", message: "unknown field; expected \(shipmentKeys.sorted().joined(separator: ", "))")
        }
        let internalID = try text(fields, "id", path)
        let marketplaceID = try text(fields, "order_id", path)
        let order: ShipmentRequest.OrderReference
        switch (internalID, marketplaceID) {
        case (let id?, nil): order = .internalID(id)
        case (nil, let id?): order = .marketplaceID(id)
        case (nil, nil): throw FieldError(field: "\(path).order_id", message: "one of id or order_id is required")
        case (_?, _?): throw FieldError(field: "\(path).id", message: "give id or order_id, not both")
        }
        let channel = try text(fields, "channel", path)
        let packageID = try package(fields["package_id"], "\(path).package_id") ?? "1"
        let tracking = try text(fields, "tracking_number", path)
        let carrier = try text(fields, "carrier_code", path)
        guard let dateValue = fields["shipping_date"], dateValue != .null else {
            throw FieldError(field: "\(path).shipping_date", message: "required: ISO 8601 or milliseconds since 1970")
        }
        let shippingDate = try date(dateValue, "\(path).shipping_date")
        func request(_ item: ShipmentRequest.ItemReference?, _ quantity: Int?) -> ShipmentRequest {
            ShipmentRequest(order: order, packageID: packageID, trackingNumber: tracking, carrierCode: carrier,
                            shippingDate: shippingDate, item: item, quantity: quantity)
        }
        guard let itemsValue = fields["items"], itemsValue != .null else {
            return [ReportedShipment(shipment: index, item: nil, channel: channel, request: request(nil, nil))]
        }
        guard let items = itemsValue.listValue else { throw FieldError(field: "\(path).items", message: "expected a list") }
        guard !items.isEmpty else {
            throw FieldError(field: "\(path).items", message: "expected at least one item (leave items out to ship the whole order)")
        }
        return try items.enumerated().map { itemIndex, itemValue in
            let itemPath = "\(path).items[\(itemIndex)]"
            guard let item = itemValue.objectValue else { throw FieldError(field: itemPath, message: "expected an object") }
            if let unknown = item.keys.filter({ !itemKeys.contains($0) }).sorted().first {
                throw FieldError(field: "\(itemPath).\(unknown)", message: "unknown field; expected line_number, line_id, quantity")
            }
            let number = try positive(item["line_number"], "\(itemPath).line_number")
            let lineID = try text(item, "line_id", itemPath)
            let quantity = try positive(item["quantity"], "\(itemPath).quantity")
            let reference: ShipmentRequest.ItemReference
            switch (number, lineID) {
            case (let number?, nil): reference = .lineNumber(number)
            case (nil, let id?): reference = .marketplaceLineID(id)
            case (nil, nil): throw FieldError(field: "\(itemPath).line_number", message: "one of line_number or line_id is required")
            case (_?, _?): throw FieldError(field: "\(itemPath).line_number", message: "give line_number or line_id, not both")
            }
            return ReportedShipment(shipment: index, item: itemIndex, channel: channel, request: request(reference, quantity))
        }
    }

    // MARK: - Fields

    /// A non-empty string field (absent or null: nil).
    private static func text(_ fields: [String: Value], _ key: String, _ path: String) throws -> String? {
        guard let value = fields[key], value != .null else { return nil }
        guard let text = value.stringValue else { throw FieldError(field: "\(path).\(key)", message: "expected a string") }
        let trimmed = text.trimmingCharacters(in: blank)
        guard !trimmed.isEmpty else { throw FieldError(field: "\(path).\(key)", message: "must not be empty") }
        return trimmed
    }

    /// A package id: a string, or a whole number as ERPs often send it.
    private static func package(_ value: Value?, _ field: String) throws -> String? {
        switch value {
        case nil, .null?: return nil
        case .int(let number)?: return String(number)
        case .string(let text)?:
            let trimmed = text.trimmingCharacters(in: blank)
            guard !trimmed.isEmpty else { throw FieldError(field: field, message: "must not be empty") }
            return trimmed
        default: throw FieldError(field: field, message: "expected a string")
        }
    }

    /// A whole number from 1 (absent or null: nil).
    private static func positive(_ value: Value?, _ field: String) throws -> Int? {
        guard let value, value != .null else { return nil }
        guard let number = value.intValue, number >= 1 else {
            throw FieldError(field: field, message: "expected a whole number from 1")
        }
        return number
    }

    /// An RFC 3339 date-time, a date alone (midnight UTC), or milliseconds since 1970.
    private static func date(_ value: Value, _ field: String) throws -> Date {
        switch value {
        case .string(let text):
            guard let date = ISODate.parseStrict(text) else {
                throw FieldError(field: field, message: "\"\(text)\" is not a date-time (2026-03-01T09:00:00Z) or a date (2026-03-01)")
            }
            return date
        case .int(let millis) where (0...maximumMilliseconds).contains(millis):
            return Date(timeIntervalSince1970: Double(millis) / 1000)
        default:
            throw FieldError(field: field, message: "expected a date-time, a date or milliseconds since 1970 up to \(maximumMilliseconds)")
        }
    }
}
