import SyndicCore

/// Mapping expressions (`name~fr_FR~ecommerce`, `price@EUR`, `weight@unit`): an input is
/// one expression, parsed, compiled against two channel contexts and applied to a product
/// that has every kind of value.
///
/// Properties checked: a parsed expression's canonical text parses back to it, and the
/// equivalent object form (`{attribute, locale, scope, currency, unit}`) maps the product
/// to the same cell.
enum MappingFuzzer {
    static let contexts = [
        MappingContext(),
        MappingContext(scope: "ecommerce", locales: ["fr_FR", "en_US"], valueSeparator: "|", currency: "USD"),
    ]

    static let product = ProductFields(product: (try? CanonicalJSON.parse(#"""
        {"uuid": "fc24e6c3", "identifier": "SHOE-001", "enabled": true, "family": "shoes",
         "categories": ["summer", "men"], "values": {
           "name": [{"locale": "fr_FR", "scope": null, "data": "Chaussure"}, {"locale": "en_US", "scope": null, "data": "Shoe"}],
           "description": [{"locale": "fr_FR", "scope": "ecommerce", "data": "Légère"}, {"locale": "fr_FR", "scope": "print", "data": "Papier"}],
           "price": [{"locale": null, "scope": null, "data": [{"amount": "740.00", "currency": "EUR"}, {"amount": 25, "currency": "USD"}]}],
           "weight": [{"locale": null, "scope": null, "data": {"amount": "800.0000", "unit": "GRAM"}}],
           "sizes": [{"locale": null, "scope": null, "data": ["40", "", "42"]}],
           "stock": [{"locale": null, "scope": null, "data": 12}], "ratio": [{"locale": null, "scope": null, "data": 0.25}],
           "eco": [{"locale": null, "scope": null, "data": false}], "table": [{"locale": null, "scope": null, "data": [{"s": 1}]}]}}
        """#)) ?? .null)

    static func run(_ input: UnsafeRawBufferPointer) {
        let text = FuzzInput.text(input)
        for context in contexts { _ = map(.expression(text), context) }
        guard let expression = try? MappingExpression.parse(text) else { return }
        require((try? MappingExpression.parse(expression.text)) == expression,
                "\"\(text)\" parses to \(expression), whose text \"\(expression.text)\" does not parse back to it")
        var form: [String: Value] = ["attribute": .string(expression.attribute)]
        if let locale = expression.locale { form["locale"] = .string(locale) }
        if let scope = expression.scope { form["scope"] = .string(scope) }
        switch expression.suffix {
        case .amount(let currency)?: form["currency"] = .string(currency)
        case .currency?: form["currency"] = .string("currency")
        case .unit?: form["unit"] = .bool(true)
        case nil: break
        }
        guard let object = try? ValueDecoding.decode(MappingObject.self, from: .object(form)) else {
            return require(false, "the object form \(form) of \"\(text)\" does not decode")
        }
        for context in contexts {
            let written = map(.expression(text), context), asObject = map(.object(object), context)
            require(written != nil && written == asObject,
                    "\"\(text)\" maps to \(String(describing: written)), its object form to \(String(describing: asObject))")
        }
    }

    /// The cell `value` maps the product to, or nil when the mapping does not compile.
    static func map(_ value: MappingValue, _ context: MappingContext) -> [String]? {
        guard let engine = try? MappingEngine(mapping: ["cell": value], context: context) else { return nil }
        var row: [String] = []
        _ = engine.map(product, into: &row)
        return row
    }
}
