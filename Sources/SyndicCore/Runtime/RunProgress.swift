/// How far a running job got, as the job reports it while it works: `done` of `total` (when
/// known) in a unit — products, bytes of a catalog file, pages of orders — the items handled
/// so far, and what the job is waiting for, if anything. `syndic run --wait` shows it on a
/// terminal as one line (see `ProgressMeter`).
public struct RunProgress: Hashable, Sendable {
    /// What `done` and `total` count.
    public enum Unit: String, Hashable, Sendable {
        /// The items themselves (products, orders): `done` and `items` are the same count.
        case items
        /// Bytes of a file the job reads (a catalog file), while `items` counts its products.
        case bytes
        /// Pages a marketplace answered, while `items` counts the orders on them.
        case pages
    }

    /// A pause the job is in: how long it still lasts and what it waits for.
    public struct Wait: Hashable, Sendable {
        /// Seconds left.
        public var seconds: Double
        /// What is waited for, as it reads after "waiting 4 s for": "quota (getOrders)".
        public var reason: String

        public init(seconds: Double, reason: String) {
            self.seconds = seconds
            self.reason = reason
        }
    }

    /// How much is done, in `unit`.
    public var done: Int
    /// How much there is in all, in `unit`, when the job knows it (a catalog file's size,
    /// Akeneo's `items_count`).
    public var total: Int?
    public var unit: Unit
    /// The items handled so far (products read, orders fetched).
    public var items: Int
    /// What the items are, plural: "products", "orders".
    public var noun: String
    /// The part of the job under way when it has several (the export guard's counting pass).
    public var step: String?
    /// The pause the job is in, if any.
    public var waiting: Wait?

    /// `items` defaults to `done` when the unit is the items themselves, to 0 otherwise.
    public init(done: Int, total: Int? = nil, unit: Unit = .items, items: Int? = nil, noun: String = "items",
                step: String? = nil, waiting: Wait? = nil) {
        self.done = done
        self.total = total
        self.unit = unit
        self.items = items ?? (unit == .items ? done : 0)
        self.noun = noun
        self.step = step
        self.waiting = waiting
    }
}
