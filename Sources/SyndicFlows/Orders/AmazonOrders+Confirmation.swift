import Foundation
import SyndicCore
import SyndicTransfer

/// confirmShipment as the orders model requires it: a positive numeric
/// `packageReferenceId`, `carrierCode` (`Other` with `carrierName` for a carrier Amazon does
/// not know), `trackingNumber`, `shipDate`, `orderItems`. Sending a package again is safe:
/// Amazon takes the same `packageReferenceId` as an edit of that package (an earlier
/// attempt that got through but whose answer was lost). An order Amazon says is fulfilled
/// already takes no new package: the shipment counts as confirmed.
extension AmazonOrders {
    func confirm(_ shipment: PendingShipment) throws {
        var package: [String: Value] = [
            "packageReferenceId": .string(shipment.packageID),
            "shipDate": .string(ISODate.milliseconds(shipment.shippingDate)),
            "orderItems": .list(shipment.items.map { .object(["orderItemId": .string($0.lineID), "quantity": .int($0.quantity)]) }),
        ]
        switch CarrierChoice.resolve(shipment.carrierCode, mappings: carriers, known: AmazonCarriers.codes) {
        case .known(let code)?: package["carrierCode"] = .string(code)
        case .named(let name, _)?:
            package["carrierCode"] = .string("Other")
            package["carrierName"] = .string(name)
        case nil: break
        }
        if let tracking = shipment.trackingNumber { package["trackingNumber"] = .string(tracking) }
        let body = Value.object(["marketplaceId": .string(marketplaceID), "packageDetail": .object(package)])
        let request = HTTPRequest(method: "POST",
                                  url: baseURL + "/orders/v0/orders/\(URLText.component(shipment.marketplaceOrderID))/shipmentConfirmation",
                                  headers: [("Content-Type", "application/json")], body: Data(CanonicalJSON.string(body).utf8))
        do {
            _ = try send(request, operation: "confirmShipment", what: "confirmShipment of order \(shipment.marketplaceOrderID)")
        } catch let failure as FlowError where failure.isRejection && Self.saysAlreadyConfirmed(failure.remoteMessage ?? "") {
            return
        }
    }

    /// Amazon has the shipment when every item of it is shipped at least that much
    /// (getOrderItems). Sending it again would be safe as well: the same
    /// `packageReferenceId` edits the package.
    func hasConfirmed(_ shipment: PendingShipment) throws -> Bool {
        let shipped = Dictionary(try items(of: shipment.marketplaceOrderID).compactMap { item -> (String, Int)? in
            guard let id = item["OrderItemId"]?.stringValue else { return nil }
            return (id, item["QuantityShipped"]?.intValue ?? 0)
        }, uniquingKeysWith: { first, _ in first })
        return !shipment.items.isEmpty && shipment.items.allSatisfy { (shipped[$0.lineID] ?? 0) >= $0.quantity }
    }

    /// Whether Amazon's own error text says the order or the package was confirmed before
    /// ("Failed to create package due to not finding a matching package or order already
    /// fulfilled.", "… already confirmed", "… already shipped").
    static func saysAlreadyConfirmed(_ errors: String) -> Bool {
        let text = errors.lowercased()
        return ["already fulfilled", "already confirmed", "already shipped"].contains { text.contains($0) }
    }
}
