import Foundation
import SyndicCore
import SyndicStore
import Testing

/// `GET /api/v1/orders/{id}`: one order by either id, with lines, shipments, events and errors.
@Suite struct OrderDetailAPITests {
    typealias F = APIFixtures

    @Test func showsAnOrderByEitherIdWithEverythingKnown() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        var order = F.order("FR-1")
        order.cancellations = [Order.Cancellation(id: "C1", lineID: "FR-1-2", quantity: 1, reason: "buyer", at: F.t0)]
        try F.upsert(api.store, [order])
        try api.store.recordOrderError(channel: "shop", marketplaceID: "FR-1", runID: nil, stage: "export", message: "late",
                                       at: F.t0)
        _ = try api.store.applyShipments([ShipmentRequest(order: .marketplaceID("FR-1"), packageID: "7", trackingNumber: "1Z",
                                                          carrierCode: "UPS", shippingDate: F.t0, item: .lineNumber(1),
                                                          quantity: 2)],
                                         channel: "shop", source: "api", at: F.t0)
        let byMarketplace = try await api.send("/api/v1/orders/FR-1")
        #expect(byMarketplace.status == 200)
        let object = try byMarketplace.object
        let internalID = try #require(object["id"] as? String)
        #expect(object["order_id"] as? String == "FR-1")
        #expect(object["status"] as? String == "PARTIALLY_SHIPPED")
        #expect(object["cancellation_requested"] as? Bool == true)
        #expect((object["lines"] as? [[String: Any]])?.map { $0["quantity_shipped"] as? Int } == [2, 0])
        let shipment = try #require((object["shipments"] as? [[String: Any]])?.first)
        #expect(shipment["package_id"] as? String == "7")
        #expect(shipment["tracking_number"] as? String == "1Z")
        #expect(shipment["status"] as? String == "pending")
        #expect((shipment["items"] as? [[String: Any]])?.first?["quantity"] as? Int == 2)
        #expect((object["events"] as? [[String: Any]])?.first?["kind"] as? String == "cancellation-requested")
        #expect((object["errors"] as? [[String: Any]])?.first?["message"] as? String == "late")

        let byInternal = try await api.send("/api/v1/orders/\(internalID)")
        #expect(byInternal.status == 200)
        #expect(byInternal.text == byMarketplace.text)
        let upper = try await api.send("/api/v1/orders/\(internalID.uppercased())")
        #expect(upper.status == 200, "internal ids are read in any case")
    }

    @Test func idsArePercentDecoded() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        try F.upsert(api.store, [F.order("FR 1/2")])
        let response = try await api.send("/api/v1/orders/FR%201%2F2")
        #expect(response.status == 200, "\(response.text)")
        #expect(try response.object["order_id"] as? String == "FR 1/2")
        let bad = try await api.send("/api/v1/orders/FR%zz")
        #expect(bad.status == 400)
        #expect(bad.errorField == "id")
    }

    @Test func unknownAndAmbiguousIds() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        try F.upsert(api.store, [F.order("SAME")], channel: "fr")
        try F.upsert(api.store, [F.order("SAME")], channel: "de")

        let missing = try await api.send("/api/v1/orders/NOPE")
        #expect(missing.status == 404)
        #expect(missing.errorCode == "not_found")

        let ambiguous = try await api.send("/api/v1/orders/SAME")
        #expect(ambiguous.status == 409)
        #expect(ambiguous.errorCode == "ambiguous")
        let candidates = try #require((try ambiguous.object["error"] as? [String: Any])?["candidates"] as? [[String: Any]])
        #expect(candidates.compactMap { $0["channel"] as? String } == ["de", "fr"])

        let picked = try await api.send("/api/v1/orders/SAME?channel=fr")
        #expect(picked.status == 200)
        #expect(try picked.object["channel"] as? String == "fr")
        #expect(try await api.send("/api/v1/orders/SAME?channel=it").status == 404)
        let unknown = try await api.send("/api/v1/orders/SAME?expand=all")
        #expect(unknown.status == 400)
        #expect(unknown.errorField == "expand")
    }
}
