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
