import Foundation
import SyndicCore
import SyndicTransfer

/// Retrieval: getOrders by `LastUpdatedAfter`, following `NextToken`, with the Restricted
/// Data Token so that orders carry the buyer and the shipping address; getOrderItems per
/// order. A page refused for quota waits and resumes from its `NextToken`.
extension AmazonOrders {
    func orders(updatedSince since: Date, page: ([Result<Order, OrderReadError>]) throws -> Void) throws {
        var restricted = try restrictedToken()
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
                                    authorization: restricted.map { .restricted($0) } ?? .access)
            } catch let failure as FlowError where restricted != nil && (failure.httpStatus == 401 || failure.httpStatus == 403) {
                // The Restricted Data Token expired or was revoked (and the access token it was
                // made with, most likely, too): new ones, once.
                dropRestrictedToken()
                Self.cache.drop(cacheKey)
                restricted = try restrictedToken()
                response = try send(request, operation: "getOrders", what: "getOrders",
                                    authorization: restricted.map { .restricted($0) } ?? .access)
            }
            let value = try json(response, "getOrders")
            guard let orders = value.value(at: "payload.Orders")?.listValue else {
                throw FlowError(.remote, "getOrders at \(baseURL) answered without payload.Orders")
            }
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
