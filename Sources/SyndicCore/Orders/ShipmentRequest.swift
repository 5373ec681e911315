import Foundation

/// One shipment an ERP reports (a row of the shipment confirmation template, or an item of the
/// Orders API): which order, which package, how it travels, and which item in what quantity.
public struct ShipmentRequest: Hashable, Sendable {
    /// How an order is named: syndic's internal id or the marketplace's order id.
    public enum OrderReference: Hashable, Sendable {
        case internalID(String)
        case marketplaceID(String)
    }

    /// How an item is named: its line number in the order (what the export writes as
    /// `line_number`, the template's `item_id`) or the marketplace's line id.
    public enum ItemReference: Hashable, Sendable {
        case lineNumber(Int)
        case marketplaceLineID(String)
    }

    public var order: OrderReference
    public var packageID: String
    public var trackingNumber: String?
    public var carrierCode: String?
    public var shippingDate: Date
    /// The item shipped; nil ships everything of the order still to ship.
    public var item: ItemReference?
    /// How many of the item; nil ships all of it that is still to ship.
    public var quantity: Int?

    public init(order: OrderReference, packageID: String, trackingNumber: String?, carrierCode: String?,
                shippingDate: Date, item: ItemReference?, quantity: Int?) {
        self.order = order
        self.packageID = packageID
        self.trackingNumber = trackingNumber
        self.carrierCode = carrierCode
        self.shippingDate = shippingDate
        self.item = item
        self.quantity = quantity
    }

    /// What makes two reports the same shipment: importing the same row twice ships
    /// nothing twice.
    public var identity: String {
        let order = switch self.order {
        case .internalID(let id): "i:" + id
        case .marketplaceID(let id): "m:" + id
        }
        let item = switch self.item {
        case .lineNumber(let number): "n:\(number)"
        case .marketplaceLineID(let id): "l:" + id
        case nil: "*"
        }
        let millis = Int64((shippingDate.timeIntervalSince1970 * 1000).rounded())
        return [order, packageID, trackingNumber ?? "", carrierCode ?? "", String(millis), item,
                quantity.map(String.init) ?? "*"].map(Self.escaped).joined(separator: "|")
    }

    /// A field of the identity with `\` and `|` escaped by a backslash, so that no field
    /// can end in, or start with, something that reads as a separator.
    private static func escaped(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "|") }) else { return field }
        return field.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
    }
}
