import Foundation
import SyndicCore
import SyndicServer
import SyndicStore
import SyndicTransfer

/// The web console's orders page over a large state: N orders (received over the last 60
/// days, 1 in 100 with an error) in a SQLite state, `OrdersAPI` with its console on
/// 127.0.0.1, a session from a login link, then the page filtered by status and date (this
/// month) and sorted by errors, requested `requests` times in a row on one keep-alive
/// connection. Prints p50/p99 of the page, and of the same query straight from the store
/// (no HTTP, no rendering) measured in the same run.
enum ConsoleBenchmark {
    /// Requests measured, one after the other.
    static let requests = 500
    /// The orders a page shows, as the console's orders page does.
    static let pageSize = 50

    static func run(orders: Int) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-bench-console-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStateStore(path: directory + "/state.sqlite")
        say("web console: \(orders) orders in the state, \(requests) requests in a row on one connection")
        let now = Date()
        try time("store \(orders) orders") {
            try APIBenchmark.seed(store, orders: orders) { now.addingTimeInterval(-Double((($0 / 1000) % 60) * 86_400)) }
        }
        try time("record an error on 1 order in 100") { try recordErrors(store, orders: orders, at: now) }

        var options = APIServerOptions()
        options.port = 0
        let devNull = FileHandle(forWritingAtPath: "/dev/null")!
        let api = OrdersAPI(store: store, options: options, log: AccessLog { devNull.write(Data(($0 + "\n").utf8)) },
                            console: Console(store: store))
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = Task { try await api.run { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw BenchmarkError("the server did not start") }
        let base = "http://127.0.0.1:\(port)"
        let connection = HTTPConnection()
        let cookie = try logIn(store: store, base: base, connection: connection)

        let range = OrderDateRange.thisMonth
        var filter = OrderFilter()
        filter.statuses = [.waitingForShipment]
        let interval = range.interval(now: Date(), zone: TimeZone(identifier: "UTC")!)
        filter.receivedFrom = interval.start
        filter.receivedBefore = interval.end
        filter.sort = .errors
        filter.limit = pageSize
        let matching = try store.orders(filter).total
        say("filter: status WAITING_FOR_SHIPMENT, date \(range.rawValue), sort errors: \(matching) matching orders")

        let url = base + "/orders?status=WAITING_FOR_SHIPMENT&date=\(range.rawValue)&sort=errors"
        var failures = 0
        say("page: GET \(url.dropFirst(base.count))")
        let page = try measure("the orders page over HTTP (session, query, rendering)") {
            let response = try connection.send(HTTPRequest(url: url, headers: [("Cookie", cookie)]))
            if response.status != 200 || response.body.isEmpty { failures += 1 }
        }
        let peer = try measure("the same query from the store") { _ = try store.orders(filter) }
        server.cancel()
        _ = await server.result
        if failures > 0 { say("\(failures) of \(requests) page requests did not answer 200") }
        say(String(format: "rendering and HTTP add %.2f ms at p50, %.2f ms at p99", page.p50 - peer.p50, page.p99 - peer.p99))
        say("goal: the orders page answers in under 100 ms at the 99th percentile")
    }

    /// Records one error on every 100th order (its channel as `APIBenchmark.seed` chose it).
    static func recordErrors(_ store: SQLiteStateStore, orders: Int, at date: Date) throws {
        let channels = ["fr", "de", "es", "it"]
        for index in stride(from: 0, to: orders, by: 100) {
            try store.recordOrderError(channel: channels[(index / 1000) % channels.count],
                                       marketplaceID: APIBenchmark.orderID(index), runID: nil, stage: "export",
                                       message: "line 1: the ERP refused the order", at: date)
        }
    }

    /// Follows a new login link and returns the `Cookie` header of the session it opened.
    static func logIn(store: SQLiteStateStore, base: String, connection: HTTPConnection) throws -> String {
        let link = try ConsoleAuth.issueLoginLink(store: store, baseURL: base, next: "/orders", now: Date())
        let answer = try connection.send(HTTPRequest(url: link))
        guard answer.status == 303, let setCookie = answer.header("Set-Cookie"),
              let session = setCookie.split(separator: ";").first, session.hasPrefix("syndic_session=") else {
            throw BenchmarkError("the login link did not open a session: \(answer.status) \(answer.header("Set-Cookie") ?? "")")
        }
        return String(session)
    }

    /// Runs `body` `requests` times in a row and prints p50, p99 and max latency; returns
    /// p50 and p99 in milliseconds.
    static func measure(_ label: String, _ body: () throws -> Void) throws -> (p50: Double, p99: Double) {
        var latencies: [UInt64] = []
        latencies.reserveCapacity(requests)
        for _ in 0..<requests {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            latencies.append(DispatchTime.now().uptimeNanoseconds - start)
        }
        let percentile = Latencies(latencies).percentile
        say(label.padding(toLength: 64, withPad: " ", startingAt: 0)
            + String(format: "p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms", percentile(0.5), percentile(0.99), percentile(1)))
        return (percentile(0.5), percentile(0.99))
    }
}
