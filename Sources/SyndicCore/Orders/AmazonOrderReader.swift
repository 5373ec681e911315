import Foundation

/// Reads an Amazon SP-API order (`getOrders`) and its items (`getOrderItems`) into an
/// `Order`: AFN orders are fulfilled by the marketplace; `ItemPrice` is the
/// price of all units of an item.
public enum AmazonOrderReader {
    /// The order `value` with `items`, or a reason it cannot be read.
    public static func order(_ value: Value, items: [Value]) -> Result<Order, OrderReadError> {
        guard let id = value["AmazonOrderId"]?.stringValue, !id.isEmpty else {
            return .failure(OrderReadError(orderID: nil, message: "an order without AmazonOrderId"))
        }
        guard let status = value["OrderStatus"]?.stringValue else {
            return .failure(OrderReadError(orderID: id, message: "order \(id) has no OrderStatus"))
        }
        var lines: [OrderLine] = []
        var cancellations: [Order.Cancellation] = []
        for (position, item) in items.enumerated() {
            let lineID = item["OrderItemId"]?.stringValue ?? "\(id)-\(position + 1)"
            if item.value(at: "BuyerRequestedCancel.IsBuyerRequestedCancel")?.stringValue == "true"
                || item.value(at: "BuyerRequestedCancel.IsBuyerRequestedCancel")?.boolValue == true {
                cancellations.append(Order.Cancellation(
                    id: lineID, lineID: lineID, quantity: item["QuantityOrdered"]?.intValue ?? 0,
                    reason: item.value(at: "BuyerRequestedCancel.BuyerCancelReason")?.stringValue, at: nil))
            }
            lines.append(OrderLine(
                number: position + 1, lineID: lineID, sku: item["SellerSKU"]?.stringValue,
                productReference: item["ASIN"]?.stringValue, title: item["Title"]?.stringValue,
                quantityOrdered: item["QuantityOrdered"]?.intValue ?? 0, quantityShipped: item["QuantityShipped"]?.intValue ?? 0,
                lineTotal: item.value(at: "ItemPrice.Amount")?.numberValue, rawState: nil))
        }
        let address = value["ShippingAddress"]
        return .success(Order(
            marketplaceID: id, rawStatus: status, status: OrderStatusMapping.amazon(status),
            fulfilledBy: OrderStatusMapping.amazonFulfillment(value["FulfillmentChannel"]?.stringValue),
            purchaseDate: value["PurchaseDate"]?.stringValue.flatMap(ISODate.parse),
            marketplaceUpdatedAt: value["LastUpdateDate"]?.stringValue.flatMap(ISODate.parse),
            currency: value.value(at: "OrderTotal.CurrencyCode")?.stringValue,
            total: value.value(at: "OrderTotal.Amount")?.numberValue, payment: value["PaymentMethod"]?.stringValue,
            customer: Order.Customer(name: value.value(at: "BuyerInfo.BuyerName")?.stringValue ?? address?["Name"]?.stringValue,
                                     email: value.value(at: "BuyerInfo.BuyerEmail")?.stringValue,
                                     phone: address?["Phone"]?.stringValue),
            shipping: Order.Address(line1: address?["AddressLine1"]?.stringValue, line2: address?["AddressLine2"]?.stringValue,
                                    postalCode: address?["PostalCode"]?.stringValue, city: address?["City"]?.stringValue,
                                    countryCode: CountryCode.alpha2(address?["CountryCode"]?.stringValue)),
            lines: lines, cancellations: cancellations))
    }
}
