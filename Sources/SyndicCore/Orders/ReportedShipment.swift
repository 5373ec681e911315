import Foundation

/// One shipment of an Orders API request, item by item: where it sits in the body, the
/// channel it names (if any) and the shipment request the FTP import would make of it.
public struct ReportedShipment: Hashable, Sendable {
    /// Its index in `shipments`.
    public var shipment: Int
    /// Its index in the shipment's `items`; nil when the shipment names no items (it ships
    /// everything of the order still to ship).
    public var item: Int?
    /// The channel named in the body; nil lets the order's id find it.
    public var channel: String?
    public var request: ShipmentRequest

    public init(shipment: Int, item: Int?, channel: String?, request: ShipmentRequest) {
        self.shipment = shipment
        self.item = item
        self.channel = channel
        self.request = request
    }
}
