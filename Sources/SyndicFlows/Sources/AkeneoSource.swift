import Foundation
import SyndicCore

/// Products from Akeneo: `GET /api/rest/v1/products-uuid` with `pagination_type=search_after`,
/// following `_links.next.href` (never built by hand, and only on the connection's origin),
/// the channel's filter pushed down to `search`, its scope and locales asked for. A PIM
/// before version 7 has no `products-uuid` (404): it is read through `/api/rest/v1/products`
/// the same way, products keyed by their identifier. Each item's JSON text is handed on as
/// it is.
///
/// The first page is asked `with_count=true`: its `items_count` (the products the search
/// selects) is the total of the run's progress, in products. The next links, which repeat
/// the first page's parameters, are followed without it: counting again on every page would
/// cost the PIM for nothing.
struct AkeneoSource: ProductSource {
    let client: AkeneoClient
    let cancellation: CancellationFlag
    let search: String
    let scope: String?
    let locales: [String]
    /// Where the reading got, for the run's progress.
    let tracker = SourceTracker()

    var description: String { "Akeneo at \(client.baseURL)" }

    var position: SourcePosition? { tracker.position }

    /// The first page's URL.
    var firstPage: String { firstPage(of: "products-uuid") }

    /// The first page's URL on a PIM without `products-uuid`.
    var legacyFirstPage: String { firstPage(of: "products") }

    private func firstPage(of resource: String) -> String {
        var query = ["pagination_type=search_after", "limit=100", "with_count=true"]
        if search != "{}" { query.append("search=" + Self.encode(search)) }
        if let scope { query.append("scope=" + Self.encode(scope)) }
        if !locales.isEmpty { query.append("locales=" + Self.encode(locales.joined(separator: ","))) }
        return client.baseURL + "/api/rest/v1/\(resource)?" + query.joined(separator: "&")
    }

    func forEachProduct(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        var next: String? = firstPage
        var position = 0
        var total: Int?
        tracker.position = SourcePosition(done: 0, total: nil, unit: .items)
        while let url = next {
            try cancellation.check()
            let response = try client.call("GET", url: url, headers: [("Accept", "application/json")])
            if response.status == 404, url == firstPage {
                next = legacyFirstPage
                continue
            }
            try AkeneoClient.check(response, "GET products from Akeneo at \(client.baseURL)")
            let page: AkeneoPage
            do {
                page = try response.body.withUnsafeBytes { bytes throws(ProductScanError) in try AkeneoPage(bytes) }
            } catch {
                throw FlowError(.remote, "Akeneo at \(client.baseURL) sent a page that cannot be read: \(error)")
            }
            if total == nil {
                total = page.itemsCount
                tracker.position = SourcePosition(done: position, total: total, unit: .items)
            }
            try response.body.withUnsafeBytes { bytes in
                for item in page.items {
                    position += 1
                    try body(UnsafeRawBufferPointer(rebasing: bytes[item]), position)
                }
            }
            tracker.position = SourcePosition(done: position, total: total, unit: .items)
            next = try client.nextPage(page.next).map(Self.withoutCount)
        }
    }

    /// `link` without its `with_count=true` parameter (the rest kept as it is).
    static func withoutCount(_ link: String) -> String {
        guard let mark = link.firstIndex(of: "?") else { return link }
        let parameters = link[link.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: false)
        let kept = parameters.filter { $0 != "with_count=true" }
        guard kept.count < parameters.count else { return link }
        return String(link[...mark]) + kept.joined(separator: "&")
    }

    /// Percent-encodes a query parameter value.
    static func encode(_ text: String) -> String { URLText.component(text) }
}
