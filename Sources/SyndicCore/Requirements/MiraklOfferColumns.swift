/// The columns of Mirakl's offers file (OF01) that are not product attributes: a mirakl
/// channel's mapping may target these as well as the attributes PM11 lists (products and
/// offers go in one file).
public enum MiraklOfferColumns {
    public static let all: Set<String> = [
        "sku", "product-id", "product-id-type", "description", "internal-description", "price",
        "price-additional-info", "quantity", "min-quantity-alert", "state", "available-start-date",
        "available-end-date", "logistic-class", "favorite-rank", "discount-price", "discount-start-date",
        "discount-end-date", "discount-ranges", "leadtime-to-ship", "allow-quote-requests", "update-delete",
        "min-order-quantity", "max-order-quantity", "package-quantity", "product-tax-code",
    ]
}
