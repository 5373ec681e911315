import Testing
@testable import SyndicCore

/// How reported shipments move an order's status.
@Suite struct OrderProgressTests {
    typealias Line = OrderProgress.Line

    @Test(arguments: [
        // Nothing shipped: the marketplace's status stays.
        (OrderStatus.waitingForShipment, [Line(ordered: 2, canceled: 0, shipped: 0)], OrderStatus.waitingForShipment),
        (.partiallyShipped, [Line(ordered: 2, canceled: 0, shipped: 0)], .partiallyShipped),
        // Some shipped.
        (.waitingForShipment, [Line(ordered: 3, canceled: 0, shipped: 1)], .partiallyShipped),
        (.waitingForShipment, [Line(ordered: 1, canceled: 0, shipped: 1), Line(ordered: 2, canceled: 0, shipped: 0)],
         .partiallyShipped),
        // All shipped.
        (.waitingForShipment, [Line(ordered: 1, canceled: 0, shipped: 1), Line(ordered: 2, canceled: 0, shipped: 2)], .shipped),
        (.partiallyShipped, [Line(ordered: 3, canceled: 0, shipped: 3)], .shipped),
        // Canceled units are not to ship.
        (.waitingForShipment, [Line(ordered: 3, canceled: 1, shipped: 2)], .shipped),
        (.waitingForShipment, [Line(ordered: 2, canceled: 2, shipped: 0), Line(ordered: 1, canceled: 0, shipped: 1)], .shipped),
        // More shipped than ordered counts as all.
        (.waitingForShipment, [Line(ordered: 1, canceled: 0, shipped: 5), Line(ordered: 2, canceled: 0, shipped: 0)],
         .partiallyShipped),
        // Other statuses are the marketplace's, whatever was shipped.
        (.pending, [Line(ordered: 1, canceled: 0, shipped: 1)], .pending),
        (.shipped, [Line(ordered: 2, canceled: 0, shipped: 0)], .shipped),
        (.canceled, [Line(ordered: 1, canceled: 0, shipped: 1)], .canceled),
        (.refused, [Line(ordered: 1, canceled: 0, shipped: 1)], .refused),
        (.unknown, [Line(ordered: 1, canceled: 0, shipped: 1)], .unknown),
        (.waitingForShipment, [], .waitingForShipment),
    ])
    func status(_ marketplace: OrderStatus, _ lines: [Line], _ expected: OrderStatus) {
        #expect(OrderProgress.status(marketplace: marketplace, lines: lines) == expected)
    }

    @Test(arguments: [
        (Line(ordered: 3, canceled: 0, shipped: 0), 3), (Line(ordered: 3, canceled: 1, shipped: 1), 1),
        (Line(ordered: 3, canceled: 1, shipped: 2), 0), (Line(ordered: 1, canceled: 0, shipped: 4), 0),
        (Line(ordered: 0, canceled: 0, shipped: 0), 0),
    ])
    func remainingIsOrderedLessCanceledAndShipped(_ line: Line, _ expected: Int) {
        #expect(line.remaining == expected)
    }
}
