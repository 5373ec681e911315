import Foundation
import SyndicCore
import SyndicTransfer

/// Retrieval: getOrders by `LastUpdatedAfter`, following `NextToken`, with the Restricted
/// Data Token so that orders carry the buyer and the shipping address; getOrderItems per
/// order. A page refused for quota waits and resumes from its `NextToken`.
///
/// The two operations have usage plans of their own, refilling side by side, so a retrieval
/// can take no less than the longer of the two operations' least times. To get there, pages
/// are read on a thread of their own, paced by getOrders' plan, up to `lookaheadPages` ahead
/// of the page whose items are being fetched (paced by getOrderItems' plan): neither waits
/// for the other's quota. Pages are handed on in the order Amazon gave them, each once; a
/// failure to read a page comes after the pages before it.
extension AmazonOrders {
    func orders(updatedSince since: Date, page: ([Result<Order, OrderReadError>]) throws -> Void) throws {
        // Asked for here, before pages are read, so that a refusal is noted once.
        let restricted = try restrictedToken()
        let pages = ReadAhead<[Value]>(capacity: lookaheadPages, name: "amazon-getOrders") { [self] deliver, stop in
            try readPages(updatedSince: since, restricted: restricted, stop: stop, deliver: deliver)
        }
        defer { pages.close() }
        while let orders = try pages.next() {
            var results: [Result<Order, OrderReadError>] = []
            for order in orders {
                try cancellation.check()
                guard let id = order["AmazonOrderId"]?.stringValue else {
                    results.append(.failure(OrderReadError(orderID: nil, message: "an order without AmazonOrderId")))
                    continue
                }
                do {
                    results.append(AmazonOrderReader.order(order, items: try items(of: id)))
                } catch let failure as FlowError where failure.isRejection {
                    results.append(.failure(OrderReadError(orderID: id, message: failure.message)))
                }
            }
            try page(results)
        }
    }

    /// getOrders, every page in turn, each handed to `deliver` (its `payload.Orders`) until
    /// it answers false (nobody reads on). Quota waits end early once `stop` is raised.
    private func readPages(updatedSince since: Date, restricted first: String?, stop: CancellationFlag,
                           deliver: ([Value]) -> Bool) throws {
        var restricted = first
        var next: String?
        repeat {
            var query = ["MarketplaceIds=\(URLText.component(marketplaceID))"]
            if let next {
                query.append("NextToken=\(URLText.component(next))")
            } else {
                query += ["LastUpdatedAfter=\(URLText.component(ISODate.seconds(since)))", "MaxResultsPerPage=\(pageSize)"]
            }
            let request = HTTPRequest(url: baseURL + "/orders/v0/orders?" + query.joined(separator: "&"))
            let response: HTTPResponse
            do {
                response = try send(request, operation: "getOrders", what: "getOrders",
                                    authorization: restricted.map { .restricted($0) } ?? .access, stop: stop)
            } catch let failure as FlowError where restricted != nil && (failure.httpStatus == 401 || failure.httpStatus == 403) {
                // The Restricted Data Token expired or was revoked (and the access token it was
                // made with, most likely, too): new ones, once.
                dropRestrictedToken()
                Self.cache.drop(cacheKey)
                restricted = try restrictedToken()
                response = try send(request, operation: "getOrders", what: "getOrders",
                                    authorization: restricted.map { .restricted($0) } ?? .access, stop: stop)
            }
            let value = try json(response, "getOrders")
            guard let orders = value.value(at: "payload.Orders")?.listValue else {
                throw FlowError(.remote, "getOrders at \(baseURL) answered without payload.Orders")
            }
            guard deliver(orders) else { return }
            next = value.value(at: "payload.NextToken")?.stringValue
        } while next != nil
    }

    /// getOrderItems, every page.
    func items(of orderID: String) throws -> [Value] {
        var items: [Value] = []
        var next: String?
        repeat {
            var url = baseURL + "/orders/v0/orders/\(URLText.component(orderID))/orderItems"
            if let next { url += "?NextToken=\(URLText.component(next))" }
            let value = try json(try send(HTTPRequest(url: url), operation: "getOrderItems", what: "getOrderItems of \(orderID)"),
                                 "getOrderItems")
            items += value.value(at: "payload.OrderItems")?.listValue ?? []
            next = value.value(at: "payload.NextToken")?.stringValue
        } while next != nil
        return items
    }
}
