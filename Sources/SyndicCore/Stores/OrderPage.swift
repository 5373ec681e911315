import Foundation

/// A page of the Orders API's order list: the filters, and where the page starts.
///
/// Pages follow the order of changes (each change of an order gives it a new, higher
/// sequence), so paging stays correct while orders change: an order changed while a
/// client pages moves behind the cursor's position and is listed again with its new
/// state; no order is skipped.
public struct OrderPageQuery: Hashable, Sendable {
    public var statuses: Set<OrderStatus> = []
    public var channels: Set<String> = []
    /// Orders syndic changed at or after this instant.
    public var updatedSince: Date?
    /// Orders purchased in `[purchasedFrom, purchasedBefore)`.
    public var purchasedFrom: Date?
    public var purchasedBefore: Date?
    /// true: only orders with errors; false: only orders without.
    public var hasErrors: Bool?
    /// The change sequence after which the page starts (0: from the first).
    public var after: Int64 = 0
    public var limit = 50

    public init() {}
}

/// What a page held: how many orders, whether more follow, and where it ended.
public struct OrderPage: Hashable, Sendable {
    public var count: Int
    /// Whether more orders follow (the next page starts after `cursor`).
    public var hasMore: Bool
    /// The change sequence of the page's last order (the query's own when the page is
    /// empty): a client keeps it to resume later.
    public var cursor: Int64

    public init(count: Int, hasMore: Bool, cursor: Int64) {
        self.count = count
        self.hasMore = hasMore
        self.cursor = cursor
    }
}
