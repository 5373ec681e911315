import Foundation
import GRDB
import SyndicCore
import Testing
@testable import SyndicStore

/// Orders fetched from marketplaces in the state: upserts, cancellation requests, errors,
/// cursors, the change feed of the export, alerts.
@Suite struct OrderStoreTests {
    typealias F = OrderFixtures

    // MARK: - Upserts

    @Test(arguments: StateBackend.allCases)
    func upsertCreatesThenLeavesUnchangedOrdersAlone(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        let first = try F.upsert(store, [F.order("A"), F.order("B")])
        #expect(first.created == 2 && first.updated == 0 && first.unchanged == 0)
        let before = try F.stored(store, "A")

        let again = try F.upsert(store, [F.order("A"), F.order("B")], at: F.at(5))
        #expect(again.created == 0 && again.updated == 0 && again.unchanged == 2)
        let after = try F.stored(store, "A")
        #expect(after == before, "an unchanged order is not written again")
        #expect(try F.changed(store).orders.count == 2)
    }

    @Test(arguments: StateBackend.allCases)
    func aChangedOrderIsUpdatedKeepingItsIdAndTakingANewerSequence(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A"), F.order("B")])
        let before = try F.stored(store, "A")
        let otherSequence = try F.stored(store, "B").changeSequence

        let summary = try F.upsert(store, [F.order("A", status: .shipped, rawStatus: "SHIPPED"), F.order("B")], at: F.at(5))
        #expect(summary.updated == 1 && summary.unchanged == 1 && summary.created == 0)
        let after = try F.stored(store, "A")
        #expect(after.id == before.id)
        #expect(after.order.status == .shipped)
        #expect(after.order.rawStatus == "SHIPPED")
        #expect(after.changeSequence > before.changeSequence)
        #expect(after.changeSequence > otherSequence)
        #expect(after.receivedAt == F.t0, "received when first seen")
        #expect(after.updatedAt == F.at(5))
        #expect(try F.stored(store, "B").changeSequence == otherSequence)
    }

    /// Deleting the channel that held the newest changes does not hand their numbers out
    /// again: a cursor kept past them (an export's, an ERP's) still sees every later change.
    @Test(arguments: StateBackend.allCases)
    func sequenceNumbersNeverGoBackWhenAChannelIsDeleted(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A")])
        try F.upsert(store, [F.order("X"), F.order("Y")], channel: "gone", at: F.at(1))
        let kept = try F.changed(store, channel: "gone").newest
        try RuntimeFixtures.apply(store, [], deleting: ["gone"], at: F.at(2))
        #expect(try F.owned(store, "gone", "orders") == 0)

        try F.upsert(store, [F.order("A", quantities: [3, 1])], at: F.at(3))
        let changed = try F.stored(store, "A").changeSequence
        #expect(changed > kept, "\(changed) reuses a number at or below \(kept)")
        // A shipment reported afterwards takes a newer number still.
        let outcomes = try store.applyShipments([F.shipment("A")], channel: "shop", source: "test", at: F.at(4))
        guard case .applied? = outcomes.first else {
            Issue.record("not applied: \(outcomes)")
            return
        }
        #expect(try F.stored(store, "A").changeSequence > changed)
    }

    @Test(arguments: StateBackend.allCases)
    func anUpdateReplacesTheLines(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A", quantities: [2, 1, 4])])
        var changed = F.order("A", quantities: [3])
        changed.lines[0].sku = "SKU-NEW"
        try F.upsert(store, [changed], at: F.at(1))
        let detail = try F.detail(store, "A")
        #expect(detail.stored.order.lines.map(\.number) == [1])
        #expect(detail.stored.order.lines.map(\.sku) == ["SKU-NEW"])
        #expect(detail.stored.order.lines.map(\.quantityOrdered) == [3])
        #expect(try F.owned(store, "shop", "order lines") == 1)
    }

    @Test(arguments: StateBackend.allCases)
    func theSameMarketplaceIdInTwoChannelsIsTwoOrders(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A")], channel: "shop")
        let other = try F.upsert(store, [F.order("A")], channel: "outlet", marketplace: "amazon")
        #expect(other.created == 1)
        let details = try store.orderDetail("A")
        #expect(details.map(\.stored.channel) == ["outlet", "shop"])
        #expect(details[0].stored.id != details[1].stored.id)
        #expect(details.map(\.stored.marketplace) == ["amazon", "mirakl"])
    }

    @Test(arguments: StateBackend.allCases)
    func storedOrdersKeepEveryField(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        var order = F.order("A")
        order.marketplaceUpdatedAt = F.at(-30)
        order.payment = "PAY_ON_ACCEPTANCE"
        order.customer.email = "john@example.org"
        order.shipping.line2 = "2 eme etage"
        order.lines[1].gtin = "3760000000021"
        order.lines[1].productReference = "MP-2"
        order.lines[1].title = "Mug"
        order.lines[1].rawState = "SHIPPING"
        order.lines[1].quantityCanceled = 1
        try F.upsert(store, [order])
        let stored = try F.detail(store, "A").stored
        #expect(stored.order == order)
        #expect(stored.channel == "shop")
        #expect(stored.marketplace == "mirakl")
        #expect(stored.errorCount == 0)
        #expect(UUID(uuidString: stored.id) != nil)
        #expect(stored.id == stored.id.lowercased())
    }

    // MARK: - Cancellation requests

    static let cancellation = Order.Cancellation(id: "C-1", lineID: "A-2", quantity: 1, reason: "OUT_OF_STOCK", at: F.at(-10))

    @Test(arguments: StateBackend.allCases)
    func aCancellationRequestIsRecordedOnceAndRaisesOneAlert(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        let first = try F.upsert(store, [F.order("A", cancellations: [Self.cancellation]), F.order("B")])
        #expect(first.cancellations == 1)
        let detail = try F.detail(store, "A")
        #expect(detail.events == [OrderDetail.Event(kind: "cancellation-requested", reference: "C-1",
                                                    detail: "1 canceled on line A-2 (OUT_OF_STOCK)", at: F.at(-10))])
        let alerts = try store.undeliveredAlerts(limit: 10)
        #expect(alerts.map(\.kind) == ["cancellation-requested"])
        #expect(alerts.map(\.channel) == ["shop"])
        #expect(alerts.first?.message == "order A: cancellation requested, 1 canceled on line A-2 (OUT_OF_STOCK)")
        #expect(alerts.first?.at == F.t0)
        let list = try store.orders(OrderFilter()).orders
        #expect(list.first { $0.marketplaceID == "A" }?.cancellationRequested == true)
        #expect(list.first { $0.marketplaceID == "B" }?.cancellationRequested == false)

        // The same order again, unchanged, then changed but with the same request.
        let unchanged = try F.upsert(store, [F.order("A", cancellations: [Self.cancellation])], at: F.at(5))
        #expect(unchanged.unchanged == 1 && unchanged.cancellations == 0)
        let changed = try F.upsert(store, [F.order("A", status: .partiallyShipped, cancellations: [Self.cancellation])],
                                   at: F.at(10))
        #expect(changed.updated == 1 && changed.cancellations == 0)
        #expect(try F.detail(store, "A").events.count == 1)
        #expect(try store.undeliveredAlerts(limit: 10).count == 1)
    }

    @Test(arguments: StateBackend.allCases)
    func aNewCancellationOfAKnownOrderIsRecorded(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A", cancellations: [Self.cancellation])])
        let second = Order.Cancellation(id: "C-2", lineID: nil, quantity: 2, reason: nil, at: nil)
        let summary = try F.upsert(store, [F.order("A", cancellations: [Self.cancellation, second])], at: F.at(5))
        #expect(summary.cancellations == 1)
        let events = try F.detail(store, "A").events
        #expect(events.map(\.reference) == ["C-1", "C-2"])
        // Without a date, the request is dated when syndic saw it.
        #expect(events.last?.detail == "2 canceled")
        #expect(events.last?.at == F.at(5))
        #expect(try store.undeliveredAlerts(limit: 10).map(\.kind) == ["cancellation-requested", "cancellation-requested"])
    }

    // MARK: - Errors

    @Test(arguments: StateBackend.allCases)
    func orderErrorsCountOnTheirOrder(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A", purchasedDaysAgo: 1), F.order("B", purchasedDaysAgo: 2)])
        try store.recordOrderError(channel: "shop", marketplaceID: "B", runID: 7, stage: "export", message: "bad row", at: F.at(1))
        try store.recordOrderError(channel: "shop", marketplaceID: "B", runID: 8, stage: "export", message: "again", at: F.at(2))
        // Of an order the state does not know, and of the run: kept, counted on no order.
        try store.recordOrderError(channel: "shop", marketplaceID: "Z", runID: 8, stage: "retrieval", message: "no status",
                                   at: F.at(3))
        try store.recordOrderError(channel: "shop", marketplaceID: nil, runID: 8, stage: "retrieval", message: "page 2 failed",
                                   at: F.at(4))
        // The same id in another channel is another order.
        try store.recordOrderError(channel: "outlet", marketplaceID: "A", runID: nil, stage: "export", message: "x", at: F.at(5))

        var withErrors = OrderFilter()
        withErrors.hasErrors = true
        #expect(try store.orders(withErrors).orders.map(\.marketplaceID) == ["B"])
        #expect(try store.orders(withErrors).orders.map(\.errors) == [2])
        withErrors.hasErrors = false
        #expect(try store.orders(withErrors).orders.map(\.marketplaceID) == ["A"])
        let detail = try F.detail(store, "B")
        #expect(detail.stored.errorCount == 2)
        #expect(detail.errors == [
            OrderDetail.OrderError(stage: "export", message: "bad row", runID: 7, at: F.at(1)),
            OrderDetail.OrderError(stage: "export", message: "again", runID: 8, at: F.at(2)),
        ])
        #expect(try F.owned(store, "shop", "order errors") == 4)
        #expect(try F.owned(store, "outlet", "order errors") == 1)
    }

    // MARK: - Cursors

    @Test(arguments: StateBackend.allCases)
    func cursorsArePerChannelAndName(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        #expect(try store.orderCursor(channel: "shop", name: "export") == nil)
        try store.setOrderCursor(channel: "shop", name: "export", value: "12")
        try store.setOrderCursor(channel: "shop", name: "retrieval", value: "2026-03-02T09:00:00Z")
        try store.setOrderCursor(channel: "outlet", name: "export", value: "3")
        try store.setOrderCursor(channel: "shop", name: "export", value: "15")
        #expect(try store.orderCursor(channel: "shop", name: "export") == "15")
        #expect(try store.orderCursor(channel: "shop", name: "retrieval") == "2026-03-02T09:00:00Z")
        #expect(try store.orderCursor(channel: "outlet", name: "export") == "3")
        #expect(try store.orderCursor(channel: "outlet", name: "retrieval") == nil)
    }

    // MARK: - Change feed

    @Test(arguments: StateBackend.allCases)
    func changedOrdersComeOldestChangeFirstWithTheirLines(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A", quantities: [1, 2, 3]), F.order("B")])
        try F.upsert(store, [F.order("C", status: .shipped)], at: F.at(1))
        try F.upsert(store, [F.order("X")], channel: "outlet", at: F.at(1))
        let all = try F.changed(store)
        #expect(all.orders.map(\.order.marketplaceID) == ["A", "B", "C"])
        #expect(all.orders[0].order.lines.map(\.number) == [1, 2, 3])
        #expect(all.orders[0].order.lines == F.order("A", quantities: [1, 2, 3]).lines)
        #expect(all.newest == all.orders[2].changeSequence)

        let afterA = try F.changed(store, after: all.orders[0].changeSequence)
        #expect(afterA.orders.map(\.order.marketplaceID) == ["B", "C"])
        #expect(afterA.newest == all.newest)

        // A change moves an order to the end.
        try F.upsert(store, [F.order("A", status: .canceled)], at: F.at(2))
        let later = try F.changed(store, after: all.newest)
        #expect(later.orders.map(\.order.marketplaceID) == ["A"])
        #expect(later.newest > all.newest)
        let nothing = try F.changed(store, after: later.newest)
        #expect(nothing.orders.isEmpty)
        #expect(nothing.newest == later.newest)
    }

    @Test(arguments: StateBackend.allCases)
    func statusesFilterTheOrdersButTheNewestSequenceCountsAll(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A", status: .shipped), F.order("B"), F.order("C", status: .shipped), F.order("D")])
        let everything = try F.changed(store)
        let shipped = try F.changed(store, statuses: [.shipped])
        #expect(shipped.orders.map(\.order.marketplaceID) == ["A", "C"])
        #expect(shipped.newest == everything.newest, "the sequence moves past orders filtered out")
        #expect(shipped.orders.allSatisfy { $0.order.lines.count == 2 })
        let none = try F.changed(store, statuses: [.refused])
        #expect(none.orders.isEmpty)
        #expect(none.newest == everything.newest)
    }

    @Test(arguments: StateBackend.allCases)
    func anOrderWithoutLinesIsStillAChange(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A", quantities: []), F.order("B", quantities: [1])])
        let changed = try F.changed(store)
        #expect(changed.orders.map(\.order.marketplaceID) == ["A", "B"])
        #expect(changed.orders.map(\.order.lines.count) == [0, 1])
    }

    // MARK: - Alerts

    @Test(arguments: StateBackend.allCases)
    func alertsAreDeliveredOnce(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try store.raiseAlert(channel: "shop", kind: "retrieval-failed", message: "m1", runID: 3, at: F.at(1))
        try store.raiseAlert(channel: "outlet", kind: "ftp-failed", message: "m2", runID: nil, at: F.at(2))
        try store.raiseAlert(channel: "shop", kind: "push-failed", message: "m3", runID: 4, at: F.at(3))
        let first = try store.undeliveredAlerts(limit: 2)
        #expect(first.map(\.message) == ["m1", "m2"])
        #expect(first.map(\.runID) == [3, nil])
        #expect(first.map(\.at) == [F.at(1), F.at(2)])
        try store.markAlertsDelivered(ids: first.map(\.id))
        try store.markAlertsDelivered(ids: [])
        #expect(try store.undeliveredAlerts(limit: 10).map(\.message) == ["m3"])
        #expect(try store.undeliveredAlerts(limit: 10).map(\.kind) == ["push-failed"])
    }
}

/// Migration v7 starts the order change counter after the numbers a state already holds
/// (SQLite only: a PostgreSQL state starts with every table at once).
@Suite struct ChangeSequenceMigrationTests {
    @Test func theCounterStartsAfterTheHighestStoredNumber() throws {
        let queue = try DatabaseQueue()
        try StateMigrations.migrator.migrate(queue, upTo: "v6-api")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO orders (id, channel, marketplace, marketplace_id, status, raw_status, received_at, updated_at,
                  change_seq, content_hash) VALUES ('o1', 'shop', 'mirakl', 'A', 'PENDING', 'STAGING', ?, ?, 41, 0)
                """, arguments: [Date(), Date()])
        }
        try StateMigrations.migrator.migrate(queue)
        #expect(try queue.write { try ChangeSequence.next($0) } == 42)
        #expect(try queue.write { try ChangeSequence.next($0) } == 43)

        let empty = try DatabaseQueue()
        try StateMigrations.migrator.migrate(empty)
        #expect(try empty.write { try ChangeSequence.next($0) } == 1)
    }
}
