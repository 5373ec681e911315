import Foundation

/// What `/metrics` reads from the state when it is scraped.
public struct OperationalCounts: Hashable, Sendable {
    /// Runs kept in the state (logs.retainDays) by job kind and status.
    public var runs: [Key: Int]
    /// Orders stored, by channel.
    public var orders: [String: Int]
    /// Shipments by status (pending, confirmed, failed).
    public var shipments: [String: Int]

    public struct Key: Hashable, Sendable {
        public var job: String
        public var status: String

        public init(job: String, status: String) {
            self.job = job
            self.status = status
        }
    }

    public init(runs: [Key: Int], orders: [String: Int], shipments: [String: Int]) {
        self.runs = runs
        self.orders = orders
        self.shipments = shipments
    }
}
