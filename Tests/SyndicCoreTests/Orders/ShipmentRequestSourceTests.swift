import Foundation
import Testing
@testable import SyndicCore

/// Requests handed out a few at a time, in order, each once.
struct ShipmentRequestSourceTests {
    static func requests(_ count: Int) -> [ShipmentRequest] {
        (0..<count).map { index in
            ShipmentRequest(order: .marketplaceID("M\(index)"), packageID: "\(index)", trackingNumber: nil, carrierCode: nil,
                            shippingDate: Date(timeIntervalSince1970: 0), item: nil, quantity: nil)
        }
    }

    @Test func aListHandsOutItsRequestsInOrderAtMostTheLimitAtATime() {
        let list = ShipmentRequestList(Self.requests(7))
        #expect(list.next(3).map(\.position) == [0, 1, 2])
        #expect(list.next(0).map(\.position) == [3], "a limit under 1 still hands one out")
        #expect(list.next(1).map(\.position) == [4])
        #expect(list.next(Int.max).map(\.position) == [5, 6], "however many are asked for")
        #expect(list.next(3).isEmpty)
        #expect(list.next(3).isEmpty)
    }

    @Test func whatIsLeftComesWholeAndOnce() {
        let list = ShipmentRequestList(Self.requests(2_500))
        #expect(list.next(1).map(\.position) == [0])
        #expect(list.remaining().map(\.position) == Array(1..<2_500))
        #expect(list.remaining().isEmpty)
    }
}

private extension ShipmentRequest {
    /// The position these tests gave the request (its package id).
    var position: Int { Int(packageID) ?? -1 }
}
