import Foundation
import SyndicCore
import SyndicStore
import SyndicTransfer

/// Mirakl's order calls (API-NOTES.md): OR11 pages by `max`/`offset` sorted by update date;
/// a shipment is OR23 (tracking) then, once it completes the order, OR24 (ship).
struct MiraklOrders: MarketplaceOrders {
    let client: MiraklClient
    /// Orders per OR11 page (Mirakl allows 100).
    var pageSize = 100
    let marketplace = "mirakl"

    /// Pages are read one ahead: the next page is fetched and read on another thread while
    /// `page` stores the current one.
    func orders(updatedSince since: Date, page: ([Result<Order, OrderReadError>]) throws -> Void) throws {
        var current = try fetch(since: since, offset: 0)
        var offset = 0
        while true {
            offset += current.orders.count
            let more = !current.orders.isEmpty && offset < current.total
            let next = more ? Prefetch { [self, offset] in try fetch(since: since, offset: offset) } : nil
            do {
                try page(current.orders)
            } catch {
                _ = try? next?.value()
                throw error
            }
            guard let next else { return }
            current = try next.value()
        }
    }

    /// One OR11 page, read.
    private func fetch(since: Date, offset: Int) throws -> (orders: [Result<Order, OrderReadError>], total: Int) {
        let url = client.url("/api/orders", query: [
            "start_update_date=\(ISODate.seconds(since))", "sort=dateUpdated", "order=asc", "paginate=true",
            "max=\(pageSize)", "offset=\(offset)",
        ])
        let value = try MiraklClient.json(try client.send(HTTPRequest(url: url), what: "OR11 orders"), "OR11")
        guard let orders = value["orders"]?.listValue else {
            throw FlowError(.remote, "OR11 orders at \(client.baseURL) answered without an orders list")
        }
        return (orders.map(MiraklOrderReader.order), value["total_count"]?.intValue ?? 0)
    }

    func confirm(_ shipment: PendingShipment) throws {
        let id = URLText.component(shipment.marketplaceOrderID)
        if let tracking = shipment.trackingNumber {
            var body: [String: Value] = ["tracking_number": .string(tracking)]
            if let carrier = shipment.carrierCode { body["carrier_code"] = .string(carrier) }
            do {
                _ = try client.send(HTTPRequest(method: "PUT", url: client.url("/api/orders/\(id)/tracking"),
                                                headers: [("Content-Type", "application/json")],
                                                body: Data(CanonicalJSON.string(.object(body)).utf8)),
                                    what: "OR23 tracking of order \(shipment.marketplaceOrderID)", retryUnsafe: true)
            } catch let failure as FlowError where failure.isRejection {
                // Another package of the order completed it first (its OR24 shipped the whole
                // order) or it was shipped on Mirakl: a shipped order takes no tracking.
                if try alreadyShipped(shipment.marketplaceOrderID) { return }
                throw failure
            }
        }
        guard shipment.completesOrder else { return }
        do {
            _ = try client.send(HTTPRequest(method: "PUT", url: client.url("/api/orders/\(id)/ship")),
                                what: "OR24 ship of order \(shipment.marketplaceOrderID)", retryUnsafe: true)
        } catch let failure as FlowError where failure.isRejection {
            // A confirmation sent before and answered too late: the order is shipped already.
            if try alreadyShipped(shipment.marketplaceOrderID) { return }
            throw failure
        }
    }

    /// Whether Mirakl has the order in a shipped state (OR11 by id).
    private func alreadyShipped(_ orderID: String) throws -> Bool {
        let url = client.url("/api/orders", query: ["order_ids=\(URLText.component(orderID))"])
        let value = try MiraklClient.json(try client.send(HTTPRequest(url: url), what: "OR11 order \(orderID)"), "OR11")
        let state = value["orders"]?.listValue?.first?["order_state"]?.stringValue ?? ""
        return ["SHIPPED", "TO_COLLECT", "RECEIVED", "CLOSED"].contains(state)
    }


}
