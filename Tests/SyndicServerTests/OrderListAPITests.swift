import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport
import Testing

/// `GET /api/v1/orders`: filters, strict parameters, and pages that stay correct while
/// orders change.
@Suite struct OrderListAPITests {
    typealias F = APIFixtures

    /// The marketplace ids of a page, and its `next`.
    static func page(_ api: APIHarness, _ path: String) async throws -> (ids: [String], next: String?, cursor: String) {
        let response = try await api.send(path)
        guard response.status == 200 else { throw TestSupportError("\(path): \(response.status) \(response.text)") }
        let object = try response.object
        let orders = try #require(object["orders"] as? [[String: Any]])
        return (orders.compactMap { $0["order_id"] as? String }, object["next"] as? String, try #require(object["cursor"] as? String))
    }

    @Test func filtersCombine() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        try F.upsert(api.store, [F.order("OLD", purchasedDaysAgo: 30), F.order("NEW"), F.order("GONE", status: .canceled)])
        try F.upsert(api.store, [F.order("DE1")], channel: "de", at: F.t0.addingTimeInterval(3600))
        try api.store.recordOrderError(channel: "shop", marketplaceID: "NEW", runID: nil, stage: "retrieval", message: "bad",
                                       at: F.t0)
        func ids(_ query: String) async throws -> [String] { try await Self.page(api, "/api/v1/orders?" + query).ids.sorted() }
        #expect(try await ids("") == ["DE1", "GONE", "NEW", "OLD"])
        #expect(try await ids("status=CANCELED") == ["GONE"])
        #expect(try await ids("status=CANCELED,WAITING_FOR_SHIPMENT&channel=shop") == ["GONE", "NEW", "OLD"])
        #expect(try await ids("status=CANCELED&status=WAITING_FOR_SHIPMENT&channel=de") == ["DE1"])
        #expect(try await ids("channel=de,shop&errors=yes") == ["NEW"])
        #expect(try await ids("channel=%20de%20,,") == ["DE1"], "spaces around names and empty names ignored")
        #expect(try await ids("errors=no&channel=shop") == ["GONE", "OLD"])
        #expect(try await ids("updated_since=2026-03-02T09:30:00Z") == ["DE1"])
        #expect(try await ids("purchased_from=2026-02-20") == ["DE1", "GONE", "NEW"])
        #expect(try await ids("purchased_from=2026-01-01&purchased_before=2026-02-20") == ["OLD"])
        #expect(try await ids("purchased_from=2026-01-01T00:00:00.000%2B01:00&purchased_before=2026-02-20t00:00:00z") == ["OLD"])
        #expect(try await ids("purchased_from=2026-03-02&purchased_before=2026-03-01") == [], "an empty range lists nothing")

        let detail = try await api.send("/api/v1/orders?status=WAITING_FOR_SHIPMENT&channel=shop&errors=yes")
        let order = try #require((try detail.object["orders"] as? [[String: Any]])?.first)
        #expect(order["errors"] as? Int == 1)
        #expect((order["lines"] as? [[String: Any]])?.map { $0["line_id"] as? String } == ["NEW-1", "NEW-2"])
        #expect((order["customer"] as? [String: Any])?["name"] as? String == "Jeanne \"JD\" Dupont")
        #expect(order["purchase_date"] as? String == "2026-03-01T09:00:00.000Z")
    }

    /// Every rule is the OpenAPI document's: what it does not allow is refused.
    @Test func badParametersAre400NamingTheParameter() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        let cases: [(String, String)] = [
            ("limit=0", "limit"), ("limit=501", "limit"), ("limit=ten", "limit"), ("limit=1&limit=2", "limit"),
            ("limit=%2B5", "limit"), ("limit=", "limit"),
            ("status=LOST", "status"), ("status=canceled", "status"), ("status=", "status"), ("status=CANCELED,", "status"),
            ("status=CANCELED,%20SHIPPED", "status"),
            ("updated_since=yesterday", "updated_since"), ("purchased_from=2026-13-01", "purchased_from"),
            ("updated_since=2026-03-02T09:30:00", "updated_since"), ("updated_since=2026-03-02T09:30Z", "updated_since"),
            ("updated_since=2026-03-02%2009:30:00Z", "updated_since"), ("purchased_before=2026-03-02T09:30:00%2B0100", "purchased_before"),
            ("purchased_before=2026-03-02T09:30:00%2B24:00", "purchased_before"),
            ("errors=maybe", "errors"), ("errors=YES", "errors"),
            ("cursor=-1", "cursor"), ("cursor=abc", "cursor"), ("cursor=", "cursor"), ("cursor=%2B1", "cursor"), ("cursor=1.5", "cursor"),
            ("sort=errors", "sort"),
        ]
        for (query, field) in cases {
            let response = try await api.send("/api/v1/orders?" + query)
            #expect(response.status == 400, "\(query)")
            #expect(response.errorField == field, "\(query): \(response.text)")
            #expect(response.errorCode == "invalid")
        }
    }

    @Test func pagesLinkToTheNextOneUntilTheLast() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        try F.upsert(api.store, (1...5).map { F.order("A\($0)") })
        let first = try await api.send("/api/v1/orders?limit=2&channel=shop")
        let next = try #require(try first.object["next"] as? String)
        #expect(next.hasPrefix("/api/v1/orders?limit=2&channel=shop&cursor="))
        #expect(first.header("Link") == "<\(next)>; rel=\"next\"")
        var ids = try await Self.page(api, "/api/v1/orders?limit=2&channel=shop").ids
        var link: String? = next
        while let path = link {
            let page = try await Self.page(api, path)
            ids += page.ids
            link = page.next
        }
        #expect(ids == ["A1", "A2", "A3", "A4", "A5"])
        let last = try await api.send("/api/v1/orders?limit=5")
        #expect(try last.object["next"] is NSNull)
        #expect(last.header("Link") == nil)
        let beyond = try await Self.page(api, "/api/v1/orders?cursor=123456789012345678901234567890")
        #expect(beyond.ids.isEmpty && beyond.next == nil, "digits beyond every change: past the last order")
    }

    /// Orders change (shipments reported, the marketplace's status) while a client pages:
    /// every order is listed, and one listed twice was changed in between.
    @Test func pagingUnderConcurrentUpdatesSkipsNothing() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        let count = 300
        try F.upsert(api.store, (1...count).map { F.order(String(format: "P%03d", $0), quantities: [3]) })
        let store = api.store
        let changed = LockedSet()
        let stop = LockedFlag()
        let updater = Thread {
            var generator = SystemRandomNumberGenerator()
            var round = 0
            while !stop.isSet {
                round += 1
                let id = String(format: "P%03d", Int.random(in: 1...count, using: &generator))
                changed.insert(id)
                if round % 2 == 0 {
                    _ = try? store.applyShipments([ShipmentRequest(order: .marketplaceID(id), packageID: "\(round)", trackingNumber: nil,
                                                                    carrierCode: nil, shippingDate: F.t0, item: .lineNumber(1),
                                                                    quantity: 1)],
                                                  channel: "shop", source: "api", at: Date())
                } else {
                    var order = F.order(id, quantities: [3])
                    order.rawStatus = "round-\(round)"
                    _ = try? store.upsertOrders([order], channel: "shop", marketplace: "mirakl", runID: nil, at: Date())
                }
                usleep(500)
            }
        }
        updater.start()
        var seen: [String] = []
        var link: String? = "/api/v1/orders?limit=17"
        var pages = 0
        while let path = link {
            let page = try await Self.page(api, path)
            seen += page.ids
            link = page.next
            pages += 1
        }
        stop.set()
        while !updater.isFinished { usleep(1000) }
        #expect(pages > count / 17, "paged while the updates ran")
        #expect(Set(seen).count == count, "no order skipped")
        let repeated = Dictionary(grouping: seen, by: { $0 }).filter { $0.value.count > 1 }.keys
        #expect(!changed.values.isEmpty)
        #expect(Set(repeated).isSubset(of: changed.values), "only a changed order comes twice")
    }
}

/// A set shared with the updater thread.
final class LockedSet: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Set<String> = []

    func insert(_ value: String) { lock.lock(); stored.insert(value); lock.unlock() }
    var values: Set<String> { lock.lock(); defer { lock.unlock() }; return stored }
}

/// A flag shared with the updater thread.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false

    func set() { lock.lock(); flag = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}
