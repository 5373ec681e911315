import Foundation
import SyndicCore

/// A hand-made Akeneo-format product for catalogs whose every value a test knows: number `n`
/// is `SKU-000n` with a uuid derived from `n`.
struct TestProduct {
    var number: Int
    var family = "shoes"
    var enabled = true
    var name: String
    /// The EUR price ("129.90"); nil for a product priced in GBP only.
    var eur: String? = "10.00"
    var brand: String? = "acme"
    /// An attribute no mapping reads.
    var supplier = "SUP-1"
    /// More values, by attribute code, as Akeneo entries.
    var extra: [String: [Value]] = [:]

    init(_ number: Int, name: String? = nil, eur: String? = "10.00", family: String = "shoes") {
        self.number = number
        self.name = name ?? "Produit \(number)"
        self.eur = eur
        self.family = family
    }

    var identifier: String { "SKU-" + String(repeating: "0", count: max(0, 4 - String(number).count)) + String(number) }
    var uuid: String {
        let digits = String(number)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - digits.count) + digits
    }

    /// One value entry.
    static func entry(_ data: Value, locale: String? = nil, scope: String? = nil) -> Value {
        .object(["locale": locale.map(Value.string) ?? .null, "scope": scope.map(Value.string) ?? .null, "data": data])
    }

    /// The product as one JSON line.
    var json: String {
        var prices: [Value] = [.object(["amount": .string("9.00"), "currency": .string("GBP")])]
        if let eur { prices.insert(.object(["amount": .string(eur), "currency": .string("EUR")]), at: 0) }
        var values: [String: [Value]] = [
            "name": [Self.entry(.string(name), locale: "fr_FR"), Self.entry(.string("Product \(number)"), locale: "en_GB")],
            "price": [Self.entry(.list(prices))],
            "supplier_ref": [Self.entry(.string(supplier))],
        ]
        if let brand { values["brand"] = [Self.entry(.string(brand))] }
        values.merge(extra) { _, new in new }
        let product: Value = .object([
            "uuid": .string(uuid), "identifier": .string(identifier), "enabled": .bool(enabled), "family": .string(family),
            "categories": .list([.string("summer")]), "groups": .list([]), "parent": .null,
            "values": .object(values.mapValues(Value.list)),
            "created": .string("2025-01-01T10:00:00+00:00"), "updated": .string("2025-01-02T10:00:00+00:00"),
            "associations": .object([:]),
        ])
        return CanonicalJSON.string(product)
    }
}

extension FlowWorkspace {
    /// Writes `products` as a JSON-lines catalog at `root/relative`.
    func catalog(_ relative: String, _ products: [TestProduct]) throws {
        try write(relative, products.map(\.json).joined(separator: "\n") + "\n")
    }
}

/// CSV text as rows of fields (RFC 4180; `separator` between fields).
func csvRows(_ text: String, separator: Character = ",") -> [[String]] {
    CSVReader.rows(text, separator: separator)
}
