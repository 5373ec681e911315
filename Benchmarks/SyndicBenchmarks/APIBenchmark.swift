import Foundation
import SyndicCore
import SyndicServer
import SyndicStore
import SyndicTransfer

/// The Orders API under load: a state of N orders, the server on 127.0.0.1, and
/// keep-alive libcurl clients on threads calling the list and the detail endpoints. Prints
/// requests per second and p50/p90/p99 latency for each; the default page twice, beside its
/// peer: the same page built by the store and the JSON writer alone (no HTTP), so the share
/// HTTP takes is visible.
enum APIBenchmark {
    /// Clients sending at the same time, and how long each endpoint is measured.
    static let clients = 4
    static let seconds = 10.0
    /// Runs of the default page and of its peer (the figures are given with their spread).
    static let runs = 2

    static func run(orders: Int) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-bench-api-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStateStore(path: directory + "/state.sqlite")
        say("Orders API: \(orders) orders in the state, \(clients) keep-alive clients, \(Int(seconds)) s per endpoint")
        try time("store \(orders) orders") { try seed(store, orders: orders) }
        let (token, prefix, hash) = APIToken.generate()
        _ = try store.createAccessToken(name: "bench", hash: hash, prefix: prefix, at: Date())

        var options = APIServerOptions()
        options.port = 0
        let devNull = FileHandle(forWritingAtPath: "/dev/null")!
        // The access log is formatted and written as in production, to /dev/null.
        let api = OrdersAPI(store: store, options: options, log: AccessLog { devNull.write(Data(($0 + "\n").utf8)) })
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = Task { try await api.run { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw BenchmarkError("the server did not start") }
        let base = "http://127.0.0.1:\(port)"
        let channels = ["fr", "de", "es", "it"]

        let newest = Int64(orders)
        var defaultPage: [(rate: Double, p99: Double)] = []
        for run in 1...runs {
            defaultPage.append(measure("GET /api/v1/orders?limit=50 #\(run)", token: token) { generator in
                let cursor = Int64.random(in: 0..<max(1, newest - 50), using: &generator)
                return base + "/api/v1/orders?limit=50&cursor=\(cursor)"
            })
        }
        measure("GET /api/v1/orders?limit=20", token: token) { generator in
            let cursor = Int64.random(in: 0..<max(1, newest - 20), using: &generator)
            return base + "/api/v1/orders?limit=20&cursor=\(cursor)"
        }
        measure("GET /api/v1/orders?status&channel", token: token) { generator in
            let cursor = Int64.random(in: 0..<max(1, newest - 2000), using: &generator)
            return base + "/api/v1/orders?status=WAITING_FOR_SHIPMENT&channel=\(channels.randomElement(using: &generator)!)"
                + "&limit=50&cursor=\(cursor)"
        }
        measure("GET /api/v1/orders/{id}", token: token) { generator in
            base + "/api/v1/orders/" + orderID(Int.random(in: 0..<orders, using: &generator))
        }
        server.cancel()
        _ = await server.result
        let peer = (1...runs).map { measurePeer("store + writer alone, limit=50 #\($0)", store: store, orders: orders, limit: 50) }
        let rates = defaultPage.map { $0.rate }
        let share = 1 - rates.reduce(0, +) / max(1, peer.reduce(0, +))
        say("default page (limit=50): HTTP " + range(rates) + " req/s, p99 up to "
            + String(format: "%.2f ms", defaultPage.map { $0.p99 }.max() ?? 0)
            + " · store + writer alone " + range(peer) + " pages/s on \(peerThreads) threads"
            + String(format: " (HTTP takes %.0f%%)", share * 100)
            + " · goal ≥ 2,000 req/s with p99 < 50 ms")
    }

    /// The peer's threads: one per core, as many as the server has.
    static let peerThreads = ProcessInfo.processInfo.activeProcessorCount

    /// "low–high (spread s%)" of figures from several runs.
    static func range(_ values: [Double]) -> String {
        let low = values.min() ?? 0
        let high = values.max() ?? 0
        return String(format: "%.0f–%.0f (spread %.0f%%)", low, high, low > 0 ? (high - low) / low * 100 : 0)
    }

    /// The marketplace id of order `index`.
    static func orderID(_ index: Int) -> String { String(format: "BENCH-%07d", index) }

    /// Stores `orders` orders in four channels, in pages of 1,000 as the retrieval does; the
    /// page starting at order `index` is received at `receivedAt(index)`.
    static func seed(_ store: SQLiteStateStore, orders: Int, receivedAt: (Int) -> Date = { _ in Date() }) throws {
        let channels = ["fr", "de", "es", "it"]
        let statuses: [OrderStatus] = [.waitingForShipment, .waitingForShipment, .shipped, .pending, .canceled]
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        var index = 0
        while index < orders {
            let count = min(1000, orders - index)
            let channel = channels[(index / 1000) % channels.count]
            let page = (index..<index + count).map { number in
                let id = orderID(number)
                let status = statuses[number % statuses.count]
                let lines = (1...(1 + number % 3)).map {
                    OrderLine(number: $0, lineID: "\(id)-\($0)", sku: "SKU-\(number % 5000)-\($0)", gtin: "400000\(number % 10_000_000)",
                              title: "Product \(number % 5000) variant \($0)", quantityOrdered: 1 + $0 % 2,
                              quantityShipped: status == .shipped ? 1 + $0 % 2 : 0, lineTotal: Double(10 + $0))
                }
                return Order(marketplaceID: id, rawStatus: status.rawValue, status: status, fulfilledBy: .merchant,
                             purchaseDate: start.addingTimeInterval(Double(number) * 60), currency: "EUR",
                             total: lines.compactMap(\.lineTotal).reduce(0, +), payment: "card",
                             customer: Order.Customer(name: "Customer \(number)", email: "c\(number)@example.com"),
                             shipping: Order.Address(line1: "\(number) rue de la Paix", postalCode: "75002", city: "Paris",
                                                     countryCode: "FR"),
                             lines: lines)
            }
            _ = try store.upsertOrders(page, channel: channel, marketplace: "mirakl", runID: nil, at: receivedAt(index))
            index += count
        }
    }

    /// Runs the clients against the URLs `next` makes for `seconds`, then prints the figures;
    /// returns the requests per second and the p99 latency (ms).
    @discardableResult
    static func measure(_ label: String, token: String,
                        _ next: @escaping @Sendable (inout SystemRandomNumberGenerator) -> String) -> (rate: Double, p99: Double) {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        let results = Results()
        let group = DispatchGroup()
        for _ in 0..<clients {
            group.enter()
            Thread.detachNewThread {
                let connection = HTTPConnection()
                var generator = SystemRandomNumberGenerator()
                var latencies: [UInt64] = []
                var failures = 0
                var bytes = 0
                while DispatchTime.now().uptimeNanoseconds < deadline {
                    let request = HTTPRequest(url: next(&generator), headers: [("Authorization", "Bearer \(token)")])
                    let start = DispatchTime.now().uptimeNanoseconds
                    let response = try? connection.send(request)
                    latencies.append(DispatchTime.now().uptimeNanoseconds - start)
                    if response?.status != 200 { failures += 1 }
                    bytes += response?.body.count ?? 0
                }
                results.add(latencies, failures: failures, bytes: bytes)
                group.leave()
            }
        }
        group.wait()
        return report(label, results, unit: "req/s")
    }

    /// The default page as the list endpoint builds it (`orders`, `cursor`, `next`), by the
    /// store and the JSON writer alone — no HTTP, no token, no access log — on one thread
    /// per core for `seconds`, with random cursors; prints the figures and returns pages per
    /// second.
    static func measurePeer(_ label: String, store: SQLiteStateStore, orders: Int, limit: Int) -> Double {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        let results = Results()
        let group = DispatchGroup()
        for _ in 0..<peerThreads {
            group.enter()
            Thread.detachNewThread {
                var generator = SystemRandomNumberGenerator()
                var query = OrderPageQuery()
                query.limit = limit
                var latencies: [UInt64] = []
                var failures = 0
                var bytes = 0
                while DispatchTime.now().uptimeNanoseconds < deadline {
                    query.after = Int64.random(in: 0..<max(1, Int64(orders - limit)), using: &generator)
                    let start = DispatchTime.now().uptimeNanoseconds
                    var json = JSONWriter(capacity: 1024 + limit * 1536)
                    json.beginObject()
                    json.key("orders")
                    do {
                        let page = try store.writeOrderPage(query, into: &json)
                        json.key("cursor"); json.string(String(page.cursor))
                        json.key("next"); json.string(page.hasMore ? "/api/v1/orders?limit=\(limit)&cursor=\(page.cursor)" : nil)
                        json.endObject()
                    } catch {
                        failures += 1
                    }
                    latencies.append(DispatchTime.now().uptimeNanoseconds - start)
                    bytes += json.bytes.count
                }
                results.add(latencies, failures: failures, bytes: bytes)
                group.leave()
            }
        }
        group.wait()
        return report(label, results, unit: "pages/s").rate
    }

    /// Prints one line of figures (rate, latency percentiles, size, failures); returns the
    /// rate and the p99 latency (ms).
    static func report(_ label: String, _ results: Results, unit: String) -> (rate: Double, p99: Double) {
        let (latencies, failures, bytes) = results.all
        let measured = Latencies(latencies)
        let percentile = measured.percentile
        let rate = Double(measured.count) / seconds
        say(label.padding(toLength: 36, withPad: " ", startingAt: 0)
            + String(format: "%8.0f ", rate) + unit
            + String(format: "  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms  %6.1f KB/resp  %d failed",
                     percentile(0.50), percentile(0.90), percentile(0.99), percentile(1.0),
                     measured.count == 0 ? 0 : Double(bytes) / Double(measured.count) / 1024, failures))
        return (rate, percentile(0.99))
    }

    /// What the client threads measured.
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var latencies: [UInt64] = []
        private var failures = 0
        private var bytes = 0

        func add(_ more: [UInt64], failures: Int, bytes: Int) {
            lock.lock()
            latencies += more
            self.failures += failures
            self.bytes += bytes
            lock.unlock()
        }

        var all: ([UInt64], Int, Int) {
            lock.lock()
            defer { lock.unlock() }
            return (latencies, failures, bytes)
        }
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
