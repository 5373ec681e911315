import Foundation
import SyndicCore
import SyndicTransfer

/// Mirakl's order calls: OR11 pages by `max`/`offset` in creation order (an order updated
/// while the pages are read keeps its place, so none is pushed out of them); OR21 accepts
/// orders waiting for acceptance when the channel says so; a shipment is OR23 (tracking,
/// with the carrier's code when the marketplace knows it, else its name) then, once it
/// completes the order, OR24 (ship).
final class MiraklOrders: MarketplaceOrders, @unchecked Sendable {
    let client: MiraklClient
    /// Orders per OR11 page (Mirakl allows 100).
    var pageSize = 100
    let marketplace = "mirakl"
    /// Accept (OR21, every line) the orders waiting for acceptance.
    let accept: Bool
    /// The channel's carrier mappings (the ERP's codes to the marketplace's).
    let carriers: [String: CarrierMapping]

    private let lock = NSLock()
    private var knownCarriers: [String]?
    private var notices: [MarketplaceNotice] = []
    private var acceptedCount = 0

    init(client: MiraklClient, accept: Bool = false, carriers: [String: CarrierMapping] = [:]) {
        self.client = client
        self.accept = accept
        self.carriers = carriers
    }

    var warnings: [MarketplaceNotice] { lock.withLock { notices } }
    /// Orders accepted with OR21 so far.
    var accepted: Int { lock.withLock { acceptedCount } }

    // MARK: - OR11

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
                try page(try accepting(current.orders))
            } catch {
                _ = try? next?.value()
                throw error
            }
            guard let next else { return }
            current = try next.value()
        }
    }

    /// One OR11 page, read: orders updated since `since`, oldest created first.
    private func fetch(since: Date, offset: Int) throws -> (orders: [Result<Order, OrderReadError>], total: Int) {
        let url = client.url("/api/orders", query: [
            "start_update_date=\(ISODate.seconds(since))", "sort=dateCreated", "order=asc", "paginate=true",
            "max=\(pageSize)", "offset=\(offset)",
        ])
        let value = try MiraklClient.json(try client.send(HTTPRequest(url: url), what: "OR11 orders"), "OR11")
        guard let orders = value["orders"]?.listValue else {
            throw FlowError(.remote, "OR11 orders at \(client.baseURL) answered without an orders list")
        }
        return (orders.map(MiraklOrderReader.order), value["total_count"]?.intValue ?? 0)
    }

    // MARK: - OR21

    /// `orders` with those waiting for acceptance accepted (OR21, every line) and read again,
    /// when the channel accepts orders. An order Mirakl refuses to accept stays as it was.
    private func accepting(_ orders: [Result<Order, OrderReadError>]) throws -> [Result<Order, OrderReadError>] {
        guard accept else { return orders }
        var acceptedIDs: [String] = []
        for case .success(let order) in orders where order.rawStatus == "WAITING_ACCEPTANCE" {
            let body = Value.object(["order_lines": .list(order.lines.map {
                .object(["id": .string($0.lineID), "accepted": .bool(true)])
            })])
            do {
                _ = try client.send(HTTPRequest(method: "PUT", url: client.url("/api/orders/\(URLText.component(order.marketplaceID))/accept"),
                                                headers: [("Content-Type", "application/json")],
                                                body: Data(CanonicalJSON.string(body).utf8)),
                                    what: "OR21 accept of order \(order.marketplaceID)", retryUnsafe: true)
                acceptedIDs.append(order.marketplaceID)
            } catch let failure as FlowError where failure.isRejection {
                lock.withLock { notices.append(.acceptRefused("order \(order.marketplaceID) was not accepted: \(failure.message)")) }
            }
        }
        guard !acceptedIDs.isEmpty else { return orders }
        lock.withLock { acceptedCount += acceptedIDs.count }
        let url = client.url("/api/orders", query: ["order_ids=\(acceptedIDs.map(URLText.component).joined(separator: ","))",
                                                     "max=\(pageSize)"])
        let value = try MiraklClient.json(try client.send(HTTPRequest(url: url), what: "OR11 accepted orders"), "OR11")
        var fresh: [String: Result<Order, OrderReadError>] = [:]
        for order in (value["orders"]?.listValue ?? []).map(MiraklOrderReader.order) {
            if case .success(let read) = order { fresh[read.marketplaceID] = order }
        }
        return orders.map { result in
            guard case .success(let order) = result, let again = fresh[order.marketplaceID] else { return result }
            return again
        }
    }

    // MARK: - OR23, OR24

    func confirm(_ shipment: PendingShipment) throws {
        let id = URLText.component(shipment.marketplaceOrderID)
        if let tracking = shipment.trackingNumber {
            var body: [String: Value] = ["tracking_number": .string(tracking)]
            switch CarrierChoice.resolve(shipment.carrierCode, mappings: carriers, known: try carrierCodes()) {
            case .known(let code)?: body["carrier_code"] = .string(code)
            case .named(let name, let url)?:
                body["carrier_name"] = .string(name)
                if let url { body["carrier_url"] = .string(url) }
            case nil: break
            }
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

    /// The carrier codes the marketplace knows (SH21), read once per run. A marketplace that
    /// does not list them (SH21 refused) knows none: carriers then go by name unless mapped.
    private func carrierCodes() throws -> [String] {
        if let known = lock.withLock({ knownCarriers }) { return known }
        var codes: [String] = []
        do {
            let value = try MiraklClient.json(try client.send(HTTPRequest(url: client.url("/api/shipping/carriers")),
                                                              what: "SH21 carriers"), "SH21")
            codes = (value["carriers"]?.listValue ?? []).compactMap { $0["code"]?.stringValue }
        } catch let failure as FlowError where failure.isRejection {
            codes = []
        }
        lock.withLock { knownCarriers = codes }
        return codes
    }

    /// Mirakl has the shipment when the order is shipped, or — for a shipment that does not
    /// complete the order — when the order carries its tracking number already (OR11 by id).
    func hasConfirmed(_ shipment: PendingShipment) throws -> Bool {
        let url = client.url("/api/orders", query: ["order_ids=\(URLText.component(shipment.marketplaceOrderID))"])
        let value = try MiraklClient.json(try client.send(HTTPRequest(url: url), what: "OR11 order \(shipment.marketplaceOrderID)"),
                                          "OR11")
        guard let order = value["orders"]?.listValue?.first else { return false }
        if ["SHIPPED", "TO_COLLECT", "RECEIVED", "CLOSED"].contains(order["order_state"]?.stringValue ?? "") { return true }
        guard !shipment.completesOrder, let tracking = shipment.trackingNumber else { return false }
        return order["shipping_tracking"]?.stringValue == tracking
    }

    /// Whether Mirakl has the order in a shipped state (OR11 by id).
    private func alreadyShipped(_ orderID: String) throws -> Bool {
        let url = client.url("/api/orders", query: ["order_ids=\(URLText.component(orderID))"])
        let value = try MiraklClient.json(try client.send(HTTPRequest(url: url), what: "OR11 order \(orderID)"), "OR11")
        let state = value["orders"]?.listValue?.first?["order_state"]?.stringValue ?? ""
        return ["SHIPPED", "TO_COLLECT", "RECEIVED", "CLOSED"].contains(state)
    }
}
