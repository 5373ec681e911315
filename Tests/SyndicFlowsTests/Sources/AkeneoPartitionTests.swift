import Foundation
import MetricsTestKit
import SyndicCore
import SyndicTestSupport
import SyndicTransfer
import Testing
@testable import SyndicFlows

/// Parallel full reads from Akeneo: the partition planner on catalogs known by their
/// products' `created` seconds (a fake counter filtering like Akeneo), then reads from the
/// simulator: each product exactly once, never more than 4 requests in flight, 429s waited
/// out, one cursor when the connection allows one request, the channel's filter in every
/// request.
@Suite struct AkeneoPartitionTests {
    // MARK: - The planner, with a fake counter

    /// A catalog known by its products' `created` seconds, filtered the way Akeneo filters
    /// `created` (whole seconds, `YYYY-MM-DD hh:mm:ss` in the PIM's offset).
    struct CreatedCatalog: Sendable {
        var created: [Int]
        var utcOffset = 0
        /// Seconds by which `>` reads its date earlier than `<` does: a PIM whose zone went
        /// back an hour reads the two sides of some boundaries an hour apart.
        var greaterSkew = 0

        /// Whether a product created at `second` passes the query's `created` conditions.
        func matches(_ second: Int, _ query: AkeneoQuery) -> Bool {
            for condition in query.search["created"]?.listValue ?? [] {
                guard let comparison = condition["operator"]?.stringValue, let text = condition["value"]?.stringValue,
                      let value = Self.seconds(text, utcOffset: utcOffset) else { return false }
                switch comparison {
                case "<": if second >= value { return false }
                case ">": if second <= value - greaterSkew { return false }
                default: return false
                }
            }
            return true
        }

        /// How many products pass the query's `created` conditions (read once, then compared).
        func count(_ query: AkeneoQuery) -> Int {
            var lowest = Int.min, highest = Int.max  // products created in lowest...highest pass
            for condition in query.search["created"]?.listValue ?? [] {
                guard let comparison = condition["operator"]?.stringValue, let text = condition["value"]?.stringValue,
                      let value = Self.seconds(text, utcOffset: utcOffset) else { return 0 }
                switch comparison {
                case "<": highest = min(highest, value - 1)
                case ">": lowest = max(lowest, value - greaterSkew + 1)
                default: return 0
                }
            }
            guard lowest <= highest else { return 0 }
            var passing = 0
            for second in created where second >= lowest && second <= highest { passing += 1 }
            return passing
        }

        /// Seconds since 1970 (UTC) of Akeneo's filter text at `utcOffset`.
        static func seconds(_ text: String, utcOffset: Int) -> Int? {
            let fields = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" }).compactMap { Int($0) }
            guard fields.count == 6, text.count == 19 else { return nil }
            return AkeneoTime.days(year: fields[0], month: fields[1], day: fields[2]) * 86_400
                + fields[3] * 3600 + fields[4] * 60 + fields[5] - utcOffset
        }

        /// `count` products created over `span` seconds from `start`, drawn from `seed`.
        static func spread(_ count: Int, from start: Int, over span: Int, seed: UInt64) -> [Int] {
            var state = seed
            return (0..<count).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return start + Int((state >> 33) % UInt64(span))
            }
        }
    }

    /// The queries a fake counter was asked, in any order.
    final class Probes: @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [AkeneoQuery] = []

        func record(_ query: AkeneoQuery) { lock.withLock { seen.append(query) } }
        var queries: [AkeneoQuery] { lock.withLock { seen } }
    }

    static let start2021 = 1_609_459_200
    static let fourYears = 4 * 365 * 86_400
    static let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01

    static func plan(_ catalog: CreatedCatalog, base: AkeneoQuery = AkeneoQuery(), partitions: Int = 8,
                     probes: Probes = Probes()) throws -> AkeneoPartitions {
        try AkeneoPartitions.plan(base, total: catalog.created.count, partitions: partitions, now: now,
                                  utcOffset: catalog.utcOffset) { query in
            probes.record(query)
            return catalog.count(query)
        }
    }

    /// Each product of `catalog` falls in exactly one of the partitions.
    static func expectEachProductInOnePartition(_ catalog: CreatedCatalog, _ partitions: AkeneoPartitions,
                                                sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let queries = partitions.queries(AkeneoQuery())
        let sizes = queries.map(catalog.count)
        #expect(sizes.reduce(0, +) == catalog.created.count, "\(sizes)", sourceLocation: sourceLocation)
        let misplaced = catalog.created.filter { second in queries.filter { catalog.matches(second, $0) }.count != 1 }
        #expect(misplaced.isEmpty, "\(misplaced.prefix(5))", sourceLocation: sourceLocation)
    }

    @Test func anEvenlyCreatedCatalogSplitsIntoEqualPartitions() throws {
        let catalog = CreatedCatalog(created: CreatedCatalog.spread(20_000, from: Self.start2021, over: Self.fourYears, seed: 7))
        let probes = Probes()
        let partitions = try Self.plan(catalog, probes: probes)
        #expect(partitions.count == 8)
        #expect(partitions.boundaries == partitions.boundaries.sorted())
        #expect(Set(partitions.boundaries).count == partitions.boundaries.count)
        Self.expectEachProductInOnePartition(catalog, partitions)
        // Within half a partition of an eighth each (the planner aims at a quarter).
        let sizes = partitions.queries(AkeneoQuery()).map(catalog.count)
        #expect(sizes.allSatisfy { abs($0 - 2_500) <= 1_250 }, "\(sizes)")
        // The search's rounds, then one to verify the boundaries.
        #expect(probes.queries.count <= AkeneoPartitions.maxRounds * 7 + 1 + 2 * 7)
    }

    @Test func aSkewedCatalogIsStillSplitExactly() throws {
        // Nine products in ten imported in one afternoon, the others over four years.
        let imported = CreatedCatalog.spread(9_000, from: Self.start2021 + 400 * 86_400, over: 4 * 3600, seed: 3)
        let catalog = CreatedCatalog(created: imported + CreatedCatalog.spread(1_000, from: Self.start2021, over: Self.fourYears,
                                                                              seed: 4))
        let partitions = try Self.plan(catalog)
        #expect(partitions.count > 4, "\(partitions.boundaries)")
        Self.expectEachProductInOnePartition(catalog, partitions)
    }

    /// Where Akeneo reads `created > b − 1 s` an hour before `created < b` (its zone went
    /// back an hour), products of that hour would match both: such a boundary is dropped.
    @Test func aBoundaryAkeneoDoesNotSplitExactlyIsDropped() throws {
        // 200 bursts of 100 products, half an hour apart: every boundary has a burst in the
        // hour before it.
        let bursts = (0..<200).flatMap { burst in Array(repeating: Self.start2021 + burst * 1_800, count: 100) }
        let exact = CreatedCatalog(created: bursts)
        #expect(try Self.plan(exact).count == 8)
        var skewed = exact
        skewed.greaterSkew = 3_600
        let partitions = try Self.plan(skewed)
        #expect(partitions.count == 1)
        Self.expectEachProductInOnePartition(skewed, partitions)
    }

    @Test func aCatalogCreatedInOneSecondIsOnePartition() throws {
        let second = Self.start2021 + 12_345
        let catalog = CreatedCatalog(created: Array(repeating: second, count: 5_000))
        let partitions = try Self.plan(catalog)
        #expect(partitions.count == 1)
        #expect(partitions.queries(AkeneoQuery()) == [AkeneoQuery()])
    }

    @Test func fewerProductsThanTheThresholdAreOneCursorWithoutCounting() throws {
        let catalog = CreatedCatalog(created: CreatedCatalog.spread(AkeneoPartitions.splitThreshold - 1, from: Self.start2021,
                                                                    over: Self.fourYears, seed: 5))
        let probes = Probes()
        #expect(try Self.plan(catalog, probes: probes).count == 1)
        #expect(probes.queries.isEmpty)
        // One reader wants one partition.
        let more = CreatedCatalog(created: CreatedCatalog.spread(10_000, from: Self.start2021, over: Self.fourYears, seed: 5))
        #expect(try Self.plan(more, partitions: 1, probes: probes).count == 1)
        #expect(probes.queries.isEmpty)
    }

    @Test func withoutACountTheReadIsOneCursor() throws {
        let partitions = try AkeneoPartitions.plan(AkeneoQuery(), total: 10_000, partitions: 8, now: Self.now,
                                                   utcOffset: 0) { _ in nil }
        #expect(partitions.count == 1)
    }

    @Test func aFailedCountFailsThePlan() {
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try AkeneoPartitions.plan(AkeneoQuery(), total: 10_000, partitions: 8, now: Self.now, utcOffset: 0) { _ in
                throw Refused()
            }
        }
    }

    /// b(i) − 1 s, b(i) and b(i) + 1 s each fall in one partition, the right one, in the
    /// PIM's offset.
    @Test func theBoundariesAreExactToTheSecondInThePIMsOffset() {
        let first = Self.start2021 + 1_000, second = Self.start2021 + 90_000
        let partitions = AkeneoPartitions(boundaries: [first, second], utcOffset: 7_200)
        let catalog = CreatedCatalog(created: [], utcOffset: 7_200)
        let queries = partitions.queries(AkeneoQuery())
        #expect(queries.count == 3)
        let placed = [first - 1, first, first + 1, second - 1, second, second + 1].map { created in
            queries.indices.filter { catalog.matches(created, queries[$0]) }
        }
        #expect(placed == [[0], [1], [1], [1], [2], [2]])
        // 2021-01-01 00:16:40 UTC is 02:16:40 at +02:00.
        #expect(partitions.condition("<", first) == .object(["operator": .string("<"), "value": .string("2021-01-01 02:16:40")]))
        #expect(queries[1].search["created"] == .list([
            .object(["operator": .string(">"), "value": .string("2021-01-01 02:16:39")]),
            .object(["operator": .string("<"), "value": .string("2021-01-02 03:00:00")]),
        ]))
    }

    /// The channel's filter stays in every count and every partition, the ranges ANDed to it.
    @Test func theChannelFilterIsInEveryCountAndPartition() throws {
        let filter: Value = .object(["enabled": .list([.object(["operator": .string("="), "value": .bool(true)])])])
        let base = AkeneoQuery(search: filter, scope: "ecommerce", locales: ["fr_FR"])
        let catalog = CreatedCatalog(created: CreatedCatalog.spread(8_000, from: Self.start2021, over: Self.fourYears, seed: 9))
        let probes = Probes()
        let partitions = try Self.plan(catalog, base: base, probes: probes)
        #expect(partitions.count > 1)
        for query in probes.queries + partitions.queries(base) {
            #expect(query.search["enabled"] == filter["enabled"])
            #expect(query.scope == "ecommerce" && query.locales == ["fr_FR"])
            #expect(Set((query.search.objectValue ?? [:]).keys).isSubset(of: ["created", "enabled"]))
        }
        #expect(partitions.queries(base).allSatisfy { $0.search.objectValue?.keys.sorted() == ["created", "enabled"] })
        #expect(probes.queries.allSatisfy { ($0.search["created"]?.listValue?.count ?? 0) <= 1 })
    }

    // MARK: - Reads from the simulator

    /// A catalog of 3,000 generated products (created over four years), shared by the tests.
    static let catalog: Result<String, any Error> = Result {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-partitions-\(UUID().uuidString).jsonl").path
        try CatalogGenerator.generate(count: 3_000, seed: 19, to: path)
        return path
    }

    /// The catalog's products: identifier, enabled, family.
    static func products() throws -> [(identifier: String, enabled: Bool, family: String?)] {
        let text = try String(contentsOfFile: try catalog.get(), encoding: .utf8)
        return try text.split(separator: "\n").map { line -> (identifier: String, enabled: Bool, family: String?) in
            let product = try CanonicalJSON.parse(String(line))
            return (product["identifier"]?.stringValue ?? "", product["enabled"]?.boolValue ?? false,
                    product["family"]?.stringValue)
        }
    }

    /// A simulator and the credentials it accepts (a user of its own: gates are shared by
    /// instance and credentials in the process, and a later simulator may get the same port).
    struct PIM {
        let server: LocalServer
        let credentials: AkeneoClient.Credentials
    }

    /// The simulator on the shared catalog: `delay` ms a products request, 429 above
    /// `maxConcurrent` requests in flight (0: no limit).
    static func simulator(delay: Int = 20, maxConcurrent: Int = 4) throws -> PIM {
        let user = "user_\(UUID().uuidString.prefix(8))"
        let server = try LocalServer(simulator: "akeneo_sim.py", arguments: [
            "--catalog", try catalog.get(), "--username", user, "--max-concurrent", String(maxConcurrent),
            "--page-delay", String(delay),
        ])
        return PIM(server: server, credentials: AkeneoClient.Credentials(clientId: "syndic_client", secret: "syndic_secret",
                                                                         username: user, password: "syndic_password"))
    }

    static func client(_ pim: PIM, maxConcurrentRequests: Int = 4,
                       metrics: ConnectorMetrics = ConnectorMetrics()) -> AkeneoClient {
        AkeneoClient(baseURL: pim.server.baseURL, credentials: pim.credentials,
                     http: HTTPClient(maxAttempts: 4, baseDelay: 1, maxDelay: 60, sleep: { _ in }), metrics: metrics,
                     maxConcurrentRequests: maxConcurrentRequests)
    }

    static let everything = AkeneoQuery(scope: "ecommerce", locales: ["fr_FR", "en_GB"])

    /// The identifiers a source hands on, in order.
    static func identifiers(_ source: AkeneoPartitionedSource) throws -> [String] {
        var read: [String] = []
        var positions: [Int] = []
        try source.forEachProduct { text, position in
            let product = try CanonicalJSON.parse(String(decoding: text, as: UTF8.self))
            read.append(product["identifier"]?.stringValue ?? "")
            positions.append(position)
        }
        #expect(positions == (0..<read.count).map { $0 + 1 })
        return read
    }

    /// How many times each identifier appears.
    static func tally(_ identifiers: [String]) -> [String: Int] {
        identifiers.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    /// The `created` conditions of the products list requests that start a partition.
    static func partitionsRead(_ server: LocalServer) throws -> Set<String> {
        let firstPages = try server.control.requests().filter {
            $0.path == "/api/rest/v1/products-uuid" && $0.params["pagination_type"] == "search_after"
                && $0.params["search_after"] == nil
        }
        return Set(try firstPages.map { request -> String in
            let search = try CanonicalJSON.parse(request.params["search"] ?? "{}")
            return search["created"].map(CanonicalJSON.string) ?? "none"
        })
    }

    @Test func aPartitionedReadReturnsEachProductExactlyOnce() throws {
        let pim = try Self.simulator()
        let server = pim.server
        defer { server.kill() }
        let source = AkeneoPartitionedSource(client: Self.client(pim), cancellation: CancellationFlag(),
                                             query: Self.everything, readers: 4)
        let read = try Self.identifiers(source)
        let expected = try Self.products().map(\.identifier)
        #expect(read.count == expected.count)
        #expect(Self.tally(read).values.allSatisfy { $0 == 1 })
        #expect(Set(read) == Set(expected))
        #expect(source.position == SourcePosition(done: expected.count, total: expected.count, unit: .items))
        #expect(source.watermark != nil)

        // Four readers at once, never more (the simulator refuses a fifth with 429: a refusal
        // here would be waited out, and would lower the permits).
        let stats = try server.control.get("stats")
        #expect(stats["max_in_flight"]?.intValue == 4, "\(stats)")
        let partitions = try Self.partitionsRead(server)
        #expect(partitions.count >= 2, "\(partitions)")
        #expect(!partitions.contains("none"))
    }

    @Test func productsCreatedAndUpdatedDuringTheReadAreReadAtMostOnce() throws {
        let pim = try Self.simulator()
        let server = pim.server
        defer { server.kill() }
        // A read makes more than 38 products requests (the count, at least 8 counts to plan the
        // partitions, at least 30 pages): these land while it runs.
        let prefix = Value.string("/api/rest/v1/products-uuid")
        let updated = try server.control.post("update-products", .object([
            "count": .int(40), "seed": .int(3), "after_requests": .int(30), "path_prefix": prefix,
        ]))
        try server.control.post("create-products", .object(["count": .int(25), "after_requests": .int(34), "path_prefix": prefix]))
        let source = AkeneoPartitionedSource(client: Self.client(pim), cancellation: CancellationFlag(),
                                             query: Self.everything, readers: 4)
        let tally = Self.tally(try Self.identifiers(source))
        #expect(try server.control.requests().filter { $0.path == "/api/rest/v1/products-uuid" }.count > 34)
        #expect(tally.values.allSatisfy { $0 == 1 }, "\(tally.filter { $0.value > 1 })")
        // Every product there before the read is read once, updated or not; new ones at most once.
        let before = try Self.products().map(\.identifier)
        #expect(before.allSatisfy { tally[$0] == 1 })
        let changed = updated["updated"]?.listValue?.compactMap(\.stringValue) ?? []
        #expect(changed.count == 40, "\(updated)")
        #expect(changed.allSatisfy { tally[$0] == 1 })
    }

    @Test func rateLimitsAreWaitedOutAndTheReadCompletes() throws {
        // Only the injected 429s: no limit of requests in flight.
        let pim = try Self.simulator(maxConcurrent: 0)
        let server = pim.server
        defer { server.kill() }
        try server.control.fail("/api/rest/v1/products-uuid", status: 429, count: 6, retryAfter: 1)
        let metrics = TestMetrics()
        let client = Self.client(pim, metrics: ConnectorMetrics(factory: metrics))
        let source = AkeneoPartitionedSource(client: client, cancellation: CancellationFlag(), query: Self.everything, readers: 4)
        let read = try Self.identifiers(source)
        let expected = try Self.products().map(\.identifier)
        #expect(read.count == expected.count)
        #expect(Set(read) == Set(expected))
        let host = "127.0.0.1:\(server.port)"
        #expect(metrics.counterTotal(label: ConnectorMetrics.Name.calls, dimensions: [("host", host), ("status", "429")]) == 6)
        // Each 429 waited its Retry-After (1 s), the transport's waits and the client's alike.
        #expect(metrics.counterTotal(label: ConnectorMetrics.Name.quotaWait, dimensions: [("host", host)]) == 6)
        #expect(client.gate.permits < client.gate.maximum, "a 429 lowers the permits for a while")
    }

    /// The first request gets more 429s than the transport's attempts: the client goes on.
    @Test func aGetOutlastsTheTransportsAttemptsOn429() throws {
        let pim = try Self.simulator(delay: 0, maxConcurrent: 0)
        let server = pim.server
        defer { server.kill() }
        try server.control.fail("/api/rest/v1/channels", status: 429, count: 6, retryAfter: 2)
        let metrics = TestMetrics()
        let client = Self.client(pim, metrics: ConnectorMetrics(factory: metrics))
        let response = try client.call("GET", url: server.baseURL + "/api/rest/v1/channels")
        #expect(response.status == 200)
        let host = "127.0.0.1:\(server.port)"
        #expect(metrics.counterTotal(label: ConnectorMetrics.Name.quotaWait, dimensions: [("host", host)]) == 12)
        // Past `rateLimitedAttempts`, the 429 is the answer.
        try server.control.fail("/api/rest/v1/channels", status: 429, count: 20, retryAfter: 1)
        let refused = try client.call("GET", url: server.baseURL + "/api/rest/v1/channels")
        #expect(refused.status == 429)
        let attempts = try server.control.requests().filter { $0.path == "/api/rest/v1/channels" }.count
        #expect(attempts == 7 + AkeneoClient.rateLimitedAttempts)
    }

    @Test func oneCursorWhenTheConnectionSaysOne() throws {
        let pim = try Self.simulator()
        let server = pim.server
        defer { server.kill() }
        let source = AkeneoPartitionedSource(client: Self.client(pim, maxConcurrentRequests: 1),
                                             cancellation: CancellationFlag(), query: Self.everything, readers: 4)
        let read = try Self.identifiers(source)
        #expect(read.count == 3_000)
        #expect(Set(read).count == 3_000)
        #expect(try Self.partitionsRead(server) == ["none"])
        let stats = try server.control.get("stats")
        #expect(stats["max_in_flight"]?.intValue == 1, "\(stats)")
    }

    @Test func theChannelFilterIsPushedWithThePartitions() throws {
        let pim = try Self.simulator()
        let server = pim.server
        defer { server.kill() }
        let filter: Value = .object([
            "enabled": .list([.object(["operator": .string("="), "value": .bool(true)])]),
            "family": .list([.object(["operator": .string("IN"), "value": .list([.string("shoes"), .string("bags"), .string("clothing")])])]),
        ])
        let query = AkeneoQuery(search: filter, scope: "ecommerce", locales: ["fr_FR", "en_GB"])
        let source = AkeneoPartitionedSource(client: Self.client(pim), cancellation: CancellationFlag(), query: query,
                                             readers: 4)
        let read = try Self.identifiers(source)
        let expected = try Self.products().filter { $0.enabled && ["shoes", "bags", "clothing"].contains($0.family ?? "") }.map(\.identifier)
        try #require(expected.count >= AkeneoPartitions.splitThreshold, "the filtered catalog must be split")
        #expect(read.sorted() == expected.sorted())
        let requests = try server.control.requests().filter { $0.path == "/api/rest/v1/products-uuid" }
        #expect(requests.count > 8)
        for request in requests {
            let search = try CanonicalJSON.parse(request.params["search"] ?? "{}")
            #expect(search["enabled"] == filter["enabled"] && search["family"] == filter["family"], "\(request)")
        }
        #expect(try Self.partitionsRead(server).count >= 2)
    }

    @Test func aFailedPageFailsTheReadWithItsError() throws {
        let pim = try Self.simulator()
        let server = pim.server
        defer { server.kill() }
        try server.control.fail("/api/rest/v1/products-uuid", status: 400, count: 1, queryContains: "search_after=")
        let source = AkeneoPartitionedSource(client: Self.client(pim), cancellation: CancellationFlag(),
                                             query: Self.everything, readers: 4)
        var read = 0
        var failure: (any Error)?
        do {
            try source.forEachProduct { _, _ in read += 1 }
        } catch {
            failure = error
        }
        let flowError = try #require(failure as? FlowError, "\(String(describing: failure))")
        #expect(flowError.message.contains("HTTP 400"), "\(flowError.message)")
        #expect(read < 3_000)
    }

    @Test func raisingTheCancellationFlagStopsTheRead() throws {
        let pim = try Self.simulator()
        let server = pim.server
        defer { server.kill() }
        let cancellation = CancellationFlag()
        let source = AkeneoPartitionedSource(client: Self.client(pim), cancellation: cancellation,
                                             query: Self.everything, readers: 4)
        var read = 0
        var failure: (any Error)?
        do {
            try source.forEachProduct { _, _ in
                read += 1
                if read == 150 { cancellation.cancel() }
            }
        } catch {
            failure = error
        }
        #expect(failure is CancellationError, "\(String(describing: failure))")
        #expect(read >= 150 && read < 3_000)
    }
}
