import Foundation

/// The JSON document of an order, shared by the Orders API and `syndic orders show
/// --format json`: the order with its lines, and for one order its shipments, events and
/// errors. Dates are ISO 8601 in UTC with milliseconds.
public enum OrderDocument {
    /// Writes an order of a list: everything but shipments, events and errors (`errors` is
    /// their count).
    public static func write(_ stored: StoredOrder, into json: inout JSONWriter) {
        json.beginObject()
        writeFields(stored, into: &json)
        json.key("errors"); json.int(stored.errorCount)
        json.endObject()
    }

    /// Writes one order with everything known of it.
    public static func write(_ detail: OrderDetail, into json: inout JSONWriter) {
        json.beginObject()
        writeFields(detail.stored, into: &json)
        json.key("shipments"); json.beginList()
        for shipment in detail.shipments {
            json.beginObject()
            json.key("id"); json.int(shipment.id)
            json.key("package_id"); json.string(shipment.packageID)
            json.key("tracking_number"); json.string(shipment.trackingNumber)
            json.key("carrier_code"); json.string(shipment.carrierCode)
            json.key("shipping_date"); json.date(shipment.shippingDate)
            json.key("source"); json.string(shipment.source)
            json.key("status"); json.string(shipment.status)
            json.key("attempts"); json.int(shipment.attempts)
            json.key("last_error"); json.string(shipment.lastError)
            json.key("confirmed_at"); json.date(shipment.confirmedAt)
            json.key("items"); json.beginList()
            for item in shipment.items {
                json.beginObject()
                json.key("line_number"); json.int(item.lineNumber)
                json.key("quantity"); json.int(item.quantity)
                json.endObject()
            }
            json.endList()
            json.endObject()
        }
        json.endList()
        json.key("events"); json.beginList()
        for event in detail.events {
            json.beginObject()
            json.key("kind"); json.string(event.kind)
            json.key("reference"); json.string(event.reference)
            json.key("detail"); json.string(event.detail)
            json.key("at"); json.date(event.at)
            json.endObject()
        }
        json.endList()
        json.key("errors"); json.beginList()
        for error in detail.errors {
            json.beginObject()
            json.key("stage"); json.string(error.stage)
            json.key("message"); json.string(error.message)
            json.key("run"); json.int(error.runID)
            json.key("at"); json.date(error.at)
            json.endObject()
        }
        json.endList()
        json.endObject()
    }

    /// The members every order document has.
    private static func writeFields(_ stored: StoredOrder, into json: inout JSONWriter) {
        let order = stored.order
        json.key("id"); json.string(stored.id)
        json.key("channel"); json.string(stored.channel)
        json.key("marketplace"); json.string(stored.marketplace)
        json.key("order_id"); json.string(order.marketplaceID)
        json.key("status"); json.string(order.status.rawValue)
        json.key("marketplace_status"); json.string(order.rawStatus)
        json.key("fulfilled_by"); json.string(order.fulfilledBy?.rawValue)
        json.key("purchase_date"); json.date(order.purchaseDate)
        json.key("marketplace_updated_at"); json.date(order.marketplaceUpdatedAt)
        json.key("received_at"); json.date(stored.receivedAt)
        json.key("updated_at"); json.date(stored.updatedAt)
        json.key("total"); json.double(order.total)
        json.key("currency"); json.string(order.currency)
        json.key("payment"); json.string(order.payment)
        json.key("cancellation_requested"); json.bool(stored.cancellationRequested)
        json.key("customer"); json.beginObject()
        json.key("name"); json.string(order.customer.name)
        json.key("email"); json.string(order.customer.email)
        json.key("phone"); json.string(order.customer.phone)
        json.endObject()
        json.key("shipping_address"); json.beginObject()
        json.key("line_1"); json.string(order.shipping.line1)
        json.key("line_2"); json.string(order.shipping.line2)
        json.key("postal_code"); json.string(order.shipping.postalCode)
        json.key("city"); json.string(order.shipping.city)
        json.key("country_code"); json.string(order.shipping.countryCode)
        json.endObject()
        json.key("lines"); json.beginList()
        for line in order.lines {
            json.beginObject()
            json.key("line_number"); json.int(line.number)
            json.key("line_id"); json.string(line.lineID)
            json.key("sku"); json.string(line.sku)
            json.key("product_reference"); json.string(line.productReference)
            json.key("gtin"); json.string(line.gtin)
            json.key("title"); json.string(line.title)
            json.key("quantity_ordered"); json.int(line.quantityOrdered)
            json.key("quantity_shipped"); json.int(line.quantityShipped)
            json.key("quantity_canceled"); json.int(line.quantityCanceled)
            json.key("line_total"); json.double(line.lineTotal)
            json.endObject()
        }
        json.endList()
    }
}
