import Foundation
import SyndicCore
import SyndicStore
import SyndicTransfer

/// The Amazon Selling Partner API, orders v0 (API-NOTES.md): a Login with Amazon token
/// (refresh-token grant, cached until it expires or the credentials rotate) in
/// `x-amz-access-token`; `getOrders` by `LastUpdatedAfter` following `NextToken`;
/// `getOrderItems` per order; `confirmShipment`. 429 answers are waited out by the HTTP
/// client (Retry-After, else backoff). The v0 paths sit in this one type, so a client of
/// the newer `searchOrders` can replace it.
final class AmazonOrders: MarketplaceOrders, @unchecked Sendable {
    struct Credentials: Hashable, Sendable {
        var clientId: String
        var clientSecret: String
        var refreshToken: String
    }

    let marketplace = "amazon"
    let baseURL: String
    let tokenURL: String
    let marketplaceID: String
    /// The channel the credentials belong to (its address).
    let owner: String?
    private let use: CredentialUse?
    private let credentials: Credentials
    private let http: HTTPClient
    private let now: @Sendable () -> Date
    /// Orders per getOrders page (at most 100).
    var pageSize = 100

    private static let cache = TokenCache()

    init(baseURL: String, tokenURL: String, marketplaceID: String, credentials: Credentials, owner: String?,
         use: CredentialUse?, http: HTTPClient, now: @escaping @Sendable () -> Date = { Date() }) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.tokenURL = tokenURL
        self.marketplaceID = marketplaceID
        self.credentials = credentials
        self.owner = owner
        self.use = use
        self.http = http
        self.now = now
    }

    private var cacheKey: String {
        let digest = SHA256.hash(Array("\(credentials.clientId)\u{0}\(credentials.clientSecret)\u{0}\(credentials.refreshToken)".utf8))
        return tokenURL + "#" + digest.hexString
    }

    // MARK: - Token

    /// A live access token: cached, or asked for with the refresh token.
    func accessToken() throws -> String {
        if let token = Self.cache.get(cacheKey), token.expires > now().addingTimeInterval(60) { return token.access }
        let form = [("grant_type", "refresh_token"), ("refresh_token", credentials.refreshToken),
                    ("client_id", credentials.clientId), ("client_secret", credentials.clientSecret)]
            .map { "\($0.0)=\(URLText.component($0.1))" }.joined(separator: "&")
        let response: HTTPResponse
        do {
            response = try http.send(HTTPRequest(method: "POST", url: tokenURL,
                                                 headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                                 body: Data(form.utf8)), retryUnsafe: true)
        } catch {
            throw FlowError(.connectivity, "\(error)")
        }
        if [400, 401, 403].contains(response.status) {
            let reason = (try? CanonicalJSON.parse(response.text))?["error"]?.stringValue ?? "HTTP \(response.status)"
            throw FlowError(.authentication, "Login with Amazon at \(tokenURL) refused the credentials (\(reason))",
                            credentialsOf: owner)
        }
        guard (200..<300).contains(response.status), let value = try? CanonicalJSON.parse(response.text),
              let access = value["access_token"]?.stringValue else {
            throw FlowError(.remote, "Login with Amazon at \(tokenURL) failed: HTTP \(response.status)", httpStatus: response.status)
        }
        let lifetime = Double(value["expires_in"]?.intValue ?? 3600)
        Self.cache.set(cacheKey, CachedToken(access: access, refresh: nil, expires: now().addingTimeInterval(lifetime)))
        return access
    }

    /// Sends an SP-API call with the token; a 403 gets one new token and one retry.
    private func send(_ request: HTTPRequest, what: String, retryUnsafe: Bool = false) throws -> HTTPResponse {
        var attempt = 0
        while true {
            attempt += 1
            var signed = request
            signed.headers.append(("x-amz-access-token", try accessToken()))
            signed.headers.append(("Accept", "application/json"))
            let response: HTTPResponse
            do {
                response = try http.send(signed, retryUnsafe: retryUnsafe)
            } catch {
                throw FlowError(.connectivity, "\(error)")
            }
            if response.status == 401 || response.status == 403 {
                Self.cache.set(cacheKey, nil)
                if attempt == 1 { continue }
                throw FlowError(.authentication, "the SP-API at \(baseURL) refused the access token (\(what): HTTP \(response.status))",
                                credentialsOf: owner)
            }
            use?.accepted(owner)
            guard (200..<300).contains(response.status) else {
                let errors = (try? CanonicalJSON.parse(response.text))?["errors"]?.listValue ?? []
                let message = errors.compactMap { error in
                    error["message"]?.stringValue.map { "\(error["code"]?.stringValue ?? "error"): \($0)" }
                }.joined(separator: "; ")
                throw FlowError(.remote, "\(what) at \(baseURL) failed: HTTP \(response.status)\(message.isEmpty ? "" : ": " + message)",
                                httpStatus: response.status)
            }
            return response
        }
    }

    private func json(_ response: HTTPResponse, _ what: String) throws -> Value {
        guard let value = try? CanonicalJSON.parse(response.text) else {
            throw FlowError(.remote, "\(what) at \(baseURL) answered something that is not JSON")
        }
        return value
    }

    // MARK: - Orders

    func orders(updatedSince since: Date, page: ([Result<Order, OrderReadError>]) throws -> Void) throws {
        var next: String?
        repeat {
            var query = ["MarketplaceIds=\(URLText.component(marketplaceID))"]
            if let next {
                query.append("NextToken=\(URLText.component(next))")
            } else {
                query += ["LastUpdatedAfter=\(URLText.component(ISODate.seconds(since)))", "MaxResultsPerPage=\(pageSize)"]
            }
            let value = try json(try send(HTTPRequest(url: baseURL + "/orders/v0/orders?" + query.joined(separator: "&")),
                                          what: "getOrders"), "getOrders")
            guard let orders = value.value(at: "payload.Orders")?.listValue else {
                throw FlowError(.remote, "getOrders at \(baseURL) answered without payload.Orders")
            }
            var results: [Result<Order, OrderReadError>] = []
            for order in orders {
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
    private func items(of orderID: String) throws -> [Value] {
        var items: [Value] = []
        var next: String?
        repeat {
            var url = baseURL + "/orders/v0/orders/\(URLText.component(orderID))/orderItems"
            if let next { url += "?NextToken=\(URLText.component(next))" }
            let value = try json(try send(HTTPRequest(url: url), what: "getOrderItems of \(orderID)"), "getOrderItems")
            items += value.value(at: "payload.OrderItems")?.listValue ?? []
            next = value.value(at: "payload.NextToken")?.stringValue
        } while next != nil
        return items
    }

    func confirm(_ shipment: PendingShipment) throws {
        var package: [String: Value] = [
            "packageReferenceId": .string(shipment.packageID),
            "shipDate": .string(ISODate.milliseconds(shipment.shippingDate)),
            "orderItems": .list(shipment.items.map { .object(["orderItemId": .string($0.lineID), "quantity": .int($0.quantity)]) }),
        ]
        if let carrier = shipment.carrierCode { package["carrierCode"] = .string(carrier) }
        if let tracking = shipment.trackingNumber { package["trackingNumber"] = .string(tracking) }
        let body = Value.object(["marketplaceId": .string(marketplaceID), "packageDetail": .object(package)])
        _ = try send(HTTPRequest(method: "POST",
                                 url: baseURL + "/orders/v0/orders/\(URLText.component(shipment.marketplaceOrderID))/shipmentConfirmation",
                                 headers: [("Content-Type", "application/json")], body: Data(CanonicalJSON.string(body).utf8)),
                     what: "confirmShipment of order \(shipment.marketplaceOrderID)")
    }

}
