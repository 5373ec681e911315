import Foundation
import SyndicCore
import SyndicTransfer

/// The Mirakl Seller API: the shop API key in `Authorization`, `shop_id` for
/// multi-shop keys. Offers import (OF01–OF03) and attributes (PM11) for the product flows.
struct MiraklClient: Sendable {
    let baseURL: String
    /// The channel the API key belongs to (its address), named by authentication failures.
    var owner: String? { connector.owner }
    private let apiKey: String
    private let shopID: String?
    /// The transport, with the key's owner (told when Mirakl accepts the key) and the metrics.
    private let connector: ConnectorHTTP

    init(baseURL: String, apiKey: String, owner: String? = nil, use: CredentialUse? = nil, shopID: String? = nil,
         http: HTTPClient = HTTPClient(), metrics: ConnectorMetrics = ConnectorMetrics()) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.shopID = shopID
        connector = ConnectorHTTP(http: http, owner: owner, use: use, metrics: metrics)
    }

    /// `path` on the instance, with `shop_id` when set.
    func url(_ path: String, query: [String] = []) -> String {
        let all = query + (shopID.map { ["shop_id=\($0)"] } ?? [])
        return baseURL + path + (all.isEmpty ? "" : "?" + all.joined(separator: "&"))
    }

    /// Sends a request with the API key; fails clearly on 401/403 (the key refused) and on
    /// any other status outside 2xx (with Mirakl's `message`).
    func send(_ request: HTTPRequest, what: String, accept: String = "application/json",
              retryUnsafe: Bool = false) throws -> HTTPResponse {
        var request = request
        request.headers.append(("Authorization", apiKey))
        request.headers.append(("Accept", accept))
        let response = try connector.send(request, retryUnsafe: retryUnsafe)
        if response.status == 401 || response.status == 403 {
            throw connector.refusal("Mirakl at \(baseURL) refused the API key (\(what): HTTP \(response.status))")
        }
        connector.accepted()
        guard (200..<300).contains(response.status) else {
            let message = (try? CanonicalJSON.parse(response.text))?["message"]?.stringValue
            throw ConnectorHTTP.failure("\(what) at \(baseURL)", status: response.status, detail: message)
        }
        return response
    }

    /// The body of a response as a JSON value.
    static func json(_ response: HTTPResponse, _ what: String) throws -> Value {
        do {
            return try CanonicalJSON.parse(response.text)
        } catch {
            throw FlowError(.remote, "\(what) answered something that is not JSON")
        }
    }

    // MARK: - Offers import

    /// OF01: uploads an offers CSV; returns the import id. `withProducts` when the file
    /// carries product columns beside the offer's.
    func importOffers(csv: Data, fileName: String, withProducts: Bool = false) throws -> Int {
        var fields = [("import_mode", "NORMAL")]
        if withProducts { fields.append(("with_products", "true")) }
        let request = HTTPRequest.multipart(url: url("/api/offers/imports"), fields: fields,
                                            fileField: "file", fileName: fileName, fileType: "text/csv", file: csv)
        let response = try send(request, what: "OF01 offers import")
        guard let id = try Self.json(response, "OF01")["import_id"]?.intValue else {
            throw FlowError(.remote, "OF01 offers import at \(baseURL) answered without an import_id")
        }
        return id
    }

    /// OF02: the state of an import.
    func importStatus(_ id: Int) throws -> Value {
        try Self.json(try send(HTTPRequest(url: url("/api/offers/imports/\(id)")), what: "OF02 import status"), "OF02")
    }

    /// OF03: the error report of an import, asked for as a file (CSV).
    func errorReport(_ id: Int) throws -> Data {
        try send(HTTPRequest(url: url("/api/offers/imports/\(id)/error_report")), what: "OF03 error report",
                 accept: "application/octet-stream").body
    }

    // MARK: - Attributes

    /// PM11: the attributes the marketplace knows.
    func attributes() throws -> [MarketplaceAttribute] {
        let value = try Self.json(try send(HTTPRequest(url: url("/api/products/attributes")), what: "PM11 attributes"), "PM11")
        guard let items = value["attributes"]?.listValue else {
            throw FlowError(.remote, "PM11 attributes at \(baseURL) answered without an attributes list")
        }
        return items.compactMap { item in
            guard let code = item["code"]?.stringValue else { return nil }
            return MarketplaceAttribute(code: code, label: item["label"]?.stringValue, type: item["type"]?.stringValue,
                                        required: item["required"]?.boolValue ?? false)
        }
    }
}
