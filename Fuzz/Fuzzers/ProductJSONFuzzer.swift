import SyndicCore

/// Untrusted product JSON as the export reads it: an input is one catalog line (or one Akeneo
/// page), processed by a channel's export program (projected scan, filter, mapping, delta),
/// scanned whole and checked against every kind of filter condition, read by the strict
/// parser (`CanonicalJSON.parse`) and read as an Akeneo page whose items are processed too.
///
/// Properties checked: a product sent by a delta export is unchanged for the next one (its
/// snapshot encoded and read back); text the strict parser reads as a product object is
/// scanned without error; canonical JSON of a parsed value reads back to the same text.
enum ProductJSONFuzzer {
    static let channel = #"""
        {"type": "flat-file", "source": {"connection": "pim", "scope": "ecommerce", "locales": ["fr_FR", "en_US"]},
         "products": {"export": {"valueSeparator": "|"}, "mapping": {
           "sku": {"field": "identifier"}, "family": {"field": "family"}, "categories": {"field": "categories"},
           "title": "name", "title_en": "name~en_US", "description": "description~fr_FR~ecommerce", "short": "short~mobile",
           "price": "price@EUR", "price_label": "price@currency", "weight": "weight@unit", "weight_amount": "weight",
           "sizes": "sizes", "stock": {"attribute": "stock", "default": 0}, "ratio": {"attribute": "ratio", "required": true},
           "brand": {"attribute": "brand", "locale": "fr_FR", "scope": "print", "currency": "USD"},
           "metric": {"attribute": "length", "unit": true}, "condition": {"value": "new"}}}}
        """#

    /// One filter per kind of condition (conditions are ANDed: each alone sees every product).
    static let filters: [FilterEngine] = [
        #"{"enabled": true}"#, #"{"families": ["shoes", "bags"]}"#, #"{"categories": {"in": ["summer"], "notIn": ["archived"]}}"#,
        #"{"completeness": {"scope": "ecommerce", "min": 80}}"#,
        #"{"completeness": {"scope": "ecommerce", "min": 100, "locales": ["fr_FR", "en_US"]}}"#,
        #"{"attributes": [{"attribute": "color", "operator": "=", "value": "Blue"}]}"#,
        #"{"attributes": [{"attribute": "color", "operator": "!=", "value": "red"}]}"#,
        #"{"attributes": [{"attribute": "stock", "operator": "<", "value": 10}]}"#,
        #"{"attributes": [{"attribute": "rating", "operator": ">=", "value": "4.5"}]}"#,
        #"{"attributes": [{"attribute": "sizes", "operator": "IN", "value": ["40", "m"]}]}"#,
        #"{"attributes": [{"attribute": "sizes", "operator": "NOT IN", "value": ["XL"]}]}"#,
        #"{"attributes": [{"attribute": "name", "locale": "fr_FR", "operator": "CONTAINS", "value": "chaus"}]}"#,
        #"{"attributes": [{"attribute": "name", "locale": "en_US", "operator": "DOES NOT CONTAIN", "value": "x"}]}"#,
        #"{"attributes": [{"attribute": "description", "locale": "fr_FR", "scope": "ecommerce", "operator": "STARTS WITH", "value": "lé"}]}"#,
        #"{"attributes": [{"attribute": "release_date", "operator": "BETWEEN", "value": ["2024-01-01", "2024-12-31"]}]}"#,
        #"{"attributes": [{"attribute": "price", "operator": "NOT BETWEEN", "#
            + #""value": [{"amount": 10, "currency": "EUR"}, {"amount": 100, "currency": "EUR"}]}]}"#,
        #"{"attributes": [{"attribute": "weight", "operator": "<=", "value": {"amount": 900, "unit": "GRAM"}}]}"#,
        #"{"attributes": [{"attribute": "waterproof", "operator": "=", "value": true}]}"#,
        #"{"attributes": [{"attribute": "empty_text", "operator": "EMPTY"}, {"attribute": "sku", "operator": "NOT EMPTY"}]}"#,
    ].map { json in
        guard let filter = try? ValueDecoding.decode(ProductFilter.self, fromJSON: json),
              let engine = try? FilterEngine(filter) else { fatalError("the fuzzer's filter \(json) does not compile") }
        return engine
    }

    static let program: ProductExportProgram = {
        guard let spec = try? CanonicalJSON.parse(channel), let typed = try? ValueDecoding.decode(ChannelSpec.self, from: spec),
              let program = try? ProductExportProgram(channel: typed, spec: spec) else {
            fatalError("the fuzzer's channel does not compile")
        }
        return program
    }()

    static let wholeProduct = ProductScanner(ProductProjection(properties: ["uuid", "identifier", "enabled", "family",
                                                                            "categories", "completenesses", "completeness"],
                                                               attributes: [], allAttributes: true))

    static func run(_ input: UnsafeRawBufferPointer) {
        process(input)
        var fields = ProductFields()
        let scanned: Bool
        do {
            try wholeProduct.scan(input, into: &fields)
            scanned = true
            for filter in filters { _ = filter.matches(fields) }
            var row: [String] = []
            _ = program.mapping.map(fields, into: &row)
        } catch {
            scanned = false
        }
        if let value = try? CanonicalJSON.parse(bytes: Array(input)) {
            let text = CanonicalJSON.string(value)
            require((try? CanonicalJSON.parse(text)).map(CanonicalJSON.string) == text,
                    "canonical JSON does not read back: \(text)")
            // The scanner keeps the first of repeated keys, the parser the last: compared only
            // when `values` is written once and no escape can spell it.
            if let members = value.objectValue, members["values"].map({ $0 == .null || $0.objectValue != nil }) ?? true,
               occurrences(of: valuesKey, in: input) <= 1, !input.contains(UInt8(ascii: "\\")) {
                require(scanned, "the strict parser reads a product the scanner refuses")
            }
        }
        if let page = try? AkeneoPage(input) {
            for item in page.items {
                require(item.lowerBound >= 0 && item.upperBound <= input.count, "page item \(item) outside the page")
                process(UnsafeRawBufferPointer(rebasing: input[item]))
            }
        }
    }

    static let valuesKey = Array(#""values""#.utf8)

    /// How many times `needle` occurs in `input`.
    static func occurrences(of needle: [UInt8], in input: UnsafeRawBufferPointer) -> Int {
        guard input.count >= needle.count else { return 0 }
        return (0...(input.count - needle.count)).count { start in
            needle.indices.allSatisfy { input[start + $0] == needle[$0] }
        }
    }

    /// The export's per-product work, full then delta against the snapshot it leaves.
    static func process(_ text: UnsafeRawBufferPointer) {
        var full = DeltaTracker(delta: true, specDigest: program.specDigest, previous: nil)
        var scratch = ProductExportProgram.Scratch()
        let outcome = program.process(text, tracker: &full, scratch: &scratch)
        guard case .send = outcome else { return }
        let previous = DeltaSnapshot(encoded: full.snapshot().encoded())
        require(previous == full.snapshot(), "a delta snapshot does not read back")
        var delta = DeltaTracker(delta: true, specDigest: program.specDigest, previous: previous)
        let again = program.process(text, tracker: &delta, scratch: &scratch)
        guard case .unchanged = again else {
            return require(false, "a product sent is not unchanged for the next delta export: \(again)")
        }
    }
}
