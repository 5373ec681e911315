import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport

/// A state for the console tests: three applied channels with history, credentials, a
/// suspension, runs with logs and files, an export record, and orders of two marketplaces.
/// Every instant is fixed around `t0`.
enum ConsoleFixtures {
    /// Wednesday 2026-03-11 12:00 UTC.
    static let t0 = Date(timeIntervalSince1970: 1_773_230_400)
    static let firstCommit = "1111111111111111111111111111111111111111"
    static let secondCommit = "2222222222222222222222222222222222222222"

    /// What the seed made, for the tests to name.
    struct Seeded {
        /// shop_fr's product export: succeeded, with a log, a file and an export record of SKU-1.
        var exportRun: RunInfo
        /// shop_fr's order retrieval: failed.
        var failedRun: RunInfo
        /// Marketplace order id → internal id.
        var orderIDs: [String: String]
    }

    static func at(_ hours: Double) -> Date { t0.addingTimeInterval(hours * 3600) }

    /// shop_fr: Mirakl, active, Paris time, a daily export at 02:30, retrieval and confirmations.
    static let shopSpec = """
        {"orders":{"confirmations":true,"retrieval":true},"products":{"export":{"schedule":{"at":"02:30"}},\
        "mapping":{"title":"name~fr_FR"}},"source":{"connection":"pim"},"status":"active","timezone":"Europe/Paris",\
        "type":"mirakl"}
        """
    /// amazon_de: Amazon, active, order retrieval only.
    static let amazonSpec = #"{"orders":{"retrieval":true},"status":"active","type":"amazon"}"#
    /// feed: a flat-file channel, inactive, exporting every 15 minutes once active.
    static let feedSpec = #"{"products":{"export":{"schedule":{"every":"15m"}}},"source":{"connection":"pim"},"status":"inactive","type":"flat-file"}"#

    static func channel(_ name: String, type: String, spec: String) -> AppliedResource {
        AppliedResource(kind: .channel, name: name, type: type, specJSON: spec, labelsJSON: #"{"team":"emea"}"#,
                        sourceFile: "channels/\(name).yaml")
    }

    static let channels = [channel("shop_fr", type: "mirakl", spec: shopSpec), channel("amazon_de", type: "amazon", spec: amazonSpec),
                           channel("feed", type: "flat-file", spec: feedSpec)]

    /// Applies the channels (a create, then a change of shop_fr's time zone in a later commit),
    /// and writes runs and orders.
    @discardableResult
    static func seed(_ store: SQLiteStateStore) throws -> Seeded {
        try applyChannels(store)
        let exportRun = try finishedRun(store, "shop_fr", .productExport, at: at(-24),
                                        outcome: .succeeded(counts: ["sent": 2, "skipped": 1], report: "2 products sent to the marketplace"))
        try store.appendLogs(runID: exportRun.id, lines: [RunLogLine(seq: 1, at: at(-24), level: "info", message: "export started"),
                                                          RunLogLine(seq: 2, at: at(-24), level: "warning", message: "SKU-3 skipped: <no price>")])
        try store.saveArtifact(runID: exportRun.id, channel: "shop_fr", name: "feedback.csv", content: Data("sku;status\nSKU-1;OK\n".utf8),
                               at: at(-24))
        let generation = try store.beginSnapshot(channel: "shop_fr")
        try store.recordProductExport(ProductExportRecord(channel: "shop_fr", runID: exportRun.id, mode: "delta", at: at(-24), sent: 2,
                                                          file: nil, products: ["SKU-1", "SKU-10"]),
                                      generation: generation, specDigest: "digest", count: 0, refused: [])
        let failedRun = try finishedRun(store, "shop_fr", .orderRetrieval, at: at(-2),
                                        outcome: .failed(error: "connection refused", counts: [:], report: nil, retryable: false))
        let orderIDs = try seedOrders(store, failedRun: failedRun.id)
        return Seeded(exportRun: exportRun, failedRun: failedRun, orderIDs: orderIDs)
    }

    static func applyChannels(_ store: SQLiteStateStore) throws {
        let fingerprints = ["channel.shop_fr": ["credentials.apiKey": "fp-1"]]
        _ = try store.commit(ApplyBatch(
            expectedSerial: try store.currentSerial(), upserts: channels, deletions: [], fingerprints: fingerprints,
            changes: channels.map { HistoryChange(address: $0.address, action: "create", field: nil, before: nil, after: "6 fields") },
            cache: [], user: "ci", gitCommit: firstCommit, configDigest: "digest-1", at: at(-240)))
        _ = try store.commit(ApplyBatch(
            expectedSerial: try store.currentSerial(), upserts: [channels[0]], deletions: [], fingerprints: fingerprints,
            changes: [HistoryChange(address: "channel.shop_fr", action: "update", field: "timezone", before: "UTC",
                                    after: "Europe/Paris")],
            cache: [], user: "ci", gitCommit: secondCommit, configDigest: "digest-2", at: at(-48)))
        try store.markCredentialsInvalid(kind: .channel, name: "shop_fr", message: "401 Unauthorized", at: at(-1))
        _ = try store.suspend(channel: "amazon_de", reason: "marketplace maintenance", by: "ops", at: at(-3))
    }

    /// A run queued, claimed and finished at `date` with `outcome`.
    static func finishedRun(_ store: SQLiteStateStore, _ channel: String, _ job: JobKind, at date: Date,
                            outcome: RunOutcome) throws -> RunInfo {
        let once = RetryPolicy(maxAttempts: 1)
        let queued = try store.enqueue(RunRequest(channel: channel, job: job, trigger: .manual), now: date, retry: once)
        guard try store.claimRun(jobs: [job], runID: queued.id, worker: "w1", lease: 60, now: date, retry: once) != nil,
              let finished = try store.finishRun(runID: queued.id, worker: "w1", outcome: outcome, now: date, retry: once) else {
            throw TestSupportError("run \(queued.id) could not be run")
        }
        return finished
    }

    /// FR-1001 (today, waiting for shipment), FR-1002 (yesterday, shipped), FR-1003 (5 days
    /// ago, pending, a cancellation request and an error) on shop_fr; DE-2001 (20 days ago, last
    /// month, canceled) on amazon_de. Newest purchase first: FR-1001, FR-1002, FR-1003, DE-2001.
    static func seedOrders(_ store: SQLiteStateStore, failedRun: Int64) throws -> [String: String] {
        _ = try store.upsertOrders([order("FR-1001", .waitingForShipment, purchased: at(-2))], channel: "shop_fr",
                                   marketplace: "mirakl", runID: nil, at: at(-1))
        _ = try store.upsertOrders([order("FR-1002", .shipped, purchased: at(-25))], channel: "shop_fr", marketplace: "mirakl",
                                   runID: nil, at: at(-24))
        var canceling = order("FR-1003", .pending, purchased: at(-121))
        canceling.cancellations = [Order.Cancellation(id: "C-1", lineID: "FR-1003-1", quantity: 1, reason: "buyer changed mind",
                                                      at: at(-120))]
        _ = try store.upsertOrders([canceling], channel: "shop_fr", marketplace: "mirakl", runID: nil, at: at(-120))
        _ = try store.upsertOrders([order("DE-2001", .canceled, purchased: at(-481))], channel: "amazon_de", marketplace: "amazon",
                                   runID: nil, at: at(-480))
        try store.recordOrderError(channel: "shop_fr", marketplaceID: "FR-1003", runID: failedRun, stage: "export",
                                   message: "line 2: unknown carrier \"<UPS>\"", at: at(-1))
        var ids: [String: String] = [:]
        for reference in ["FR-1001", "FR-1002", "FR-1003", "DE-2001"] {
            guard let detail = try store.orderDetail(reference).first else { throw TestSupportError("no order \(reference)") }
            ids[reference] = detail.stored.id
        }
        return ids
    }

    /// An order with two lines, SKU-1 (GTIN 3600000000017) and SKU-2.
    static func order(_ id: String, _ status: OrderStatus, purchased: Date) -> Order {
        Order(marketplaceID: id, rawStatus: status.rawValue, status: status, fulfilledBy: .merchant, purchaseDate: purchased,
              currency: "EUR", total: 59.9, payment: "PAID",
              customer: Order.Customer(name: "Jeanne Dupont", email: "jeanne@example.com", phone: "+33 1 23 45 67 89"),
              shipping: Order.Address(line1: "13 place Aristide Briand", postalCode: "44000", city: "Nantes", countryCode: "FR"),
              lines: [OrderLine(number: 1, lineID: "\(id)-1", sku: "SKU-1", gtin: "3600000000017", title: "Sac cabas",
                                quantityOrdered: 1, lineTotal: 39.9),
                      OrderLine(number: 2, lineID: "\(id)-2", sku: "SKU-2", title: "Foulard", quantityOrdered: 2, lineTotal: 20)])
    }

    /// `count` more orders of shop_fr received at `date`, `BULK-0001`…
    static func bulkOrders(_ store: SQLiteStateStore, count: Int, at date: Date) throws {
        let orders = (1...count).map { index in
            order("BULK-" + String(format: "%04d", index), .waitingForShipment, purchased: date.addingTimeInterval(Double(-index) * 60))
        }
        _ = try store.upsertOrders(orders, channel: "shop_fr", marketplace: "mirakl", runID: nil, at: date)
    }
}
