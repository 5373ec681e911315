/// Carrier codes Amazon's shipment confirmations accept as they are (its carrier list, the
/// common European and North American entries, spelled as Amazon spells them). Any other
/// carrier goes as `Other` with its name, unless a channel maps it in `orders.carriers`.
enum AmazonCarriers {
    static let codes = [
        "Amazon Shipping", "Asendia", "BRT", "Canada Post", "Chronopost", "Colis Prive", "Colissimo", "Correos",
        "Correos Express", "DHL", "DHL eCommerce", "DHL Express", "DPD", "Deutsche Post", "FedEx", "GLS", "Hermes",
        "La Poste", "Mondial Relay", "Nacex", "OnTrac", "Parcelforce", "Poste Italiane", "PostNL", "Purolator",
        "Royal Mail", "SDA", "SEUR", "TNT", "UPS", "UPS Mail Innovations", "USPS", "Yodel", "bpost",
    ]
}
