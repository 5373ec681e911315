import Foundation

/// What the order flows keep in the state: orders with their lines, shipments
/// and their confirmations, order events (cancellation requests) and order errors, the
/// flows' cursors, and the alerts they raise. Every table is owned by its channel.
public protocol OrderStore: Sendable {
    /// Stores orders fetched from the marketplace in one transaction: new ones get an
    /// internal id, changed ones are updated (shipments reported here are kept), unchanged
    /// ones are left alone; new cancellation requests become order events and alerts.
    func upsertOrders(_ orders: [Order], channel: String, marketplace: String, runID: Int64?, at date: Date) throws
        -> OrderUpsertSummary
    /// Records an error of an order (by marketplace id) or, with no order, of the run.
    func recordOrderError(channel: String, marketplaceID: String?, runID: Int64?, stage: String, message: String,
                          at date: Date) throws
    /// A cursor of a channel's order flow (`retrieval`, `export`), as the flow wrote it.
    func orderCursor(channel: String, name: String) throws -> String?
    /// Moves a cursor.
    func setOrderCursor(channel: String, name: String, value: String) throws
    /// Streams the channel's orders changed after `sequence` (oldest change first), of
    /// `statuses` (all when empty), with their lines; returns the newest change sequence seen.
    func forEachChangedOrder(channel: String, after sequence: Int64, statuses: Set<OrderStatus>,
                             _ body: (StoredOrder) throws -> Void) throws -> Int64
    /// Applies reported shipments in one transaction: quantities shipped move, statuses
    /// follow, each accepted request joins the confirmation queue; a request seen before
    /// ships nothing again. One outcome per request, in order.
    func applyShipments(_ requests: [ShipmentRequest], channel: String, source: String, at date: Date) throws
        -> [ShipmentOutcome]
    /// `applyShipments` of the requests `requests` gives, which the store may start applying
    /// before the last are read (a file read as it is applied). A source gives each request
    /// once: a store whose transaction may run again from its start (PostgreSQL after a
    /// conflict) reads every request before the transaction, as the default does.
    func applyShipments(from requests: ShipmentRequestSource, channel: String, source: String, at date: Date) throws
        -> [ShipmentOutcome]
    /// Shipments waiting to be confirmed to the marketplace whose next attempt is due.
    func dueShipments(channel: String, now: Date, limit: Int) throws -> [PendingShipment]
    /// A confirmation is about to be sent: recorded before the call, so that a confirmation
    /// the marketplace took but that was never recorded as such is known to be uncertain.
    func markShipmentSending(id: Int64, at date: Date) throws
    /// The marketplace accepted a shipment.
    func markShipmentConfirmed(id: Int64, at date: Date) throws
    /// A confirmation attempt failed: tried again at `retryAt`, or failed for good (nil),
    /// which records an order error and raises a `push-failed` alert.
    func markShipmentAttemptFailed(id: Int64, error: String, retryAt: Date?, runID: Int64?, at date: Date) throws
    /// Orders matching `filter` (its page: `offset`, `limit`), and how many match in all.
    func orders(_ filter: OrderFilter) throws -> (orders: [OrderSummary], total: Int)
    /// One order by internal or marketplace id, with everything known of it.
    func orderDetail(_ reference: String) throws -> [OrderDetail]
    /// Raises an alert (delivered to the Notification resources that take its kind).
    func raiseAlert(channel: String, kind: String, message: String, runID: Int64?, at date: Date) throws
    /// Alerts not delivered yet, oldest first.
    func undeliveredAlerts(limit: Int) throws -> [AlertEvent]
    /// Marks alerts delivered.
    func markAlertsDelivered(ids: [Int64]) throws
}

/// What one page of fetched orders did to the store.
public struct OrderUpsertSummary: Hashable, Sendable {
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    /// Cancellation requests not seen before.
    public var cancellations = 0

    public init() {}
}

/// An order as stored: the marketplace's order with syndic's facts.
public struct StoredOrder: Hashable, Sendable {
    /// syndic's internal id (a UUID).
    public var id: String
    public var channel: String
    /// `mirakl` or `amazon`.
    public var marketplace: String
    /// The order, with quantities shipped counting the shipments reported to syndic.
    public var order: Order
    /// When syndic first received it.
    public var receivedAt: Date
    /// When syndic last changed it.
    public var updatedAt: Date
    public var changeSequence: Int64
    public var errorCount: Int
    /// Whether the marketplace or the buyer asked to cancel some of it.
    public var cancellationRequested: Bool

    public init(id: String, channel: String, marketplace: String, order: Order, receivedAt: Date, updatedAt: Date,
                changeSequence: Int64, errorCount: Int, cancellationRequested: Bool = false) {
        self.id = id
        self.channel = channel
        self.marketplace = marketplace
        self.order = order
        self.receivedAt = receivedAt
        self.updatedAt = updatedAt
        self.changeSequence = changeSequence
        self.errorCount = errorCount
        self.cancellationRequested = cancellationRequested
    }
}

/// What became of one reported shipment.
public enum ShipmentOutcome: Hashable, Sendable, Codable {
    /// Applied: the shipment that holds it.
    case applied(shipmentID: Int64)
    /// Reported before: nothing shipped again.
    case duplicate
    case rejected(reason: String)
}

/// A shipment to confirm to the marketplace, with what the marketplace needs to know.
public struct PendingShipment: Hashable, Sendable {
    public var id: Int64
    public var orderID: String
    public var marketplaceOrderID: String
    public var packageID: String
    public var trackingNumber: String?
    public var carrierCode: String?
    public var shippingDate: Date
    public var attempts: Int
    /// The marketplace's line ids and the quantities shipped.
    public var items: [(lineID: String, quantity: Int)]
    /// Whether the order is now wholly shipped (Mirakl's OR24 ships the whole order).
    public var completesOrder: Bool
    /// Whether an earlier attempt was sent and its outcome never recorded (the process
    /// stopped, or recording failed): the marketplace may have it already.
    public var uncertain = false

    public static func == (lhs: PendingShipment, rhs: PendingShipment) -> Bool {
        lhs.id == rhs.id && lhs.attempts == rhs.attempts
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    public init(id: Int64, orderID: String, marketplaceOrderID: String, packageID: String, trackingNumber: String? = nil, carrierCode: String? = nil, shippingDate: Date, attempts: Int, items: [(lineID: String, quantity: Int)], completesOrder: Bool, uncertain: Bool = false) {
        self.id = id
        self.orderID = orderID
        self.marketplaceOrderID = marketplaceOrderID
        self.packageID = packageID
        self.trackingNumber = trackingNumber
        self.carrierCode = carrierCode
        self.shippingDate = shippingDate
        self.attempts = attempts
        self.items = items
        self.completesOrder = completesOrder
        self.uncertain = uncertain
    }
}

/// The filters of `syndic orders list` and of the console's order list.
public struct OrderFilter: Hashable, Sendable {
    public var statuses: Set<OrderStatus> = []
    public var channels: Set<String> = []
    /// Marketplaces (`mirakl`, `amazon`); all when empty.
    public var marketplaces: Set<String> = []
    /// On the date syndic received the order: `[start, end)`.
    public var receivedFrom: Date?
    public var receivedBefore: Date?
    /// true: only orders with errors; false: only orders without.
    public var hasErrors: Bool?
    /// A marketplace order id (or the start of one), or an internal id.
    public var search: String?
    public enum Sort: String, Hashable, Sendable, CaseIterable {
        case purchaseDate = "purchase-date"
        case errors
    }
    public var sort: Sort = .purchaseDate
    public var limit: Int?
    /// How many matching orders to skip, in sort order (a page's start); the total still
    /// counts them.
    public var offset: Int = 0

    public init() {}
}

/// One row of the order list.
public struct OrderSummary: Hashable, Sendable, Codable {
    public var id: String
    public var channel: String
    public var marketplace: String
    public var marketplaceID: String
    public var status: String
    public var rawStatus: String
    public var fulfilledBy: String?
    public var purchaseDate: Date?
    public var receivedAt: Date
    public var total: Double?
    public var currency: String?
    public var lines: Int
    public var errors: Int
    /// Whether the marketplace or the buyer asked to cancel some of it.
    public var cancellationRequested: Bool

    public init(id: String, channel: String, marketplace: String, marketplaceID: String, status: String, rawStatus: String, fulfilledBy: String? = nil, purchaseDate: Date? = nil, receivedAt: Date, total: Double? = nil, currency: String? = nil, lines: Int, errors: Int, cancellationRequested: Bool) {
        self.id = id
        self.channel = channel
        self.marketplace = marketplace
        self.marketplaceID = marketplaceID
        self.status = status
        self.rawStatus = rawStatus
        self.fulfilledBy = fulfilledBy
        self.purchaseDate = purchaseDate
        self.receivedAt = receivedAt
        self.total = total
        self.currency = currency
        self.lines = lines
        self.errors = errors
        self.cancellationRequested = cancellationRequested
    }
}

/// Everything `syndic orders show` tells of an order.
public struct OrderDetail: Hashable, Sendable {
    public var stored: StoredOrder
    public var shipments: [Shipment]
    public var events: [Event]
    public var errors: [OrderError]

    /// A shipment reported for the order.
    public struct Shipment: Hashable, Sendable, Codable {
        public var id: Int64
        public var packageID: String
        public var trackingNumber: String?
        public var carrierCode: String?
        public var shippingDate: Date
        public var source: String
        public var status: String
        public var attempts: Int
        public var lastError: String?
        public var confirmedAt: Date?
        public var items: [Item]

        public struct Item: Hashable, Sendable, Codable {
            public var lineNumber: Int
            public var quantity: Int

            public init(lineNumber: Int, quantity: Int) {
                self.lineNumber = lineNumber
                self.quantity = quantity
            }
        }

        public init(id: Int64, packageID: String, trackingNumber: String? = nil, carrierCode: String? = nil, shippingDate: Date, source: String, status: String, attempts: Int, lastError: String? = nil, confirmedAt: Date? = nil, items: [Item]) {
            self.id = id
            self.packageID = packageID
            self.trackingNumber = trackingNumber
            self.carrierCode = carrierCode
            self.shippingDate = shippingDate
            self.source = source
            self.status = status
            self.attempts = attempts
            self.lastError = lastError
            self.confirmedAt = confirmedAt
            self.items = items
        }
    }

    /// An order event (a cancellation request).
    public struct Event: Hashable, Sendable, Codable {
        public var kind: String
        public var reference: String
        public var detail: String
        public var at: Date

        public init(kind: String, reference: String, detail: String, at: Date) {
            self.kind = kind
            self.reference = reference
            self.detail = detail
            self.at = at
        }
    }

    /// An error recorded for the order.
    public struct OrderError: Hashable, Sendable, Codable {
        public var stage: String
        public var message: String
        public var runID: Int64?
        public var at: Date

        public init(stage: String, message: String, runID: Int64? = nil, at: Date) {
            self.stage = stage
            self.message = message
            self.runID = runID
            self.at = at
        }
    }

    public init(stored: StoredOrder, shipments: [Shipment], events: [Event], errors: [OrderError]) {
        self.stored = stored
        self.shipments = shipments
        self.events = events
        self.errors = errors
    }
}

extension OrderStore {
    /// Reads every request, then applies them together (in a transaction that may run again:
    /// the requests are in memory).
    public func applyShipments(from requests: ShipmentRequestSource, channel: String, source: String, at date: Date)
        throws -> [ShipmentOutcome] {
        try applyShipments(requests.remaining(), channel: channel, source: source, at: date)
    }
}
