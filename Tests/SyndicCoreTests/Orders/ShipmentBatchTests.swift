import Foundation
import Testing
@testable import SyndicCore

/// The shipment rules on a batch: each request sees what the requests before it in the
/// batch shipped, joined or recorded.
@Suite struct ShipmentBatchTests {
    static let date = Date(timeIntervalSince1970: 1_772_460_000)

    static func order(_ id: String, marketplace: String = "mirakl", status: OrderStatus = .waitingForShipment,
                      quantities: [Int] = [2, 1]) -> ShipmentBatch.Order {
        ShipmentBatch.Order(id: "id-" + id.lowercased(), marketplace: marketplace, marketplaceID: id, status: status,
                            fulfilledBy: "merchant",
                            lines: quantities.enumerated().map {
                                ShipmentBatch.Line(number: $0.offset + 1, lineID: "\(id)-\($0.offset + 1)", ordered: $0.element,
                                                   canceled: 0, shippedByMarketplace: 0, shippedLocally: 0)
                            })
    }

    static func request(_ id: String, package: String = "1", tracking: String? = "T-1", item: Int? = nil,
                        quantity: Int? = nil) -> ShipmentRequest {
        ShipmentRequest(order: .marketplaceID(id), packageID: package, trackingNumber: tracking, carrierCode: "UPS",
                        shippingDate: date, item: item.map { .lineNumber($0) }, quantity: quantity)
    }

    /// Decides `requests` in one batch over `orders` (no stored shipment, nothing seen before).
    static func decide(_ requests: [ShipmentRequest], orders: [ShipmentBatch.Order],
                       seen: Set<String> = []) -> ShipmentBatch {
        var batch = ShipmentBatch(channel: "shop", seen: seen, orders: orders)
        for request in requests {
            batch.decide(request, key: request.identity, dateKey: "d", stored: [])
        }
        return batch
    }

    @Test func aLaterRequestSeesWhatAnEarlierOneShippedOfTheSameLine() {
        let batch = Self.decide([Self.request("A", item: 1, quantity: 2), Self.request("A", tracking: "T-2", item: 1)],
                                orders: [Self.order("A")])
        #expect(batch.decisions == [.applied(.new(0)), .rejected(reason: "item 1 of order A has nothing left to ship")])
        #expect(batch.changedLines.map(\.shippedLocally) == [2])
        #expect(batch.changedOrders.map(\.status) == [.partiallyShipped])
    }

    @Test func rowsOfOnePackageJoinOneNewShipmentAndAddUpTheirItems() {
        let batch = Self.decide([Self.request("A", item: 1, quantity: 1), Self.request("A", item: 2),
                                 Self.request("A", item: 1, quantity: 1), Self.request("A", package: "2", item: 1)],
                                orders: [Self.order("A")])
        // The third row is the first again: a duplicate, not a second unit.
        #expect(batch.decisions == [.applied(.new(0)), .applied(.new(0)), .duplicate, .applied(.new(1))])
        #expect(batch.items.map { [$0.lineNumber, $0.quantity] } == [[1, 1], [2, 1], [1, 1]])
        #expect(batch.newShipments.map(\.request.packageID) == ["1", "2"])
        #expect(batch.changedOrders.map(\.status) == [.shipped])
        #expect(batch.changedOrders.map(\.appliedPosition) == [3], "the order takes the number of its last row")
        #expect(batch.applied == 3)
    }

    @Test func aRequestSeenBeforeTheBatchIsADuplicate() {
        let request = Self.request("A")
        let batch = Self.decide([request], orders: [Self.order("A")], seen: [request.identity])
        #expect(batch.decisions == [.duplicate])
        #expect(batch.applied == 0)
        #expect(batch.newShipments.isEmpty)
    }

    @Test func onAmazonAPackageStartedEarlierInTheBatchIsHeldByItsShipment() {
        let batch = Self.decide([Self.request("A", item: 1, quantity: 1), Self.request("A", tracking: "T-2", item: 2)],
                                orders: [Self.order("A", marketplace: "amazon")])
        #expect(batch.decisions == [
            .applied(.new(0)),
            .rejected(reason: "order A: package_id 1 is already the package of another shipment (tracking T-1); "
                      + "Amazon would replace that package: give each package its own package_id"),
        ])
    }

    @Test func aStoredShipmentOfTheSamePackageIsJoinedOrHoldsThePackage() {
        var batch = ShipmentBatch(channel: "shop", seen: [], orders: [Self.order("A"), Self.order("B", marketplace: "amazon")])
        let joined = batch.decide(Self.request("A", item: 1, quantity: 1), key: "a", dateKey: "d",
                                  stored: [.init(id: 7, trackingNumber: "T-0", isSame: false),
                                           .init(id: 9, trackingNumber: "T-1", isSame: true)])
        #expect(joined == .applied(.stored(9)))
        let held = batch.decide(Self.request("B"), key: "b", dateKey: "d",
                                stored: [.init(id: 4, trackingNumber: nil, isSame: false)])
        #expect(held == .rejected(reason: "order B: package_id 1 is already the package of another shipment (tracking none); "
                                  + "Amazon would replace that package: give each package its own package_id"))
        #expect(batch.outcomes(newIDs: []) == [.applied(shipmentID: 9), .rejected(reason: "order B: package_id 1 is already "
            + "the package of another shipment (tracking none); Amazon would replace that package: give each package its own package_id")])
    }

    @Test func ordersAreFoundByInternalIdInAnyCaseAndUnknownOnesAreNamed() {
        var batch = ShipmentBatch(channel: "shop", seen: [], orders: [Self.order("A", status: .canceled)])
        var byID = Self.request("A")
        byID.order = .internalID("ID-A")
        #expect(batch.orderID(of: byID.order) == "id-a")
        #expect(batch.decide(byID, key: "1", dateKey: "d", stored: []) == .rejected(reason: "order A is CANCELED: nothing can ship"))
        #expect(batch.decide(Self.request("Z"), key: "2", dateKey: "d", stored: [])
            == .rejected(reason: "no order Z in channel shop"))
    }

    /// Internal ids are looked up lowercased, whatever letters they hold; one with nothing to
    /// lower is the same string.
    @Test(arguments: ["d3c712bc-8be3-222b-e6aa-f57bd1a0e4f6", "D3C712BC-8BE3-222B-E6AA-F57BD1A0E4F6", "Id-A", "ÉTÉ-1",
                      "été-1", "İx", "", "0123-@[`{"])
    func internalIdsAreLookedUpAsLowercaseStoresThem(_ id: String) {
        #expect(ShipmentBatch.storedInternalID(id) == id.lowercased())
        #expect(Array(ShipmentBatch.storedInternalID(id).utf8) == Array(id.lowercased().utf8))
    }
}
