import Foundation
import SyndicCore

/// Products from Akeneo: `GET /api/rest/v1/products-uuid` with `pagination_type=search_after`,
/// following `_links.next.href` (never built by hand, and only on the connection's origin),
/// the channel's filter pushed down to `search` (with what the read adds, such as `updated >`
/// for a delta export), its scope and locales asked for. A PIM before version 7 has no
/// `products-uuid` (404): it is read through `/api/rest/v1/products` the same way, products
/// keyed by their identifier. Each item's JSON text is handed on as it is.
///
/// Every reading starts with a count request (`pagination_type=page&limit=1&with_count=true`:
/// Akeneo gives no count under search_after). Its `items_count` is the total of the run's
/// progress, in products; its `Date` header, the PIM's clock, less one second (the header's
/// precision), is the reading's watermark (the local clock before the request when there is no
/// such header); the `updated` of the one product it returns tells the PIM's UTC offset.
struct AkeneoSource: ProductSource {
    let client: AkeneoClient
    let cancellation: CancellationFlag
    let query: AkeneoQuery
    /// The PIM's UTC offset known from an earlier export, for a count that returns no product.
    var knownOffset: Int?
    /// For a delta export: the first `updated` date asked for, as Akeneo reads it (reports).
    var updatedFrom: String?
    /// The local clock, when the PIM's answer has no `Date` header.
    var now: @Sendable () -> Date = { Date() }
    /// Where the reading got, for the run's progress, and when it started.
    let tracker = SourceTracker()
    /// A count made before the reading (`selectedCount`), which the reading then starts with.
    let pending = AkeneoPendingCount()

    var description: String {
        "Akeneo at \(client.baseURL)" + (updatedFrom.map { " (products updated since \($0), the PIM's time)" } ?? "")
    }

    var position: SourcePosition? { tracker.position }

    var watermark: SourceWatermark? { tracker.watermark }

    func selectedCount() throws -> Int? {
        let counted = try start()
        pending.keep(counted)
        return counted.count
    }

    /// The count request that starts a reading; records the watermark.
    private func start() throws -> AkeneoCount {
        try cancellation.check()
        let before = now()
        let counted = try client.countProducts(query)
        // Without an offset (the search selected no product and none was known), no watermark:
        // the next delta export reads every product rather than guess the PIM's time zone.
        tracker.watermark = (counted.utcOffset ?? knownOffset).map { offset in
            SourceWatermark(since: counted.serverDate?.addingTimeInterval(-1) ?? before, utcOffset: offset,
                            origin: client.baseURL)
        }
        return counted
    }

    func forEachProduct(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        tracker.position = SourcePosition(done: 0, total: nil, unit: .items)
        let counted = try pending.take() ?? start()
        let total = counted.count
        tracker.position = SourcePosition(done: 0, total: total, unit: .items)
        var next: String? = query.listURL(baseURL: client.baseURL, resource: counted.resource)
        var position = 0
        while let url = next {
            try cancellation.check()
            let response = try client.call("GET", url: url, headers: [("Accept", "application/json")])
            try AkeneoClient.check(response, "GET products from Akeneo at \(client.baseURL)")
            let page: AkeneoPage
            do {
                page = try response.body.withUnsafeBytes { bytes throws(ProductScanError) in try AkeneoPage(bytes) }
            } catch {
                throw FlowError(.remote, "Akeneo at \(client.baseURL) sent a page that cannot be read: \(error)")
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

    /// `link` without a `with_count=true` parameter (the rest kept as it is): counting on
    /// every page would cost the PIM for nothing.
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

/// A count made before a reading, handed to that reading once.
final class AkeneoPendingCount: @unchecked Sendable {
    private let lock = NSLock()
    private var counted: AkeneoCount?

    func keep(_ count: AkeneoCount) { lock.withLock { counted = count } }

    func take() -> AkeneoCount? {
        lock.withLock {
            defer { counted = nil }
            return counted
        }
    }
}
