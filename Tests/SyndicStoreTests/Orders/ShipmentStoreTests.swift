import Foundation
import SyndicCore
import Testing
@testable import SyndicStore

/// Shipments reported to syndic (FTP import, Orders API): applied to their orders once, kept
/// across re-fetches, queued for confirmation, retried, failed for good.
@Suite struct ShipmentStoreTests {
    typealias F = OrderFixtures

    static func apply(_ store: any StateStore, _ requests: [ShipmentRequest], channel: String = "shop",
                      at date: Date = F.at(60)) throws -> [ShipmentOutcome] {
        try store.applyShipments(requests, channel: channel, source: "ftp:shipments.csv", at: date)
    }

    static func shipped(_ store: any StateStore, _ id: String) throws -> [Int] {
        try F.detail(store, id).stored.order.lines.map(\.quantityShipped)
    }

    static func reason(_ outcome: ShipmentOutcome?) -> String? {
        if case .rejected(let reason) = outcome { return reason }
        return nil
    }

    // MARK: - Applying

    @Test(arguments: StateBackend.allCases)
    func aPartialShipmentThenTheRestShipTheOrder(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A", quantities: [2, 1])])
        let before = try F.stored(store, "A")

        let partial = try Self.apply(store, [F.shipment("A", item: .lineNumber(1), quantity: 1)])
        guard case .applied = partial.first else { Issue.record("not applied: \(partial)"); return }
        #expect(try Self.shipped(store, "A") == [1, 0])
        let afterPartial = try F.stored(store, "A")
        #expect(afterPartial.order.status == .partiallyShipped)
        #expect(afterPartial.order.rawStatus == "WAITING_FOR_SHIPMENT", "the marketplace's status is kept as it wrote it")
        #expect(afterPartial.changeSequence > before.changeSequence, "a shipment is a change the export sends")
        #expect(afterPartial.updatedAt == F.at(60))

        let rest = try Self.apply(store, [F.shipment("A", tracking: "T-2")], at: F.at(61))
        guard case .applied = rest.first else { Issue.record("not applied: \(rest)"); return }
        #expect(try Self.shipped(store, "A") == [2, 1])
        #expect(try F.stored(store, "A").order.status == .shipped)
        let shipments = try F.detail(store, "A").shipments
        #expect(shipments.map(\.items) == [[.init(lineNumber: 1, quantity: 1)],
                                           [.init(lineNumber: 1, quantity: 1), .init(lineNumber: 2, quantity: 1)]])
        #expect(shipments.map(\.source) == ["ftp:shipments.csv", "ftp:shipments.csv"])
        #expect(shipments.map(\.status) == ["pending", "pending"])
        #expect(shipments.map(\.trackingNumber) == ["T-1", "T-2"])
        #expect(shipments.map(\.carrierCode) == ["UPS", "UPS"])
        #expect(shipments.map(\.shippingDate) == [F.shippedAt, F.shippedAt])
    }

    @Test(arguments: StateBackend.allCases)
    func theSameRequestAgainIsADuplicateAndShipsNothingTwice(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A", quantities: [3])])
        let request = F.shipment("A", item: .marketplaceLineID("A-1"), quantity: 1)
        let first = try Self.apply(store, [request])
        guard case .applied = first.first else { Issue.record("not applied: \(first)"); return }
        let sequence = try F.stored(store, "A").changeSequence
        // In a later import, and twice within one.
        #expect(try Self.apply(store, [request], at: F.at(90)) == [.duplicate])
        #expect(try Self.apply(store, [F.shipment("A", item: .lineNumber(1), quantity: 1, tracking: "T-9"),
                                       F.shipment("A", item: .lineNumber(1), quantity: 1, tracking: "T-9")],
                               at: F.at(91)).last == .duplicate)
        #expect(try Self.shipped(store, "A") == [2])
        #expect(try F.detail(store, "A").shipments.count == 2)
        #expect(try F.stored(store, "A").changeSequence > sequence)
        #expect(try F.owned(store, "shop", "shipment requests") == 2)
    }

    @Test(arguments: StateBackend.allCases)
    func lineItemsOfOnePackageJoinOneShipment(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A", quantities: [2, 1])])
        let outcomes = try Self.apply(store, [F.shipment("A", item: .lineNumber(1), quantity: 1),
                                              F.shipment("A", item: .lineNumber(2), quantity: 1),
                                              F.shipment("A", item: .lineNumber(1), quantity: 1, package: "2")])
        guard case .applied(let first) = outcomes[0], case .applied(let second) = outcomes[1],
              case .applied(let third) = outcomes[2] else { Issue.record("not applied: \(outcomes)"); return }
        #expect(first == second)
        #expect(third != first)
        #expect(try F.detail(store, "A").shipments.map(\.items.count) == [2, 1])
        #expect(try F.stored(store, "A").order.status == .shipped)
    }

    @Test(arguments: StateBackend.allCases)
    func theInternalIdNamesTheOrderInAnyCase(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A", quantities: [1])])
        let id = try F.stored(store, "A").id
        let outcome = try Self.apply(store, [F.shipment(id.uppercased(), byInternalID: true)])
        guard case .applied = outcome.first else { Issue.record("not applied: \(outcome)"); return }
        #expect(try F.stored(store, "A").order.status == .shipped)
    }

    // MARK: - Rejections

    @Test(arguments: StateBackend.allCases)
    func requestsThatCannotShipAreRejectedWithAReason(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [
            F.order("A", quantities: [2, 1]),
            F.order("FBA", rawStatus: "Unshipped", fulfilledBy: .marketplace, quantities: [1]),
            F.order("CAN", status: .canceled, quantities: [1]),
            F.order("REF", status: .refused, quantities: [1]),
            F.order("DONE", status: .shipped, quantities: [1]),
        ])
        try F.upsert(store, [F.order("ELSEWHERE", quantities: [1])], channel: "outlet")
        // DONE shipped on the marketplace already.
        var done = F.order("DONE", status: .shipped, quantities: [1])
        done.lines[0].quantityShipped = 1
        try F.upsert(store, [done], at: F.at(1))
        let outcomes = try Self.apply(store, [
            F.shipment("NOPE"),
            F.shipment("ELSEWHERE"),
            F.shipment("A", item: .lineNumber(9)),
            F.shipment("A", item: .marketplaceLineID("A-9"), quantity: 1),
            F.shipment("A", item: .lineNumber(1), quantity: 3),
            F.shipment("FBA"),
            F.shipment("CAN"),
            F.shipment("REF"),
            F.shipment("DONE"),
            F.shipment("DONE", item: .lineNumber(1), quantity: 1),
            F.shipment("00000000-0000-0000-0000-000000000000", byInternalID: true),
        ])
        #expect(outcomes.map(Self.reason) == [
            "no order NOPE in channel shop",
            "no order ELSEWHERE in channel shop",
            "order A has no item 9",
            "order A has no item A-9",
            "item 1 of order A: 3 shipped but only 2 left to ship",
            "order FBA is fulfilled by the marketplace: the merchant never confirms it",
            "order CAN is CANCELED: nothing can ship",
            "order REF is REFUSED: nothing can ship",
            "order DONE has nothing left to ship",
            "item 1 of order DONE has nothing left to ship",
            "no order 00000000-0000-0000-0000-000000000000 in channel shop",
        ])
        #expect(try Self.shipped(store, "A") == [0, 0])
        #expect(try F.stored(store, "A").order.status == .waitingForShipment)
        #expect(try F.owned(store, "shop", "shipments") == 0)
        #expect(try F.owned(store, "shop", "shipment requests") == 0, "a rejected request may be sent again once fixed")
    }

    @Test(arguments: StateBackend.allCases)
    func canceledUnitsAreNotLeftToShip(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        var order = F.order("A", quantities: [3])
        order.lines[0].quantityCanceled = 1
        try F.upsert(store, [order])
        #expect(Self.reason(try Self.apply(store, [F.shipment("A", item: .lineNumber(1), quantity: 3)]).first)
            == "item 1 of order A: 3 shipped but only 2 left to ship")
        let outcome = try Self.apply(store, [F.shipment("A")], at: F.at(61))
        guard case .applied = outcome.first else { Issue.record("not applied: \(outcome)"); return }
        #expect(try Self.shipped(store, "A") == [2])
        #expect(try F.stored(store, "A").order.status == .shipped)
    }

    // MARK: - Re-fetches

    @Test(arguments: StateBackend.allCases)
    func aRefetchWithTheOldStatusKeepsTheReportedShipment(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A", quantities: [2, 1]), F.order("B", quantities: [2, 1])])
        _ = try Self.apply(store, [F.shipment("A"), F.shipment("B", item: .lineNumber(1), quantity: 2)])
        #expect(try F.stored(store, "A").order.status == .shipped)
        #expect(try F.stored(store, "B").order.status == .partiallyShipped)

        // The marketplace has not seen the confirmation yet: same status, nothing shipped, but
        // something else changed (its update date), so the order is written again.
        var staleA = F.order("A", quantities: [2, 1])
        staleA.marketplaceUpdatedAt = F.at(70)
        var staleB = F.order("B", quantities: [2, 1])
        staleB.marketplaceUpdatedAt = F.at(70)
        let summary = try F.upsert(store, [staleA, staleB], at: F.at(75))
        #expect(summary.updated == 2)
        let a = try F.stored(store, "A")
        #expect(a.order.status == .shipped)
        #expect(a.order.rawStatus == "WAITING_FOR_SHIPMENT")
        #expect(a.order.marketplaceUpdatedAt == F.at(70))
        #expect(try Self.shipped(store, "A") == [2, 1])
        #expect(try F.stored(store, "B").order.status == .partiallyShipped)
        #expect(try Self.shipped(store, "B") == [2, 0])
        // What was reported is still not to ship again.
        #expect(Self.reason(try Self.apply(store, [F.shipment("A", tracking: "T-3")], at: F.at(80)).first)
            == "order A has nothing left to ship")
    }

    @Test(arguments: StateBackend.allCases)
    func theMarketplacesOwnShipmentsCountToo(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A", quantities: [2, 1])])
        _ = try Self.apply(store, [F.shipment("A", item: .lineNumber(1), quantity: 1)])
        // The marketplace now says line 2 shipped (confirmed some other way).
        var fetched = F.order("A", status: .partiallyShipped, quantities: [2, 1])
        fetched.lines[1].quantityShipped = 1
        try F.upsert(store, [fetched], at: F.at(75))
        #expect(try Self.shipped(store, "A") == [1, 1])
        #expect(try F.stored(store, "A").order.status == .partiallyShipped)
        let rest = try Self.apply(store, [F.shipment("A", tracking: "T-2")], at: F.at(80))
        guard case .applied = rest.first else { Issue.record("not applied: \(rest)"); return }
        #expect(try Self.shipped(store, "A") == [2, 1])
        #expect(try F.stored(store, "A").order.status == .shipped)
        #expect(try F.detail(store, "A").shipments.last?.items == [.init(lineNumber: 1, quantity: 1)])
    }

    @Test(arguments: StateBackend.allCases)
    func aCancellationOnTheMarketplaceWinsOverAReportedShipment(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A", quantities: [2])])
        _ = try Self.apply(store, [F.shipment("A", item: .lineNumber(1), quantity: 1)])
        try F.upsert(store, [F.order("A", status: .canceled, quantities: [2])], at: F.at(75))
        #expect(try F.stored(store, "A").order.status == .canceled)
    }

    // MARK: - Confirmation queue

    @Test(arguments: StateBackend.allCases)
    func dueShipmentsCarryMarketplaceLineIdsAndWhetherTheyCompleteTheOrder(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A", quantities: [2, 1]), F.order("B", quantities: [1])])
        _ = try Self.apply(store, [F.shipment("A", item: .lineNumber(2)), F.shipment("B", tracking: nil)])
        var due = try store.dueShipments(channel: "shop", now: F.at(60), limit: 10)
        #expect(due.map(\.marketplaceOrderID) == ["A", "B"])
        #expect(due[0].items.map(\.lineID) == ["A-2"])
        #expect(due[0].items.map(\.quantity) == [1])
        #expect(due[0].completesOrder == false)
        #expect(due[0].orderID == (try F.stored(store, "A").id))
        #expect(due[0].packageID == "1")
        #expect(due[0].trackingNumber == "T-1")
        #expect(due[0].carrierCode == "UPS")
        #expect(due[0].shippingDate == F.shippedAt)
        #expect(due[0].attempts == 0)
        #expect(due[1].items.map(\.lineID) == ["B-1"])
        #expect(due[1].trackingNumber == nil)
        #expect(due[1].completesOrder == true)

        _ = try Self.apply(store, [F.shipment("A", item: .marketplaceLineID("A-1"), tracking: "T-2")], at: F.at(61))
        due = try store.dueShipments(channel: "shop", now: F.at(61), limit: 10)
        #expect(due.map(\.completesOrder) == [true, true, true], "the order is whole once the last part is reported")
        #expect(due.last?.items.map(\.lineID) == ["A-1"])
        #expect(due.last?.items.map(\.quantity) == [2])
        #expect(try store.dueShipments(channel: "shop", now: F.at(61), limit: 1).count == 1)
        #expect(try store.dueShipments(channel: "outlet", now: F.at(61), limit: 10).isEmpty)
    }

    @Test(arguments: StateBackend.allCases)
    func aConfirmedShipmentIsNoLongerDue(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A")])
        _ = try Self.apply(store, [F.shipment("A")])
        let due = try #require(try store.dueShipments(channel: "shop", now: F.at(60), limit: 10).first)
        try store.markShipmentConfirmed(id: due.id, at: F.at(62))
        #expect(try store.dueShipments(channel: "shop", now: F.at(600), limit: 10).isEmpty)
        let shipment = try #require(try F.detail(store, "A").shipments.first)
        #expect(shipment.status == "confirmed")
        #expect(shipment.confirmedAt == F.at(62))
        #expect(shipment.attempts == 1)
        #expect(shipment.lastError == nil)
    }

    @Test(arguments: StateBackend.allCases)
    func aFailedAttemptWithARetryIsDueAgainOnlyThen(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A")])
        _ = try Self.apply(store, [F.shipment("A")])
        let due = try #require(try store.dueShipments(channel: "shop", now: F.at(60), limit: 10).first)
        try store.markShipmentAttemptFailed(id: due.id, error: "HTTP 503", retryAt: F.at(70), runID: 4, at: F.at(61))
        #expect(try store.dueShipments(channel: "shop", now: F.at(69), limit: 10).isEmpty)
        let again = try store.dueShipments(channel: "shop", now: F.at(70), limit: 10)
        #expect(again.map(\.id) == [due.id])
        #expect(again.map(\.attempts) == [1])
        #expect(try store.dueShipments(channel: "shop", now: F.at(71), limit: 10).map(\.id) == [due.id])
        let detail = try F.detail(store, "A")
        #expect(detail.shipments.map(\.status) == ["pending"])
        #expect(detail.shipments.map(\.lastError) == ["HTTP 503"])
        #expect(detail.errors.isEmpty, "a retried attempt is not an order error yet")
        #expect(try store.undeliveredAlerts(limit: 10).isEmpty)
    }

    @Test(arguments: StateBackend.allCases)
    func aFailedAttemptWithoutRetryFailsTheShipmentRecordsAnErrorAndAlerts(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A")])
        _ = try Self.apply(store, [F.shipment("A", package: "P7")])
        let due = try #require(try store.dueShipments(channel: "shop", now: F.at(60), limit: 10).first)
        try store.markShipmentAttemptFailed(id: due.id, error: "ORDER_INVALID_STATE", retryAt: nil, runID: 9, at: F.at(61))
        #expect(try store.dueShipments(channel: "shop", now: F.at(6000), limit: 10).isEmpty)
        let detail = try F.detail(store, "A")
        #expect(detail.shipments.map(\.status) == ["failed"])
        #expect(detail.shipments.map(\.attempts) == [1])
        #expect(detail.shipments.map(\.lastError) == ["ORDER_INVALID_STATE"])
        #expect(detail.stored.errorCount == 1)
        #expect(detail.errors == [OrderDetail.OrderError(stage: "confirmation", message: "ORDER_INVALID_STATE", runID: 9,
                                                         at: F.at(61))])
        let alerts = try store.undeliveredAlerts(limit: 10)
        #expect(alerts.map(\.kind) == ["push-failed"])
        #expect(alerts.map(\.runID) == [9])
        #expect(alerts.first?.message
            == "the shipment of package P7 of order A could not be confirmed: ORDER_INVALID_STATE")
        // An unknown shipment changes nothing.
        try store.markShipmentAttemptFailed(id: 999, error: "x", retryAt: nil, runID: nil, at: F.at(62))
        #expect(try store.undeliveredAlerts(limit: 10).count == 1)
    }
}
