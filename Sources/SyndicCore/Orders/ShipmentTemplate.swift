import Foundation

/// The shipment confirmation template: its columns and the rules of a row.
///
/// - one of `id` (syndic's internal order id) or `original_id` (the marketplace's) is required;
/// - `shipping_date` is a timestamp in milliseconds, 13 digits;
/// - when `item_quantity_shipped` is given (a whole number from 1), one of `item_id` (the line
///   number, as the export writes `line_number`) or `item_original_id` (the marketplace's
///   line id) is required; an item without a quantity ships all of it still to ship; a row
///   without an item ships the whole order;
/// - `package_id` defaults to `1` (most orders travel in one package).
public enum ShipmentTemplate {
    /// The template's columns, in the order it lists them (a file's header may order them as it likes).
    public static let columns = [
        "id", "original_id", "package_id", "tracking_number", "shipping_date", "carrier_code", "item_id",
        "item_original_id", "item_quantity_shipped",
    ]

    /// A file's header, checked: the index of each known column. Unknown columns are
    /// ignored; a header naming neither `id` nor `original_id` cannot be imported.
    public struct Header: Sendable {
        let index: [String: Int]

        /// The header `fields`, or why the file cannot be imported at all.
        public static func read(_ fields: [String]) -> Result<Header, RowRejection> {
            var index: [String: Int] = [:]
            for (position, field) in fields.enumerated() {
                let name = field.trimmingCharacters(in: .whitespaces).lowercased()
                if columns.contains(name), index[name] == nil { index[name] = position }
            }
            guard index["id"] != nil || index["original_id"] != nil else {
                return .failure(RowRejection(line: 1, reason: "the header names neither id nor original_id; expected the columns "
                                                + columns.joined(separator: ",")))
            }
            guard index["shipping_date"] != nil else {
                return .failure(RowRejection(line: 1, reason: "the header has no shipping_date column"))
            }
            return .success(Header(index: index))
        }

        func field(_ name: String, _ fields: [String]) -> String? {
            guard let position = index[name], position < fields.count else { return nil }
            let text = fields[position].trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : text
        }
    }

    /// A row that breaks a rule: its line and why.
    public struct RowRejection: Error, Hashable, Sendable {
        public var line: Int
        public var reason: String

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    /// The shipment a data row (`line`, its `fields`) reports, or why it is rejected.
    public static func request(_ fields: [String], line: Int, header: Header) -> Result<ShipmentRequest, RowRejection> {
        func reject(_ reason: String) -> Result<ShipmentRequest, RowRejection> { .failure(RowRejection(line: line, reason: reason)) }
        let order: ShipmentRequest.OrderReference
        if let id = header.field("id", fields) {
            order = .internalID(id)
        } else if let original = header.field("original_id", fields) {
            order = .marketplaceID(original)
        } else {
            return reject("one of id or original_id is required")
        }
        guard let dateText = header.field("shipping_date", fields) else {
            return reject("shipping_date is required: a timestamp in milliseconds (13 digits)")
        }
        guard dateText.count == 13, dateText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let millis = Int64(dateText) else {
            return reject("shipping_date \"\(dateText)\" is not a timestamp in milliseconds (13 digits)")
        }
        var quantity: Int?
        if let text = header.field("item_quantity_shipped", fields) {
            guard let value = Int(text), value >= 1 else {
                return reject("item_quantity_shipped \"\(text)\" is not a whole number from 1")
            }
            quantity = value
        }
        var item: ShipmentRequest.ItemReference?
        if let text = header.field("item_id", fields) {
            guard let number = lineNumber(text) else {
                return reject("item_id \"\(text)\" is not an item id (the line_number of the order export)")
            }
            item = .lineNumber(number)
        } else if let original = header.field("item_original_id", fields) {
            item = .marketplaceLineID(original)
        }
        if quantity != nil && item == nil {
            return reject("one of item_id or item_original_id is required when item_quantity_shipped is given")
        }
        return .success(ShipmentRequest(
            order: order, packageID: header.field("package_id", fields) ?? "1",
            trackingNumber: header.field("tracking_number", fields), carrierCode: header.field("carrier_code", fields),
            shippingDate: Date(timeIntervalSince1970: Double(millis) / 1000), item: item, quantity: quantity))
    }

    /// A line number written as `2` or `2.0` (spreadsheets write whole numbers so).
    static func lineNumber(_ text: String) -> Int? {
        if let value = Int(text), value >= 1 { return value }
        if let value = Double(text), value >= 1, value == value.rounded(), value < 1e9 { return Int(value) }
        return nil
    }
}
