import Foundation

/// One marketplace order as the order flows keep it: the marketplace's id and
/// status next to the normalized ones, who fulfils it, the buyer and the shipping address,
/// and its lines. A split order (merchant and marketplace fulfilment) is two orders.
public struct Order: Hashable, Sendable {
    /// The marketplace's order id (`order_id`, `AmazonOrderId`).
    public var marketplaceID: String
    /// The marketplace's own status, as it wrote it.
    public var rawStatus: String
    public var status: OrderStatus
    /// nil when the marketplace did not say.
    public var fulfilledBy: FulfilledBy?
    public var purchaseDate: Date?
    /// When the marketplace last changed the order.
    public var marketplaceUpdatedAt: Date?
    public var currency: String?
    /// The order total, taxes included, when the marketplace gave one.
    public var total: Double?
    /// The payment state, when the marketplace tells it (Mirakl's debit states, Amazon's).
    public var payment: String?
    public var customer: Customer
    public var shipping: Address
    public var lines: [OrderLine]
    /// Cancellation requests the marketplace reported (line, quantity, reason).
    public var cancellations: [Cancellation]

    public init(marketplaceID: String, rawStatus: String, status: OrderStatus, fulfilledBy: FulfilledBy? = nil,
                purchaseDate: Date? = nil, marketplaceUpdatedAt: Date? = nil, currency: String? = nil, total: Double? = nil,
                payment: String? = nil, customer: Customer = Customer(), shipping: Address = Address(),
                lines: [OrderLine] = [], cancellations: [Cancellation] = []) {
        self.marketplaceID = marketplaceID
        self.rawStatus = rawStatus
        self.status = status
        self.fulfilledBy = fulfilledBy
        self.purchaseDate = purchaseDate
        self.marketplaceUpdatedAt = marketplaceUpdatedAt
        self.currency = currency
        self.total = total
        self.payment = payment
        self.customer = customer
        self.shipping = shipping
        self.lines = lines
        self.cancellations = cancellations
    }

    /// The buyer.
    public struct Customer: Hashable, Sendable {
        public var name: String?
        public var email: String?
        public var phone: String?

        public init(name: String? = nil, email: String? = nil, phone: String? = nil) {
            self.name = name
            self.email = email
            self.phone = phone
        }
    }

    /// A postal address.
    public struct Address: Hashable, Sendable {
        public var line1: String?
        public var line2: String?
        public var postalCode: String?
        public var city: String?
        /// ISO 3166-1 alpha-2 (`FR`), whatever the marketplace wrote.
        public var countryCode: String?

        public init(line1: String? = nil, line2: String? = nil, postalCode: String? = nil, city: String? = nil,
                    countryCode: String? = nil) {
            self.line1 = line1
            self.line2 = line2
            self.postalCode = postalCode
            self.city = city
            self.countryCode = countryCode
        }
    }

    /// A cancellation request of the marketplace or the buyer.
    public struct Cancellation: Hashable, Sendable {
        /// The marketplace's id of the cancellation (or of its line when it has none).
        public var id: String
        public var lineID: String?
        public var quantity: Int
        public var reason: String?
        public var at: Date?

        public init(id: String, lineID: String?, quantity: Int, reason: String?, at: Date?) {
            self.id = id
            self.lineID = lineID
            self.quantity = quantity
            self.reason = reason
            self.at = at
        }
    }
}

/// One line of an order.
public struct OrderLine: Hashable, Sendable {
    /// The position in the order, from 1 (the template's `line_number`).
    public var number: Int
    /// The marketplace's line id (`order_line_id`, `OrderItemId`): what confirmations name.
    public var lineID: String
    /// The merchant's SKU (`offer_sku`, `SellerSKU`).
    public var sku: String?
    /// The marketplace's product reference (`product_sku`, `ASIN`).
    public var productReference: String?
    /// The GTIN, when the marketplace gives one.
    public var gtin: String?
    public var title: String?
    public var quantityOrdered: Int
    /// Shipped according to the marketplace.
    public var quantityShipped: Int
    public var quantityCanceled: Int
    /// The total price of the line, taxes included; nil when the marketplace gave none.
    public var lineTotal: Double?
    /// The marketplace's state of the line, if it has one.
    public var rawState: String?

    public init(number: Int, lineID: String, sku: String? = nil, productReference: String? = nil, gtin: String? = nil,
                title: String? = nil, quantityOrdered: Int, quantityShipped: Int = 0, quantityCanceled: Int = 0,
                lineTotal: Double? = nil, rawState: String? = nil) {
        self.number = number
        self.lineID = lineID
        self.sku = sku
        self.productReference = productReference
        self.gtin = gtin
        self.title = title
        self.quantityOrdered = quantityOrdered
        self.quantityShipped = quantityShipped
        self.quantityCanceled = quantityCanceled
        self.lineTotal = lineTotal
        self.rawState = rawState
    }
}
