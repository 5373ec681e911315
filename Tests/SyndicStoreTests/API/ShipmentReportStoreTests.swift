import Foundation
import SyndicCore
import Testing
@testable import SyndicStore

/// Shipments reported through the Orders API: the order's channel found from its id,
/// one transaction, idempotency keys.
@Suite struct ShipmentReportStoreTests {
    typealias F = OrderFixtures

    static func reported(_ request: ShipmentRequest, channel: String? = nil, shipment: Int = 0) -> ReportedShipment {
        ReportedShipment(shipment: shipment, item: nil, channel: channel, request: request)
    }

    @Test(arguments: StateBackend.allCases)
    func findsEachOrdersChannelAndQueuesTheShipments(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A")], channel: "fr")
        try F.upsert(store, [F.order("B")], channel: "de")
        let internalB = try F.stored(store, "B").id
        let report = try store.reportShipments([Self.reported(F.shipment("A")),
                                                Self.reported(F.shipment(internalB, byInternalID: true))],
                                               idempotencyKey: nil, requestDigest: "d", at: F.at(10))
        guard case .applied(let outcomes) = report, outcomes.count == 2 else { Issue.record("\(report)"); return }
        #expect(outcomes.allSatisfy { if case .applied = $0 { true } else { false } })
        #expect(try store.dueShipments(channel: "fr", now: F.at(11), limit: 10).map(\.marketplaceOrderID) == ["A"])
        #expect(try store.dueShipments(channel: "de", now: F.at(11), limit: 10).map(\.marketplaceOrderID) == ["B"])
        #expect(try F.detail(store, "A").shipments.map(\.source) == ["api"])
        // Sequences stay unique across the channels of one report.
        let sequences = try (F.changed(store, channel: "fr").orders + F.changed(store, channel: "de").orders).map(\.changeSequence)
        #expect(Set(sequences).count == sequences.count)
    }

    @Test(arguments: StateBackend.allCases)
    func rejectsWhatNamesNoSingleOrder(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A")], channel: "fr")
        try F.upsert(store, [F.order("A")], channel: "de")
        try F.upsert(store, [F.order("B")], channel: "fr")
        let internalB = try F.stored(store, "B").id
        let report = try store.reportShipments([
            Self.reported(F.shipment("A")),
            Self.reported(F.shipment("A"), channel: "de"),
            Self.reported(F.shipment("NOPE")),
            Self.reported(F.shipment(internalB, byInternalID: true), channel: "de"),
        ], idempotencyKey: nil, requestDigest: "d", at: F.at(10))
        guard case .applied(let outcomes) = report else { Issue.record("\(report)"); return }
        #expect(outcomes[0] == .rejected(reason: "orders A exist in channels de, fr: name the channel"))
        if case .applied = outcomes[1] {} else { Issue.record("named channel not applied: \(outcomes[1])") }
        #expect(outcomes[2] == .rejected(reason: "no order NOPE"))
        #expect(outcomes[3] == .rejected(reason: "order \(internalB) belongs to channel fr, not de"))
    }

    @Test(arguments: StateBackend.allCases)
    func anIdempotencyKeyReplaysTheFirstAnswer(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A", quantities: [2])])
        let request = [Self.reported(F.shipment("A", item: .lineNumber(1), quantity: 1))]
        let first = try store.reportShipments(request, idempotencyKey: "k1", requestDigest: "d1", at: F.at(10))
        guard case .applied(let outcomes) = first else { Issue.record("\(first)"); return }
        #expect(try store.reportShipments(request, idempotencyKey: "k1", requestDigest: "d1", at: F.at(11)) == .replayed(outcomes))
        #expect(try store.reportShipments(request, idempotencyKey: "k1", requestDigest: "other", at: F.at(11)) == .keyReused)
        #expect(try F.detail(store, "A").stored.order.lines.map(\.quantityShipped) == [1], "shipped once")
        // Without the key the same shipment is a duplicate: still shipped once.
        #expect(try store.reportShipments(request, idempotencyKey: nil, requestDigest: "d1", at: F.at(12)) == .applied([.duplicate]))
        // After 24 hours the key is forgotten; the shipment itself is still known.
        #expect(try store.reportShipments(request, idempotencyKey: "k1", requestDigest: "d1", at: F.at(10 + 24 * 60 + 1))
                == .applied([.duplicate]))
        #expect(try F.detail(store, "A").stored.order.lines.map(\.quantityShipped) == [1])
    }

    @Test(arguments: StateBackend.allCases)
    func countsForMetrics(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A"), F.order("B")], channel: "fr")
        try F.upsert(store, [F.order("C")], channel: "de")
        _ = try store.applyShipments([F.shipment("A")], channel: "fr", source: "api", at: F.at(5))
        let counts = try store.operationalCounts()
        #expect(counts.orders == ["fr": 2, "de": 1])
        #expect(counts.shipments == ["pending": 1])
        #expect(counts.runs.isEmpty)
        try store.ping()
    }
}
