import Foundation
import SyndicCore
import SyndicTransfer

/// The two tokens of an SP-API call: the Login with Amazon access token, and the Restricted
/// Data Token without which Amazon withholds buyer data (names, streets, phone, email).
extension AmazonOrders {
    /// The restricted operations retrieval reads, with the buyer data it needs of each.
    static let restrictedResources: Value = .list([
        .object(["method": .string("GET"), "path": .string("/orders/v0/orders"),
                 "dataElements": .list([.string("buyerInfo"), .string("shippingAddress")])]),
    ])

    /// A live access token: cached, or asked for with the refresh token.
    func accessToken() throws -> String {
        try Self.cache.token(cacheKey, now: now, issue: { try requestAccessToken() }).access
    }

    /// A new access token from Login with Amazon (refresh-token grant).
    private func requestAccessToken() throws -> CachedToken {
        let form = [("grant_type", "refresh_token"), ("refresh_token", credentials.refreshToken),
                    ("client_id", credentials.clientId), ("client_secret", credentials.clientSecret)]
            .map { "\($0.0)=\(URLText.component($0.1))" }.joined(separator: "&")
        let response = try login.send(HTTPRequest(method: "POST", url: tokenURL,
                                                  headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                                  body: Data(form.utf8)), retryUnsafe: true)
        if [400, 401, 403].contains(response.status) {
            let reason = (try? CanonicalJSON.parse(response.text))?["error"]?.stringValue ?? "HTTP \(response.status)"
            throw login.refusal("Login with Amazon at \(tokenURL) refused the credentials (\(reason))")
        }
        guard (200..<300).contains(response.status), let value = try? CanonicalJSON.parse(response.text),
              let access = value["access_token"]?.stringValue else {
            throw ConnectorHTTP.failure("Login with Amazon at \(tokenURL)", status: response.status)
        }
        let lifetime = Double(value["expires_in"]?.intValue ?? 3600)
        return CachedToken(access: access, refresh: nil, expires: now().addingTimeInterval(lifetime))
    }

    /// A Restricted Data Token for `restrictedResources` (createRestrictedDataToken), cached
    /// for its `expiresIn`; nil when Amazon refuses it (the application lacks the restricted
    /// role for buyer data): the run then goes on without buyer data and notes the refusal.
    func restrictedToken() throws -> String? {
        let key = restrictedCacheKey
        if let token = Self.cache.live(key, at: now()) { return token.access }
        let body = Data(CanonicalJSON.string(.object(["restrictedResources": Self.restrictedResources])).utf8)
        let request = HTTPRequest(method: "POST", url: baseURL + "/tokens/2021-03-01/restrictedDataToken",
                                  headers: [("Content-Type", "application/json")], body: body)
        var response: HTTPResponse?
        for attempt in 1...2 {
            do {
                // Creating a token changes nothing on Amazon's side: safe to send again.
                response = try send(request, operation: "createRestrictedDataToken", what: "createRestrictedDataToken",
                                    refusalIsAnswer: true, retryUnsafe: true)
                break
            } catch let failure as FlowError where failure.isRejection {
                if attempt == 1, failure.httpStatus == 401 || failure.httpStatus == 403 {
                    // Perhaps only the access token went stale: one fresh token, one more try.
                    Self.cache.drop(cacheKey)
                    continue
                }
                notice(.restrictedRoleMissing(
                    "Amazon refused a Restricted Data Token for buyer data (\(failure.message)); orders are stored without "
                        + "the buyer's name, street, phone and email. Give the application the restricted role for buyer "
                        + "data (Direct-to-Consumer Shipping) in the Developer Console and authorize it again."))
                return nil
            }
        }
        guard let response else { return nil }
        let value = try json(response, "createRestrictedDataToken")
        guard let token = value["restrictedDataToken"]?.stringValue, !token.isEmpty else {
            throw FlowError(.remote, "createRestrictedDataToken at \(baseURL) answered without restrictedDataToken")
        }
        let lifetime = Double(value["expiresIn"]?.intValue ?? 3600)
        Self.cache.set(key, CachedToken(access: token, refresh: nil, expires: now().addingTimeInterval(lifetime)))
        return token
    }

    /// Forgets the cached Restricted Data Token (Amazon refused it).
    func dropRestrictedToken() {
        Self.cache.drop(restrictedCacheKey)
    }

    /// A Restricted Data Token belongs to the SP-API endpoint that issued it and the authorization.
    private var restrictedCacheKey: String { baseURL + "#rdt#" + cacheKey }
}
