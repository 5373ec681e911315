/// The normalized status of an order: what the order flows, the
/// CSV export and `syndic orders` speak, whatever the marketplace calls it.
public enum OrderStatus: String, CaseIterable, Codable, Hashable, Sendable {
    case pending = "PENDING"
    case waitingForShipment = "WAITING_FOR_SHIPMENT"
    case partiallyShipped = "PARTIALLY_SHIPPED"
    case shipped = "SHIPPED"
    case refused = "REFUSED"
    case canceled = "CANCELED"
    /// A marketplace status this build does not know (enumerations grow): kept as is next to it.
    case unknown = "UNKNOWN"
}

/// Who ships an order: the merchant, or the marketplace (Amazon AFN) — a marketplace-fulfilled
/// order is exported but never confirmed by the merchant.
public enum FulfilledBy: String, CaseIterable, Codable, Hashable, Sendable {
    case merchant
    case marketplace
}

/// The marketplaces' status tables, as functions.
public enum OrderStatusMapping {
    /// What the status of a Mirakl order needs to know of one of its lines.
    public struct MiraklLine: Hashable, Sendable {
        /// `order_line_state`.
        public var state: String?
        /// Whether the line was shipped (a `shipped_date`, or a shipped state).
        public var shipped: Bool

        public init(state: String?, shipped: Bool = false) {
            self.state = state
            self.shipped = shipped
        }

        /// Shipped by its state or its date.
        var isShipped: Bool { shipped || ["SHIPPED", "TO_COLLECT", "RECEIVED", "CLOSED"].contains(state ?? "") }
        var isCanceled: Bool { state == "CANCELED" }
    }

    /// A Mirakl `order_state` with its lines:
    /// - STAGING, WAITING_ACCEPTANCE, WAITING_DEBIT, WAITING_DEBIT_PAYMENT → PENDING;
    /// - SHIPPING → WAITING_FOR_SHIPMENT when no line shipped, PARTIALLY_SHIPPED when some did;
    /// - SHIPPED, TO_COLLECT, RECEIVED → SHIPPED;
    /// - CLOSED → CANCELED when every line was canceled, SHIPPED otherwise;
    /// - REFUSED → REFUSED; CANCELED → CANCELED; anything else → UNKNOWN.
    public static func mirakl(state: String, lines: [MiraklLine]) -> OrderStatus {
        switch state {
        case "STAGING", "WAITING_ACCEPTANCE", "WAITING_DEBIT", "WAITING_DEBIT_PAYMENT": return .pending
        case "SHIPPING": return lines.contains(where: \.isShipped) ? .partiallyShipped : .waitingForShipment
        case "SHIPPED", "TO_COLLECT", "RECEIVED": return .shipped
        case "CLOSED": return !lines.isEmpty && lines.allSatisfy(\.isCanceled) ? .canceled : .shipped
        case "REFUSED": return .refused
        case "CANCELED": return .canceled
        default: return .unknown
        }
    }

    /// An Amazon `OrderStatus`: Pending, PendingAvailability → PENDING; Unshipped →
    /// WAITING_FOR_SHIPMENT; PartiallyShipped → PARTIALLY_SHIPPED; Shipped, InvoiceUnconfirmed →
    /// SHIPPED; Canceled → CANCELED; anything else → UNKNOWN. Unfulfillable is UNKNOWN: Amazon
    /// uses it for multi-channel fulfilment orders that its network cannot fulfil, which is
    /// neither a cancellation by the buyer nor a state the merchant ships from.
    public static func amazon(_ status: String) -> OrderStatus {
        switch status {
        case "Pending", "PendingAvailability": .pending
        case "Unshipped": .waitingForShipment
        case "PartiallyShipped": .partiallyShipped
        case "Shipped", "InvoiceUnconfirmed": .shipped
        case "Canceled": .canceled
        default: .unknown
        }
    }

    /// An Amazon `FulfillmentChannel`: AFN → the marketplace, MFN → the merchant, else unknown.
    public static func amazonFulfillment(_ channel: String?) -> FulfilledBy? {
        switch channel {
        case "AFN": .marketplace
        case "MFN": .merchant
        default: nil
        }
    }
}
