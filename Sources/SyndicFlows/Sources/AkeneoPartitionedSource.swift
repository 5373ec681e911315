import Foundation
import SyndicCore
import SyndicTransfer

/// Every product of an Akeneo search, read by several readers at once: the catalog is split
/// into disjoint ranges of `created` (`AkeneoPartitions`), and up to `readers` threads each
/// follow one partition's `search_after` pages at a time (the next link, only on the
/// connection's origin), taking the next partition when one ends. Each product is handed on
/// exactly once: the partitions are disjoint and cover every second, and a cursor reads each
/// product of its partition once.
///
/// Akeneo allows 4 concurrent calls per connection: the client's gate keeps the readers, the
/// count requests and any token request within the connection's `maxConcurrentRequests`,
/// and waits out 429s. Below `AkeneoPartitions.splitThreshold` products, with one reader,
/// or when the partitions cannot be planned (no count, a catalog created within one second),
/// the read is one cursor.
///
/// Like `AkeneoSource`, the reading starts with a count request: its `items_count` is the
/// total of the run's progress, its `Date` header less one second is the watermark (the local
/// clock before the request without one), the one product it returns tells the PIM's UTC
/// offset. Pages reach the calling thread through a small bounded queue, in the order they
/// arrive: products interleave by page across partitions, so the order changes from one
/// reading to the next (`keepsOrder` is false with more than one reader). A full export does
/// not depend on the order; a delta export that reads everything looks its products up in a
/// table of the previous snapshot's keys. The first error (a reader's, or the caller's body)
/// stops every reader and is rethrown; a raised cancellation flag stops the readers before
/// their next request.
struct AkeneoPartitionedSource: ProductSource {
    let client: AkeneoClient
    let cancellation: CancellationFlag
    let query: AkeneoQuery
    /// How many partitions are read at once at most (the connection's `maxConcurrentRequests`).
    let readers: Int
    /// The PIM's UTC offset known from an earlier export, for a count that returns no product.
    var knownOffset: Int?
    /// The local clock, when the PIM's answer has no `Date` header.
    var now: @Sendable () -> Date = { Date() }
    /// Where the reading got, for the run's progress, and when it started.
    let tracker = SourceTracker()
    /// A count made before the reading (`selectedCount`), which the reading then starts with.
    let pending = AkeneoPendingCount()

    /// Partitions planned per reader: readers that finish early take another partition, which
    /// evens out partitions of unequal size.
    static let partitionsPerReader = 4
    /// Pages waiting for the calling thread, per reader.
    static let pagesPerReader = 2

    init(client: AkeneoClient, cancellation: CancellationFlag, query: AkeneoQuery, readers: Int) {
        self.client = client
        self.cancellation = cancellation
        self.query = query
        self.readers = readers
    }

    var description: String { "Akeneo at \(client.baseURL)" }

    /// Several cursors interleave their pages by timing: the order changes between readings.
    var keepsOrder: Bool { readers <= 1 }

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
        let readers = max(1, min(self.readers, client.gate.maximum))
        let partitions = try plan(counted, readers: readers)
        let queries = partitions.queries(query)
        let urls = queries.map { $0.listURL(baseURL: client.baseURL, resource: counted.resource) }
        try read(urls, readers: min(readers, urls.count), total: total, body)
    }

    /// The partitions of the reading: one without a count or a second reader.
    func plan(_ counted: AkeneoCount, readers: Int) throws -> AkeneoPartitions {
        let offset = tracker.watermark?.utcOffset ?? counted.utcOffset ?? knownOffset ?? 0
        guard let total = counted.count, readers > 1 else { return AkeneoPartitions(boundaries: [], utcOffset: offset) }
        let client = self.client
        let cancellation = self.cancellation
        let resource = counted.resource
        return try AkeneoPartitions.plan(query, total: total, partitions: readers * Self.partitionsPerReader,
                                         now: counted.serverDate ?? now(), utcOffset: offset, parallel: readers) { probe in
            try cancellation.check()
            return try Self.count(probe, resource: resource, client: client)
        }
    }

    /// How many products `query` selects in `resource`: a one-product page with its count.
    static func count(_ query: AkeneoQuery, resource: AkeneoProductResource, client: AkeneoClient) throws -> Int? {
        let response = try client.call("GET", url: query.countURL(baseURL: client.baseURL, resource: resource),
                                       headers: [("Accept", "application/json")])
        try AkeneoClient.check(response, "count products at Akeneo at \(client.baseURL)")
        return try page(response, client: client).itemsCount
    }

    /// The page a response carries.
    static func page(_ response: HTTPResponse, client: AkeneoClient) throws -> AkeneoPage {
        do {
            return try response.body.withUnsafeBytes { bytes throws(ProductScanError) in try AkeneoPage(bytes) }
        } catch {
            throw FlowError(.remote, "Akeneo at \(client.baseURL) sent a page that cannot be read: \(error)")
        }
    }

    /// Reads the partitions whose first pages are `urls` on `readers` threads, calling `body`
    /// on this thread with each product and its running position.
    private func read(_ urls: [String], readers: Int, total: Int?,
                      _ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        let flow = PageFlow(partitions: urls.count, readers: readers, capacity: readers * Self.pagesPerReader)
        let client = self.client
        let cancellation = self.cancellation
        // Raised when the read ends early: readers waiting out a 429 stop waiting.
        let halt = CancellationFlag()
        DedicatedThreads.start(readers, name: "syndic-akeneo") { _ in
            defer { flow.readerEnded() }
            do {
                while let partition = flow.nextPartition() {
                    try Self.readPartition(from: urls[partition], client: client, cancellation: cancellation, halt: halt,
                                           flow: flow)
                }
            } catch {
                flow.fail(error)
            }
        }
        defer {
            // Every reader has ended when the read returns: none keeps a permit of the gate.
            halt.cancel()
            flow.stop()
            flow.waitForReaders()
        }
        var position = 0
        #if DEBUG
        var seen = Set<UInt64>()
        #endif
        while let page = try flow.take() {
            try page.body.withUnsafeBytes { bytes in
                for item in page.items {
                    let text = UnsafeRawBufferPointer(rebasing: bytes[item])
                    #if DEBUG
                    // Exactly once, checked in debug builds (two products never have the same text).
                    let first = seen.insert(FastHash.hash(text)).inserted
                    assert(first, "Akeneo's partitioned read handed on a product twice")
                    #endif
                    position += 1
                    try body(text, position)
                }
            }
            tracker.position = SourcePosition(done: position, total: total, unit: .items)
        }
    }

    /// One reader's work on one partition: its pages, in order, into `flow`.
    private static func readPartition(from first: String, client: AkeneoClient, cancellation: CancellationFlag,
                                      halt: CancellationFlag, flow: PageFlow) throws {
        var next: String? = first
        while let url = next {
            try cancellation.check()
            if flow.isStopped { return }
            let response = try client.call("GET", url: url, headers: [("Accept", "application/json")], stop: halt)
            if halt.isCancelled { return }
            try AkeneoClient.check(response, "GET products from Akeneo at \(client.baseURL)")
            let page = try Self.page(response, client: client)
            guard flow.put(PageFlow.Page(body: response.body, items: page.items)) else { return }
            next = try client.nextPage(page.next)
        }
    }
}

/// The pages of a partitioned read on their way from the readers to the calling thread (at
/// most `capacity` waiting: a reader that gets ahead waits), the partitions still to read,
/// and the first failure.
private final class PageFlow: @unchecked Sendable {
    /// A page's text and the byte ranges of its products.
    struct Page: Sendable {
        var body: Data
        var items: [Range<Int>]
    }

    private let condition = NSCondition()
    private var pages: [Page] = []
    private let capacity: Int
    private let partitions: Int
    private var nextPartitionIndex = 0
    private var running: Int
    private var failure: (any Error)?
    private var stopped = false

    init(partitions: Int, readers: Int, capacity: Int) {
        self.partitions = partitions
        running = readers
        self.capacity = max(1, capacity)
    }

    /// The next partition to read; nil when none is left or the read stopped.
    func nextPartition() -> Int? {
        condition.withLock { () -> Int? in
            guard !stopped, failure == nil, nextPartitionIndex < partitions else { return nil }
            nextPartitionIndex += 1
            return nextPartitionIndex - 1
        }
    }

    /// Whether the read stopped (an error, or the caller gave up).
    var isStopped: Bool { condition.withLock { stopped || failure != nil } }

    /// Hands on a page, waiting while `capacity` pages wait; false when the read stopped.
    func put(_ page: Page) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while pages.count >= capacity, !stopped, failure == nil { condition.wait() }
        guard !stopped, failure == nil else { return false }
        pages.append(page)
        condition.broadcast()
        return true
    }

    /// A reader failed: the first failure stops the read.
    func fail(_ error: any Error) {
        condition.lock()
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }

    /// A reader ended (its partitions read, or the read stopped).
    func readerEnded() {
        condition.lock()
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until every reader ended.
    func waitForReaders() {
        condition.lock()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    /// The caller is done: readers stop at their next page.
    func stop() {
        condition.lock()
        stopped = true
        pages.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// The next page; nil once every reader ended and every page was taken; the first
    /// failure, as soon as there is one.
    func take() throws -> Page? {
        condition.lock()
        defer { condition.unlock() }
        while pages.isEmpty, failure == nil, running > 0 { condition.wait() }
        if let failure { throw failure }
        guard !pages.isEmpty else { return nil }
        let page = pages.removeFirst()
        condition.broadcast()
        return page
    }
}
