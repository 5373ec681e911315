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

    /// The template's columns by their place in `columns`.
    enum Column: Int {
        case id, originalID, packageID, trackingNumber, shippingDate, carrierCode, itemID, itemOriginalID
        case itemQuantityShipped
    }

    /// A file's header, checked: the position of each known column. Unknown columns are
    /// ignored; a header naming neither `id` nor `original_id` cannot be imported.
    public struct Header: Sendable {
        /// Per column of the template (by its place in `columns`), its position in the file's rows.
        let positions: [Int?]

        /// The header `fields`, or why the file cannot be imported at all.
        public static func read(_ fields: [String]) -> Result<Header, RowRejection> {
            var positions = [Int?](repeating: nil, count: columns.count)
            for (position, field) in fields.enumerated() {
                let name = ShipmentTemplate.trimmed(field).lowercased()
                if let column = columns.firstIndex(of: name), positions[column] == nil { positions[column] = position }
            }
            let header = Header(positions: positions)
            guard header.position(.id) != nil || header.position(.originalID) != nil else {
                return .failure(RowRejection(line: 1, reason: "the header names neither id nor original_id; expected the columns "
                                                + columns.joined(separator: ",")))
            }
            guard header.position(.shippingDate) != nil else {
                return .failure(RowRejection(line: 1, reason: "the header has no shipping_date column"))
            }
            return .success(header)
        }

        /// Where `column` is in the file's rows, if the header names it.
        func position(_ column: Column) -> Int? {
            positions[column.rawValue]
        }

        /// The text of `column` in a row's `fields`, without the blanks around it; nil when
        /// the header does not name the column or the cell is blank.
        func field(_ column: Column, _ fields: [String]) -> String? {
            guard let index = position(column), index < fields.count else { return nil }
            let text = ShipmentTemplate.trimmed(fields[index])
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
        if let id = header.field(.id, fields) {
            order = .internalID(id)
        } else if let original = header.field(.originalID, fields) {
            order = .marketplaceID(original)
        } else {
            return reject("one of id or original_id is required")
        }
        guard let dateText = header.field(.shippingDate, fields) else {
            return reject("shipping_date is required: a timestamp in milliseconds (13 digits)")
        }
        // 13 bytes that are all digits are 13 characters: no need to count characters.
        guard dateText.utf8.count == 13, dateText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let millis = Int64(dateText) else {
            return reject("shipping_date \"\(dateText)\" is not a timestamp in milliseconds (13 digits)")
        }
        var quantity: Int?
        if let text = header.field(.itemQuantityShipped, fields) {
            guard let value = Int(text), value >= 1 else {
                return reject("item_quantity_shipped \"\(text)\" is not a whole number from 1")
            }
            quantity = value
        }
        var item: ShipmentRequest.ItemReference?
        if let text = header.field(.itemID, fields) {
            guard let number = lineNumber(text) else {
                return reject("item_id \"\(text)\" is not an item id (the line_number of the order export)")
            }
            item = .lineNumber(number)
        } else if let original = header.field(.itemOriginalID, fields) {
            item = .marketplaceLineID(original)
        }
        if quantity != nil && item == nil {
            return reject("one of item_id or item_original_id is required when item_quantity_shipped is given")
        }
        return .success(ShipmentRequest(
            order: order, packageID: header.field(.packageID, fields) ?? "1",
            trackingNumber: header.field(.trackingNumber, fields), carrierCode: header.field(.carrierCode, fields),
            shippingDate: Date(timeIntervalSince1970: Double(millis) / 1000), item: item, quantity: quantity))
    }

    /// A line number written as `2` or `2.0` (spreadsheets write whole numbers so).
    static func lineNumber(_ text: String) -> Int? {
        if let value = Int(text), value >= 1 { return value }
        if let value = Double(text), value >= 1, value == value.rounded(), value < 1e9 { return Int(value) }
        return nil
    }
}
