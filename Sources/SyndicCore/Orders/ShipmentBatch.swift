import Foundation

/// The rules of reported shipments applied to a batch of requests at once. The store reads
/// what the batch needs before it — the requests seen before, the orders named with their
/// lines, the stored shipments holding each request's package — the batch decides every
/// request in order, a later request seeing what an earlier one shipped of the same order,
/// and the store writes what was decided with a few multi-row statements. Pure: it reads
/// nothing and writes nothing.
///
/// The rules, in the order they apply: a request seen before is a duplicate and ships
/// nothing again; its order must exist in the channel, be fulfilled by the merchant, meet
/// Amazon's package rules (on Amazon no other shipment of the order may hold its package id)
/// and be neither canceled nor refused; the item named (with none: every line) must have
/// enough left to ship. An accepted request joins the pending shipment of its package (same
/// tracking number, carrier and shipping date) or starts a new one, moves the quantities
/// shipped and the order's status, and takes the next change number.
public struct ShipmentBatch: Sendable {
    /// An order as the rules see it.
    public struct Order: Sendable {
        public var id: String
        public var marketplace: String
        public var marketplaceID: String
        public var status: OrderStatus
        public var fulfilledBy: String?
        /// By line number.
        public var lines: [Line]

        public init(id: String, marketplace: String, marketplaceID: String, status: OrderStatus, fulfilledBy: String?,
                    lines: [Line]) {
            self.id = id
            self.marketplace = marketplace
            self.marketplaceID = marketplaceID
            self.status = status
            self.fulfilledBy = fulfilledBy
            self.lines = lines
        }
    }

    /// A line of an order: what was ordered, canceled, and shipped as the marketplace says
    /// and as reported to syndic.
    public struct Line: Sendable {
        public var number: Int
        public var lineID: String
        public var ordered: Int
        public var canceled: Int
        public var shippedByMarketplace: Int
        public var shippedLocally: Int

        public init(number: Int, lineID: String, ordered: Int, canceled: Int, shippedByMarketplace: Int,
                    shippedLocally: Int) {
            self.number = number
            self.lineID = lineID
            self.ordered = ordered
            self.canceled = canceled
            self.shippedByMarketplace = shippedByMarketplace
            self.shippedLocally = shippedLocally
        }

        /// Shipped counting both.
        var progress: OrderProgress.Line {
            OrderProgress.Line(ordered: ordered, canceled: canceled, shipped: max(shippedByMarketplace, shippedLocally))
        }
    }

    /// A stored shipment of a request's order with the request's package id that has not
    /// failed for good.
    public struct StoredShipment: Sendable {
        public var id: Int64
        public var trackingNumber: String?
        /// Whether it is the request's own shipment: pending, with the same tracking number,
        /// carrier and shipping date (compared by the store, as it keeps them).
        public var isSame: Bool

        public init(id: Int64, trackingNumber: String?, isSame: Bool) {
            self.id = id
            self.trackingNumber = trackingNumber
            self.isSame = isSame
        }
    }

    /// A shipment holding requests: a stored one, or the n-th this batch creates.
    public enum ShipmentRef: Hashable, Sendable {
        case stored(Int64)
        case new(Int)
    }

    /// What the batch decided for a request.
    public enum Decision: Hashable, Sendable {
        case duplicate
        case rejected(reason: String)
        case applied(ShipmentRef)
    }

    /// A shipment this batch creates, for the request that started it.
    public struct NewShipment: Sendable {
        public var orderID: String
        public var request: ShipmentRequest
        /// The shipping date as the store compares it (on SQLite, the text it stores).
        public internal(set) var dateKey: String
    }

    /// Units of a line added to a shipment (to the quantity it holds already, if any).
    public struct Item: Sendable {
        public var shipment: ShipmentRef
        public var lineNumber: Int
        public var quantity: Int
    }

    /// A line's new quantity shipped as reported to syndic.
    public struct ChangedLine: Sendable {
        public var orderID: String
        public var lineNumber: Int
        public var shippedLocally: Int
    }

    /// An order a request shipped some of: its new status and the position (from 1) among
    /// the batch's applied requests of the last one that changed it, which gives its change
    /// number.
    public struct ChangedOrder: Sendable {
        public var id: String
        public var status: OrderStatus
        public var appliedPosition: Int
    }

    /// A request applied, recorded so that it ships nothing again.
    public struct RecordedRequest: Sendable {
        public var key: String
        public var shipment: ShipmentRef
    }

    private struct ItemKey: Hashable {
        var shipment: ShipmentRef
        var lineNumber: Int
    }

    private struct LineSlot {
        var order: Int
        var line: Int
    }

    private let channel: String
    private var seen: Set<String>
    private var orders: [Order]
    private var byID: [String: Int] = [:]
    private var byMarketplaceID: [String: Int] = [:]
    /// Per order (by position), the new shipments of this batch (positions in `newShipments`).
    private var newByOrder: [[Int]]
    private var itemSlots: [ItemKey: Int] = [:]
    /// The lines changed, in the order first changed.
    private var lineSlots: [LineSlot] = []
    /// Per order (by position), where its lines start in `lineChanged`.
    private var firstLine: [Int]
    /// Per line of every order, whether it is in `lineSlots`.
    private var lineChanged: [Bool]
    private var changedOrderList: [Int] = []
    /// Per order (by position), the position (from 1) among the applied requests of the
    /// last one that changed it; 0 when none did.
    private var lastApplied: [Int]

    /// One decision per request, in order.
    public private(set) var decisions: [Decision] = []
    /// The shipments to create, in the order they were started.
    public private(set) var newShipments: [NewShipment] = []
    /// The units to add to shipments, one per shipment and line.
    public private(set) var items: [Item] = []
    /// The requests applied, in order.
    public private(set) var recorded: [RecordedRequest] = []
    /// How many requests were applied (each takes a change number).
    public var applied: Int { recorded.count }

    /// A batch of `channel` over the state read before it: the keys (`ShipmentRequest.identity`)
    /// of the requests recorded before among the batch's, and the orders its requests name.
    public init(channel: String, seen: Set<String>, orders: [Order]) {
        self.channel = channel
        self.seen = seen
        self.orders = orders
        newByOrder = Array(repeating: [], count: orders.count)
        lastApplied = Array(repeating: 0, count: orders.count)
        var firstLine: [Int] = []
        firstLine.reserveCapacity(orders.count)
        var lines = 0
        for order in orders {
            firstLine.append(lines)
            lines += order.lines.count
        }
        self.firstLine = firstLine
        lineChanged = Array(repeating: false, count: lines)
        for (index, order) in orders.enumerated() {
            byID[order.id] = index
            byMarketplaceID[order.marketplaceID] = index
        }
    }

    /// The internal id of the order `reference` names in the channel, if it was read.
    public func orderID(of reference: ShipmentRequest.OrderReference) -> String? {
        orderIndex(of: reference).map { orders[$0].id }
    }

    private func orderIndex(of reference: ShipmentRequest.OrderReference) -> Int? {
        switch reference {
        case .internalID(let id): byID[Self.storedInternalID(id)]
        case .marketplaceID(let id): byMarketplaceID[id]
        }
    }

    /// An internal order id as the state keeps it: lowercased. An id with no letter to lower
    /// (the usual case: ids are written as they were exported) is returned as it is, which
    /// spares a copy per request.
    public static func storedInternalID(_ id: String) -> String {
        for byte in id.utf8 where (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte >= 0x80 {
            return id.lowercased()
        }
        return id
    }

    /// Decides `request` (its `identity` is `key`) after the requests before it: `dateKey` is
    /// its shipping date as the store compares dates, `stored` the stored shipments of its
    /// order holding its package id, by id.
    @discardableResult
    public mutating func decide(_ request: ShipmentRequest, key: String, dateKey: String,
                                stored: [StoredShipment]) -> Decision {
        let decision = evaluate(request, key: key, dateKey: dateKey, stored: stored)
        decisions.append(decision)
        return decision
    }

    private mutating func evaluate(_ request: ShipmentRequest, key: String, dateKey: String,
                                   stored: [StoredShipment]) -> Decision {
        if seen.contains(key) { return .duplicate }
        guard let index = orderIndex(of: request.order) else {
            let named = switch request.order {
            case .internalID(let id): id
            case .marketplaceID(let id): id
            }
            return .rejected(reason: "no order \(named) in channel \(channel)")
        }
        let order = orders[index]
        let marketplaceID = order.marketplaceID
        if order.fulfilledBy == FulfilledBy.marketplace.rawValue {
            return .rejected(reason: "order \(marketplaceID) is fulfilled by the marketplace: the merchant never confirms it")
        }
        if order.marketplace == "amazon" {
            if let problem = AmazonShipmentRules.problem(request) {
                return .rejected(reason: "order \(marketplaceID): \(problem)")
            }
            if let other = packageHeldElsewhere(order: index, request: request, dateKey: dateKey, stored: stored) {
                return .rejected(reason: "order \(marketplaceID): package_id \(request.packageID) is already the package of "
                                 + "another shipment (\(other)); Amazon would replace that package: give each package its own package_id")
            }
        }
        if order.status == .canceled || order.status == .refused {
            return .rejected(reason: "order \(marketplaceID) is \(order.status.rawValue): nothing can ship")
        }
        let chosen: [(line: Int, quantity: Int)]
        switch Self.chosenLines(request, lines: order.lines, marketplaceID: marketplaceID) {
        case .success(let lines): chosen = lines
        case .failure(let rejection): return .rejected(reason: rejection.reason)
        }
        let shipment = ownShipment(order: index, request: request, dateKey: dateKey, stored: stored)
        for (line, quantity) in chosen {
            let number = orders[index].lines[line].number
            addItem(ItemKey(shipment: shipment, lineNumber: number), quantity)
            let before = orders[index].lines[line]
            orders[index].lines[line].shippedLocally = max(before.shippedByMarketplace, before.shippedLocally) + quantity
            if !lineChanged[firstLine[index] + line] {
                lineChanged[firstLine[index] + line] = true
                lineSlots.append(LineSlot(order: index, line: line))
            }
        }
        let current = orders[index].status
        orders[index].status = OrderProgress.status(marketplace: current == .shipped ? .partiallyShipped : current,
                                                    lines: orders[index].lines.map(\.progress))
        seen.insert(key)
        recorded.append(RecordedRequest(key: key, shipment: shipment))
        if lastApplied[index] == 0 { changedOrderList.append(index) }
        lastApplied[index] = recorded.count
        return .applied(shipment)
    }

    /// Why a request names no line it can ship.
    public struct Rejection: Error, Sendable {
        public var reason: String
    }

    /// The lines `request` ships of `lines` (positions in `lines` and quantities), or why it
    /// ships none: the item named, in the quantity given or all of it left to ship; with no
    /// item named, everything left to ship.
    static func chosenLines(_ request: ShipmentRequest, lines: [Line], marketplaceID: String)
        -> Result<[(line: Int, quantity: Int)], Rejection> {
        guard let item = request.item else {
            var chosen: [(line: Int, quantity: Int)] = []
            for (position, line) in lines.enumerated() where line.progress.remaining > 0 {
                chosen.append((position, line.progress.remaining))
            }
            guard !chosen.isEmpty else { return .failure(Rejection(reason: "order \(marketplaceID) has nothing left to ship")) }
            return .success(chosen)
        }
        let found: Int?
        let itemName: String
        switch item {
        case .lineNumber(let number):
            found = lines.firstIndex { $0.number == number }
            itemName = "item \(number)"
        case .marketplaceLineID(let lineID):
            found = lines.firstIndex { $0.lineID == lineID }
            itemName = "item \(lineID)"
        }
        guard let found else { return .failure(Rejection(reason: "order \(marketplaceID) has no \(itemName)")) }
        let left = lines[found].progress.remaining
        guard left > 0 else { return .failure(Rejection(reason: "\(itemName) of order \(marketplaceID) has nothing left to ship")) }
        let quantity = request.quantity ?? left
        guard quantity <= left else {
            return .failure(Rejection(reason: "\(itemName) of order \(marketplaceID): \(quantity) shipped but only \(left) left to ship"))
        }
        return .success([(found, quantity)])
    }

    /// Whether a new shipment of this batch is `request`'s own: same package, tracking
    /// number, carrier and shipping date.
    private func isSame(_ shipment: NewShipment, _ request: ShipmentRequest, dateKey: String) -> Bool {
        shipment.request.packageID == request.packageID && shipment.request.trackingNumber == request.trackingNumber
            && shipment.request.carrierCode == request.carrierCode && shipment.dateKey == dateKey
    }

    /// Another shipment of the order that holds `request`'s package id (described by its
    /// tracking number), or nil: a stored one first (the oldest), then one this batch started.
    private func packageHeldElsewhere(order: Int, request: ShipmentRequest, dateKey: String,
                                      stored: [StoredShipment]) -> String? {
        if let other = stored.first(where: { !$0.isSame }) {
            return "tracking " + (other.trackingNumber ?? "none")
        }
        for position in newByOrder[order] {
            let shipment = newShipments[position]
            if shipment.request.packageID == request.packageID, !isSame(shipment, request, dateKey: dateKey) {
                return "tracking " + (shipment.request.trackingNumber ?? "none")
            }
        }
        return nil
    }

    /// The pending shipment of the same package of the order, or a new one.
    private mutating func ownShipment(order: Int, request: ShipmentRequest, dateKey: String,
                                      stored: [StoredShipment]) -> ShipmentRef {
        if let same = stored.first(where: \.isSame) { return .stored(same.id) }
        for position in newByOrder[order] where isSame(newShipments[position], request, dateKey: dateKey) {
            return .new(position)
        }
        newShipments.append(NewShipment(orderID: orders[order].id, request: request, dateKey: dateKey))
        newByOrder[order].append(newShipments.count - 1)
        return .new(newShipments.count - 1)
    }

    private mutating func addItem(_ key: ItemKey, _ quantity: Int) {
        if let slot = itemSlots[key] {
            items[slot].quantity += quantity
        } else {
            itemSlots[key] = items.count
            items.append(Item(shipment: key.shipment, lineNumber: key.lineNumber, quantity: quantity))
        }
    }

    /// The lines whose quantity reported shipped changed, with their new quantity.
    public var changedLines: [ChangedLine] {
        lineSlots.map { slot in
            let line = orders[slot.order].lines[slot.line]
            return ChangedLine(orderID: orders[slot.order].id, lineNumber: line.number, shippedLocally: line.shippedLocally)
        }
    }

    /// The orders requests shipped some of, in the order first changed.
    public var changedOrders: [ChangedOrder] {
        changedOrderList.map { index in
            ChangedOrder(id: orders[index].id, status: orders[index].status, appliedPosition: lastApplied[index])
        }
    }

    /// The orders requests shipped some of, as the batch left them (statuses and lines), in
    /// the order first changed: what a later batch of the same file starts from.
    public var shippedOrders: [Order] {
        changedOrderList.map { orders[$0] }
    }

    /// The id of `shipment`, given the ids the new shipments took (in creation order).
    public static func id(of shipment: ShipmentRef, newIDs: [Int64]) -> Int64 {
        switch shipment {
        case .stored(let id): id
        case .new(let position): newIDs[position]
        }
    }

    /// The outcome of each request, given the ids the new shipments took.
    public func outcomes(newIDs: [Int64]) -> [ShipmentOutcome] {
        decisions.map { decision in
            switch decision {
            case .duplicate: .duplicate
            case .rejected(let reason): .rejected(reason: reason)
            case .applied(let shipment): .applied(shipmentID: Self.id(of: shipment, newIDs: newIDs))
            }
        }
    }
}
