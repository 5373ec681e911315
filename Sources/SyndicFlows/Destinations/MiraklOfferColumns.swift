/// The columns of Mirakl's offer import file (OF01). A mapping target outside them is a
/// product column: the file then goes with `with_products=true`.
enum MiraklOfferColumns {
    static let offer: Set<String> = [
        "sku", "product-id", "product-id-type", "description", "internal-description", "price", "price-additional-info",
        "quantity", "min-quantity-alert", "state", "available-start-date", "available-end-date", "logistic-class",
        "discount-price", "discount-start-date", "discount-end-date", "discount-ranges", "allow-quote-requests",
        "leadtime-to-ship", "min-order-quantity", "max-order-quantity", "package-quantity", "update-delete",
        "price-ranges", "ecotax", "gift-wrap", "min-quantity-ordered", "pricing-unit", "product-tax-code", "favorite-rank",
    ]

    /// Whether `target` is an offer column: one of `offer`, any `discount-…` column, a
    /// channel price (`price[channel=CODE]` and its discounts and ranges), or a per-category
    /// column (`producer-id[CATEGORY]`, `eco-contribution-amount[CATEGORY]`).
    static func isOffer(_ target: String) -> Bool {
        if offer.contains(target) || target.hasPrefix("discount-") { return true }
        guard let bracket = target.firstIndex(of: "["), target.hasSuffix("]") else { return false }
        let base = String(target[..<bracket])
        if ["price", "discount-price", "discount-start-date", "discount-end-date", "discount-ranges", "price-ranges"].contains(base) {
            return target[bracket...].hasPrefix("[channel=")
        }
        return ["producer-id", "eco-contribution-amount"].contains(base)
    }
}
