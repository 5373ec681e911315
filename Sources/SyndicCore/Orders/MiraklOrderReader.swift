import Foundation

/// Reads a Mirakl OR11 order into an `Order`: the status from `OrderStatus`'s table of
/// Mirakl states, lines with their cancellations, alpha-2 country codes, the buyer's email
/// from `customer_notification_email` (Mirakl shows it, like the address, once the order is
/// accepted).
public enum MiraklOrderReader {
    /// The order `value`, or a reason it cannot be read.
    public static func order(_ value: Value) -> Result<Order, OrderReadError> {
        guard let id = value["order_id"]?.stringValue, !id.isEmpty else {
            return .failure(OrderReadError(orderID: nil, message: "an order without order_id"))
        }
        guard let state = value["order_state"]?.stringValue else {
            return .failure(OrderReadError(orderID: id, message: "order \(id) has no order_state"))
        }
        var lines: [OrderLine] = []
        var statusLines: [OrderStatusMapping.MiraklLine] = []
        var cancellations: [Order.Cancellation] = []
        for (position, line) in (value["order_lines"]?.listValue ?? []).enumerated() {
            let lineID = line["order_line_id"]?.stringValue ?? "\(id)-\(position + 1)"
            let lineState = line["order_line_state"]?.stringValue
            let quantity = line["quantity"]?.intValue ?? 0
            let shipped = line["shipped_date"]?.stringValue != nil
            var canceled = 0
            for cancel in line["cancelations"]?.listValue ?? [] {
                let amount = cancel["quantity"]?.intValue ?? 0
                canceled += amount
                cancellations.append(Order.Cancellation(
                    id: cancel["id"]?.stringValue ?? "\(lineID)-\(cancellations.count + 1)", lineID: lineID, quantity: amount,
                    reason: cancel["reason_code"]?.stringValue ?? cancel["reason_label"]?.stringValue,
                    at: cancel["created_date"]?.stringValue.flatMap(ISODate.parse)))
            }
            let statusLine = OrderStatusMapping.MiraklLine(state: lineState, shipped: shipped)
            statusLines.append(statusLine)
            let shippedQuantity = statusLine.isShipped ? max(0, quantity - canceled) : 0
            lines.append(OrderLine(
                number: line["order_line_index"]?.intValue ?? position + 1, lineID: lineID,
                sku: line["offer_sku"]?.stringValue, productReference: line["product_sku"]?.stringValue,
                gtin: gtin(line), title: line["product_title"]?.stringValue, quantityOrdered: quantity,
                quantityShipped: shippedQuantity, quantityCanceled: canceled, lineTotal: line["total_price"]?.numberValue,
                rawState: lineState))
        }
        let customer = value["customer"]
        let address = customer?["shipping_address"]
        let name = [customer?["firstname"]?.stringValue, customer?["lastname"]?.stringValue]
            .compactMap { $0?.isEmpty == false ? $0 : nil }.joined(separator: " ")
        return .success(Order(
            marketplaceID: id, rawStatus: state, status: OrderStatusMapping.mirakl(state: state, lines: statusLines),
            fulfilledBy: fulfilledBy(value), purchaseDate: value["created_date"]?.stringValue.flatMap(ISODate.parse),
            marketplaceUpdatedAt: value["last_updated_date"]?.stringValue.flatMap(ISODate.parse),
            currency: value["currency_iso_code"]?.stringValue, total: value["total_price"]?.numberValue,
            payment: value["payment_type"]?.stringValue ?? value["payment_workflow"]?.stringValue,
            customer: Order.Customer(name: name.isEmpty ? nil : name,
                                     email: value["customer_notification_email"]?.stringValue ?? customer?["email"]?.stringValue,
                                     phone: address?["phone"]?.stringValue),
            shipping: Order.Address(line1: address?["street_1"]?.stringValue, line2: address?["street_2"]?.stringValue,
                                    postalCode: address?["zip_code"]?.stringValue, city: address?["city"]?.stringValue,
                                    countryCode: CountryCode.alpha2(address?["country_iso_code"]?.stringValue)),
            lines: lines.sorted { $0.number < $1.number }, cancellations: cancellations))
    }

    /// Mirakl says who ships in `fulfillment.center.code`: `DEFAULT` is the shop itself, any
    /// other centre the operator's; absent means it did not say.
    private static func fulfilledBy(_ order: Value) -> FulfilledBy? {
        guard let center = order.value(at: "fulfillment.center.code")?.stringValue else { return nil }
        return center == "DEFAULT" ? .merchant : .marketplace
    }

    /// The line's EAN/GTIN among its `product_references`, if any.
    private static func gtin(_ line: Value) -> String? {
        for reference in line["product_references"]?.listValue ?? [] {
            let type = reference["reference_type"]?.stringValue?.uppercased() ?? ""
            if ["EAN", "GTIN", "UPC"].contains(type) { return reference["reference"]?.stringValue }
        }
        return nil
    }
}

/// Why a marketplace order could not be read: recorded as an error of the order (or of the
/// run when the order has no id), the other orders go on.
public struct OrderReadError: Error, Hashable, Sendable, CustomStringConvertible {
    public var orderID: String?
    public var message: String

    public init(orderID: String?, message: String) {
        self.orderID = orderID
        self.message = message
    }

    public var description: String { message }
}

extension Value {
    /// A number written as a JSON number or as a decimal string (`"39.90"`).
    public var numberValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        case .string(let text): Double(text)
        default: nil
        }
    }
}
