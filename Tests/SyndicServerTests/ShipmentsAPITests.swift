import Foundation
import SyndicCore
import SyndicStore
import Testing

/// `POST /api/v1/shipments`: per-item results, the confirmation queue, strict bodies,
/// body limits and idempotent retries.
@Suite struct ShipmentsAPITests {
    typealias F = APIFixtures

    static let twoOrders = """
        {"shipments": [
          {"order_id": "A", "package_id": "P1", "tracking_number": "1Z1", "carrier_code": "UPS",
           "shipping_date": "2026-03-03T10:00:00Z", "items": [{"line_number": 1, "quantity": 1}, {"line_id": "A-2"}]},
          {"order_id": "B", "tracking_number": "1Z2", "shipping_date": 1772532000000},
          {"order_id": "C", "shipping_date": "2026-03-03T10:00:00Z", "items": [{"line_number": 1, "quantity": 9}]}
        ]}
        """

    /// The quantities shipped of an order's lines, as the API shows them.
    static func shipped(_ api: APIHarness, _ id: String) async throws -> [Int] {
        let lines = try #require(try await api.send("/api/v1/orders/\(id)").object["lines"] as? [[String: Any]])
        return lines.compactMap { $0["quantity_shipped"] as? Int }
    }

    @Test func eachItemIsAnsweredAndAcceptedOnesJoinTheConfirmationQueue() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        try F.upsert(api.store, [F.order("A"), F.order("B"), F.order("C")])
        let response = try await api.post("/api/v1/shipments", json: Self.twoOrders)
        #expect(response.status == 200, "\(response.text)")
        let object = try response.object
        #expect(object["accepted"] as? Int == 3)
        #expect(object["rejected"] as? Int == 1)
        #expect(object["replayed"] as? Bool == false)
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results.map { "\($0["shipment"] as? Int ?? -1)/\(($0["item"] as? Int).map(String.init) ?? "null")/\($0["status"] as? String ?? "")" }
                == ["0/0/accepted", "0/1/accepted", "1/null/accepted", "2/0/rejected"])
        #expect(results[3]["reason"] as? String == "item 1 of order C: 9 shipped but only 2 left to ship")

        let due = try api.store.dueShipments(channel: "shop", now: Date(), limit: 10)
        #expect(due.map(\.marketplaceOrderID) == ["A", "B"])
        #expect(due[0].packageID == "P1")
        #expect(due[0].items.map(\.quantity) == [1, 1])
        #expect(due[1].completesOrder)
        #expect(due[1].shippingDate == Date(timeIntervalSince1970: 1_772_532_000))
        let detail = try await api.send("/api/v1/orders/A")
        #expect(try detail.object["status"] as? String == "PARTIALLY_SHIPPED")
    }

    /// Amazon orders take only what Amazon's confirmShipment accepts: the item is rejected
    /// when it arrives, with the reason, rather than at push time.
    @Test func whatAmazonWouldRefuseIsRejectedOnArrival() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        try F.upsert(api.store, [F.order("402-1"), F.order("402-2")], channel: "amazon_fr", marketplace: "amazon")
        let response = try await api.post("/api/v1/shipments", json: """
            {"shipments": [
              {"order_id": "402-1", "package_id": "A1", "tracking_number": "1Z1", "carrier_code": "UPS",
               "shipping_date": "2026-03-03T10:00:00Z"},
              {"order_id": "402-2", "package_id": "2", "tracking_number": "1Z2", "carrier_code": "UPS",
               "shipping_date": "2026-03-03T10:00:00Z"}
            ]}
            """)
        #expect(response.status == 200, "\(response.text)")
        let results = try #require(try response.object["results"] as? [[String: Any]])
        #expect(results.map { $0["status"] as? String } == ["rejected", "accepted"])
        let reason = try #require(results.first?["reason"] as? String)
        #expect(reason.contains("package_id \"A1\" is not accepted by Amazon"), "\(reason)")
        #expect(try api.store.dueShipments(channel: "amazon_fr", now: Date(), limit: 10).map(\.marketplaceOrderID) == ["402-2"])
    }

    @Test func malformedBodiesAre400NamingTheField() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        try F.upsert(api.store, [F.order("A")])
        let cases: [(String, String)] = [
            ("{\"shipments\": [", "body"),
            ("[]", "body"),
            ("{}", "shipments"),
            ("{\"shipments\": []}", "shipments"),
            ("{\"shipments\": [{\"order_id\": \"A\"}]}", "shipments[0].shipping_date"),
            ("{\"shipments\": [{\"order_id\": \"A\", \"shipping_date\": \"soon\"}]}", "shipments[0].shipping_date"),
            ("{\"shipments\": [{\"order_id\": \"A\", \"shipping_date\": 1, \"items\": [{\"line_number\": 1, \"quantity\": -1}]}]}",
             "shipments[0].items[0].quantity"),
            ("{\"shipments\": [{\"order_id\": \"A\", \"shipping_date\": 1, \"tracking\": \"x\"}]}", "shipments[0].tracking"),
        ]
        for (body, field) in cases {
            let response = try await api.post("/api/v1/shipments", json: body)
            #expect(response.status == 400, "\(body)")
            #expect(response.errorField == field, "\(body): \(response.text)")
        }
        #expect(try api.store.dueShipments(channel: "shop", now: Date(), limit: 10).isEmpty, "nothing applied from a bad body")

        let form = try await api.send("POST", "/api/v1/shipments", body: Data("a=b".utf8),
                                      headers: [("Content-Type", "application/x-www-form-urlencoded")])
        #expect(form.status == 415)
        let badKey = try await api.post("/api/v1/shipments", json: Self.twoOrders, headers: [("Idempotency-Key", "has space")])
        #expect(badKey.status == 400)
        #expect(badKey.errorField == "Idempotency-Key")
    }

    @Test func oversizedBodiesAre413() async throws {
        let api = try await APIHarness { $0.maxBodyBytes = 4096 }
        defer { Task { await api.stop() } }
        try F.upsert(api.store, [F.order("A")])
        let padding = String(repeating: " ", count: 5000)
        let response = try await api.post("/api/v1/shipments",
                                          json: "{\"shipments\": [{\"order_id\": \"A\", \"shipping_date\": 1}]}" + padding)
        #expect(response.status == 413)
        #expect(response.errorCode == "too_large")
        #expect(response.errorField == "body")
        #expect(try api.store.dueShipments(channel: "shop", now: Date(), limit: 10).isEmpty)
        let small = try await api.post("/api/v1/shipments", json: "{\"shipments\": [{\"order_id\": \"A\", \"shipping_date\": 1}]}")
        #expect(small.status == 200, "a body under the limit is taken")
    }

    @Test func retriesWithTheSameKeyShipNothingTwice() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        try F.upsert(api.store, [F.order("A"), F.order("B"), F.order("C")])
        let key = [("Idempotency-Key", "erp-batch-42")]
        let first = try await api.post("/api/v1/shipments", json: Self.twoOrders, headers: key)
        let again = try await api.post("/api/v1/shipments", json: Self.twoOrders, headers: key)
        #expect(first.status == 200 && again.status == 200)
        #expect(again.header("Idempotent-Replayed") == "true")
        #expect(first.header("Idempotent-Replayed") == nil)
        #expect(try again.object["accepted"] as? Int == 3)
        #expect(try again.object["replayed"] as? Bool == true)
        #expect(try api.store.dueShipments(channel: "shop", now: Date(), limit: 10).count == 2)
        #expect(try await Self.shipped(api, "A") == [1, 1])

        let other = try await api.post("/api/v1/shipments", json: "{\"shipments\": [{\"order_id\": \"C\", \"shipping_date\": 1}]}",
                                       headers: key)
        #expect(other.status == 422)
        #expect(other.errorCode == "idempotency_key_reused")

        let withoutKey = try await api.post("/api/v1/shipments", json: Self.twoOrders)
        #expect(try withoutKey.object["duplicates"] as? Int == 3, "the same shipments without a key are duplicates")
        #expect(try api.store.dueShipments(channel: "shop", now: Date(), limit: 10).count == 2)
    }
}
