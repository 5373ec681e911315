/// Shipment requests handed out in order, a few at a time, as they are read: a store can
/// start on a file's first requests while the rest of it is still being read. Used by one
/// thread at a time (the store may read it from a thread of its own, never from two at once),
/// and read once: what it gave is not given again.
public protocol ShipmentRequestSource: AnyObject, Sendable {
    /// The next requests, at most `limit` (at least 1); empty once every request was given.
    func next(_ limit: Int) -> [ShipmentRequest]
}

/// Requests already in memory, as a source.
public final class ShipmentRequestList: ShipmentRequestSource, @unchecked Sendable {
    private let requests: [ShipmentRequest]
    private var position = 0

    public init(_ requests: [ShipmentRequest]) {
        self.requests = requests
    }

    public func next(_ limit: Int) -> [ShipmentRequest] {
        let end = position + min(max(1, limit), requests.count - position)
        defer { position = end }
        return Array(requests[position..<end])
    }
}

extension ShipmentRequestSource {
    /// Every request not given yet.
    public func remaining() -> [ShipmentRequest] {
        var all: [ShipmentRequest] = []
        while true {
            let batch = next(1_000)
            if batch.isEmpty { return all }
            all += batch
        }
    }
}
