import Foundation
import SyndicCore
import SyndicTransfer

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
