import SyndicCore

/// The body of `POST /api/v1/shipments` as the Orders API reads it: an input is the body's
/// bytes, decoded strictly; each shipment then gets what the store computes of it (its
/// identity, Amazon's package rules) and the date forms the confirmation push and the
/// order documents write.
///
/// Properties checked: items are numbered in order within their shipment; a shipment's
/// identity is the same when computed twice and differs between items of one shipment.
enum ShipmentBodyFuzzer {
    static func run(_ input: UnsafeRawBufferPointer) {
        guard case .success(let shipments) = ShipmentReportBody.decode(Array(input)) else { return }
        require(!shipments.isEmpty && shipments.count <= ShipmentReportBody.maximumItems, "\(shipments.count) shipments decoded")
        var json = JSONWriter()
        for (position, shipment) in shipments.enumerated() {
            let request = shipment.request
            let identity = request.identity
            require(identity == request.identity, "a shipment's identity changes")
            _ = AmazonShipmentRules.problem(request)
            _ = ISODate.milliseconds(request.shippingDate)
            _ = ISODate.seconds(request.shippingDate)
            json.date(request.shippingDate)
            if position > 0, shipments[position - 1].shipment == shipment.shipment, let item = shipment.item {
                require(shipments[position - 1].item == item - 1, "items of shipment \(shipment.shipment) out of order")
                require(shipments[position - 1].request.identity != identity || shipments[position - 1].request == request,
                        "two different items of shipment \(shipment.shipment) share an identity")
            }
        }
    }
}
