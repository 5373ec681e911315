/// How shipments reported to syndic move an order's status: shipped means a shipment was
/// processed, not necessarily sent to the marketplace yet.
public enum OrderProgress {
    /// What one line counts.
    public struct Line: Hashable, Sendable {
        public var ordered: Int
        public var canceled: Int
        /// Shipped, counting the marketplace's and the reported shipments.
        public var shipped: Int

        public init(ordered: Int, canceled: Int, shipped: Int) {
            self.ordered = ordered
            self.canceled = canceled
            self.shipped = shipped
        }

        /// What is left to ship.
        public var remaining: Int { max(0, ordered - canceled - shipped) }
    }

    /// The status of an order the marketplace calls `marketplace` once `lines` are counted:
    /// an order waiting for (or partially in) shipment becomes PARTIALLY_SHIPPED when some of
    /// it shipped and SHIPPED when all of it did; any other status stays the marketplace's.
    public static func status(marketplace: OrderStatus, lines: [Line]) -> OrderStatus {
        guard marketplace == .waitingForShipment || marketplace == .partiallyShipped else { return marketplace }
        let toShip = lines.reduce(0) { $0 + max(0, $1.ordered - $1.canceled) }
        let shipped = lines.reduce(0) { $0 + min($1.shipped, max(0, $1.ordered - $1.canceled)) }
        if shipped == 0 { return marketplace }
        return shipped >= toShip ? .shipped : .partiallyShipped
    }
}
