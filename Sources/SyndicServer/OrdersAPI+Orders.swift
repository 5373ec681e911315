import Foundation
import Hummingbird
import SyndicCore

extension OrdersAPI {
    /// `GET /api/v1/orders`: a page of orders with their lines, oldest change first, and the
    /// link to the next page.
    @Sendable func listOrders(_ request: Request, context: APIRequestContext) async throws -> Response {
        let pairs = request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }
        let query = try OrderListQuery.parse(pairs, options: options)
        let store = self.store
        let (body, next) = try await Blocking.run { try Self.orderListBody(store: store, query: query, pairs: pairs) }
        var response = Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
        if let next { response.headers[named: "Link"] = "<\(next)>; rel=\"next\"" }
        return response
    }

    /// The JSON body of an orders page (`orders`, `cursor`, `next`) and its link to the
    /// next page, if any: written whole on the store's thread, from the statement's columns
    /// into one buffer copied once into the response's.
    static func orderListBody(store: any APIStore, query: OrderPageQuery,
                              pairs: [(name: String, value: String)]) throws -> (body: ByteBuffer, next: String?) {
        var json = JSONWriter(capacity: 1024 + query.limit * 1536)
        json.beginObject()
        json.key("orders")
        let page = try store.writeOrderPage(query, into: &json)
        json.key("cursor"); json.string(String(page.cursor))
        let next = page.hasMore ? nextLink(pairs, cursor: page.cursor) : nil
        json.key("next"); json.string(next)
        json.endObject()
        return (ByteBuffer(bytes: json.bytes), next)
    }

    /// The same query from `cursor` on.
    static func nextLink(_ pairs: [(name: String, value: String)], cursor: Int64) -> String {
        // Commas and colons stay as they are, which keeps lists readable.
        let kept = pairs.filter { $0.name != "cursor" }.map {
            PercentEncoding.encoded($0.name, keeping: ":,") + "=" + PercentEncoding.encoded($0.value, keeping: ":,")
        }
        return "/api/v1/orders?" + (kept + ["cursor=\(cursor)"]).joined(separator: "&")
    }

    /// `GET /api/v1/orders/{id}`: one order by internal or marketplace id, with lines,
    /// shipments, events and errors. `channel` picks among orders of several channels
    /// sharing a marketplace id.
    @Sendable func showOrder(_ request: Request, context: APIRequestContext) async throws -> Response {
        // The router hands the segment as sent: `FR%201` names the order `FR 1`.
        guard let reference = try context.parameters.require("id").removingPercentEncoding else {
            throw APIError.badRequest(field: "id", "not a valid percent-encoded path segment")
        }
        var channel: String?
        for (name, value) in request.uri.queryParameters {
            guard name == "channel" else { throw APIError.badRequest(field: String(name), "unknown parameter; expected channel") }
            channel = String(value)
        }
        let store = self.store
        var details = try await Blocking.run { try store.orderDetail(reference) }
        if let channel { details = details.filter { $0.stored.channel == channel } }
        guard let detail = details.first else {
            throw APIError(.notFound, code: "not_found", message: "no order \(reference)" + (channel.map { " in channel \($0)" } ?? ""))
        }
        guard details.count == 1 else {
            let candidates = details.map { (id: $0.stored.id, channel: $0.stored.channel) }
            throw APIError(.conflict, code: "ambiguous",
                           message: "orders \(reference) exist in several channels: add ?channel= or use the internal id",
                           field: "id") { json in
                json.key("candidates"); json.beginList()
                for candidate in candidates {
                    json.beginObject()
                    json.key("id"); json.string(candidate.id)
                    json.key("channel"); json.string(candidate.channel)
                    json.endObject()
                }
                json.endList()
            }
        }
        var json = JSONWriter(capacity: 4096)
        OrderDocument.write(detail, into: &json)
        return APIResponse.json(json)
    }
}
