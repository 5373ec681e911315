import Foundation
import SyndicCore
import SyndicTransfer

/// Which list an export reads: `products-uuid` (PIM 7, SaaS) or, on a PIM before 7 (404 to the
/// first), `products`, keyed by identifier.
enum AkeneoProductResource: String, Sendable {
    case uuid = "products-uuid", legacy = "products"
}

/// What an export asks Akeneo for: `search` (a JSON object property -> [conditions]: the channel's
/// filter plus what the read adds), the scope and the locales.
struct AkeneoQuery: Sendable, Hashable {
    var search: Value
    var scope: String?
    var locales: [String]

    init(search: Value = .object([:]), scope: String? = nil, locales: [String] = []) {
        self.search = search
        self.scope = scope
        self.locales = locales
    }

    /// The query with one more condition on `property`, ANDed with those it has (Akeneo ANDs
    /// several conditions on one property).
    func adding(_ property: String, _ condition: Value) -> AkeneoQuery {
        var members = search.objectValue ?? [:]
        if case .list(let conditions)? = members[property] {
            members[property] = .list(conditions + [condition])
        } else {
            members[property] = .list([condition])
        }
        var query = self
        query.search = .object(members)
        return query
    }

    /// First page of the list: pagination_type=search_after, limit=100, search/scope/locales.
    func listURL(baseURL: String, resource: AkeneoProductResource) -> String {
        url(baseURL, resource, ["pagination_type=search_after", "limit=100"])
    }

    /// A one-product page with the count: pagination_type=page&limit=1&with_count=true. (Akeneo
    /// gives no count under search_after.)
    func countURL(baseURL: String, resource: AkeneoProductResource) -> String {
        url(baseURL, resource, ["pagination_type=page", "limit=1", "with_count=true"])
    }

    /// `search` as canonical JSON text (keys sorted); nil when it has no condition.
    var searchText: String? {
        if let members = search.objectValue, members.isEmpty { return nil }
        return CanonicalJSON.string(search)
    }

    private func url(_ baseURL: String, _ resource: AkeneoProductResource, _ leading: [String]) -> String {
        var parameters = leading
        if let searchText { parameters.append("search=" + URLText.component(searchText)) }
        if let scope { parameters.append("scope=" + URLText.component(scope)) }
        if !locales.isEmpty { parameters.append("locales=" + URLText.component(locales.joined(separator: ","))) }
        return baseURL + "/api/rest/v1/\(resource.rawValue)?" + parameters.joined(separator: "&")
    }
}

/// The answer to a count request.
struct AkeneoCount: Sendable {
    /// `items_count`; nil when Akeneo gave none.
    var count: Int?
    /// The list that answered.
    var resource: AkeneoProductResource
    /// The response's `Date` header (the PIM's clock).
    var serverDate: Date?
    /// Seconds east of UTC, from the one item's `updated` (or `created`).
    var utcOffset: Int?
}

extension AkeneoClient {
    /// How many products `query` selects (uuid list first, legacy list on 404), with the PIM's
    /// clock and UTC offset.
    func countProducts(_ query: AkeneoQuery) throws -> AkeneoCount {
        var resource = AkeneoProductResource.uuid
        var response = try call("GET", url: query.countURL(baseURL: baseURL, resource: resource),
                                headers: [("Accept", "application/json")])
        if response.status == 404 {
            resource = .legacy
            response = try call("GET", url: query.countURL(baseURL: baseURL, resource: resource),
                                headers: [("Accept", "application/json")])
        }
        try AkeneoClient.check(response, "count products at Akeneo at \(baseURL)")
        let page: AkeneoPage
        do {
            page = try response.body.withUnsafeBytes { bytes throws(ProductScanError) in try AkeneoPage(bytes) }
        } catch {
            throw FlowError(.remote, "Akeneo at \(baseURL) sent a page that cannot be read: \(error)")
        }
        let offset: Int? = page.items.first.flatMap { item in
            let text = response.body.withUnsafeBytes {
                String(decoding: UnsafeRawBufferPointer(rebasing: $0[item]), as: UTF8.self)
            }
            guard let product = try? CanonicalJSON.parse(text) else { return nil }
            return (product["updated"]?.stringValue ?? product["created"]?.stringValue).flatMap(AkeneoTime.utcOffset(of:))
        }
        return AkeneoCount(count: page.itemsCount, resource: resource,
                           serverDate: response.header("Date").flatMap(AkeneoTime.httpDate), utcOffset: offset)
    }
}
