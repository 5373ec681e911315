/// A channel's mapping compiled once against its context, mapping Akeneo-format products to
/// rows of output cells.
///
/// Targets are in the mapping's order (`targets`): the order the file writes them, which
/// the compiler records (`MappingOrder`); targets that order does not name follow, sorted by
/// name. Rows line up with a header row of `targets` and are stable across runs. Each cell
/// is the source's text, or the object form's `default` when that text is empty, or "" —
/// unless the target is `required`, in which case the product is skipped with the reason
/// `missing required value for <target> (<source>)`.
///
/// Sources:
/// - `code`, `code~locale`, `code~scope`, `code~locale~scope`: the attribute's value at that
///   locale and scope; a missing locale or scope is the context's first locale and scope, and
///   non-localizable / non-scopable values (null locale / scope) match any locale / scope;
/// - `price@EUR`: the amount of the EUR price, as given ("740.00");
/// - `price@currency`: "740.00 EUR" — the price in the context's currency when the product
///   has one, else the first price of the collection;
/// - `metric@unit`: "800.0000 GRAM" — the amount as given, a space, the unit code as Akeneo
///   gives it (no conversion);
/// - object form: `field` (a product property), `attribute` + `locale` + `scope` + `currency`
///   (a code, or "currency") + `unit: true`, or `value` (a constant), with `default` and `required`.
///
/// Values render as `ValueText` describes: booleans "true"/"false", numbers as JSON text,
/// multi-values joined by the context's value separator.
public struct MappingEngine: Sendable {
    /// The target fields in the mapping's order: the order of every row's cells.
    public let targets: [String]
    /// The context the mapping was compiled against.
    public let context: MappingContext
    let fields: [MappingField]

    /// Compiles `mapping` against `context`, or throws the first problem (targets in order).
    /// The targets `order` names come first, in its order; the others follow, sorted by name.
    public init(mapping: [String: MappingValue], order: [String]? = nil,
                context: MappingContext = MappingContext()) throws(MappingError) {
        var fields: [MappingField] = []
        fields.reserveCapacity(mapping.count)
        for target in MappingOrder.arrange(mapping.keys, order: order) {
            fields.append(try Self.compile(target: target, value: mapping[target]!, context: context))
        }
        self.fields = fields
        self.targets = fields.map(\.target)
        self.context = context
    }

    /// Compiles a channel's mapping (none: no targets), in its recorded order, against the
    /// channel's context.
    public init(channel: ChannelSpec, currency: String? = nil) throws(MappingError) {
        try self.init(mapping: channel.products?.mapping ?? [:], order: channel.products?.mappingOrder,
                      context: MappingContext(channel: channel, currency: currency))
    }

    /// Maps one product.
    public func map(_ product: Value) -> MappedProduct {
        var row: [String] = []
        if let skip = map(ProductFields(product: product), into: &row) { return .skipped(skip) }
        return .row(row)
    }

    /// Maps one product into `row` (emptied first, capacity kept, for reuse across products);
    /// returns the skip when a required target is empty (the row is then incomplete).
    public func map(_ product: ProductFields, into row: inout [String]) -> MappingSkip? {
        row.removeAll(keepingCapacity: true)
        row.reserveCapacity(fields.count)
        let separator = context.valueSeparator
        for field in fields {
            let text = field.text(product, separator: separator)
            if text.isEmpty, field.required {
                return MappingSkip(target: field.target, source: field.sourceText)
            }
            row.append(text)
        }
        return nil
    }
}

// MARK: - What it reads

extension MappingEngine {
    /// The top-level product properties the mapping reads (`field` sources).
    public var propertyNames: Set<String> {
        Set(fields.filter { $0.kind == .property }.map(\.name))
    }

    /// The attribute codes the mapping reads.
    public var attributeCodes: Set<String> {
        Set(fields.filter { $0.kind == .attribute }.map(\.name))
    }

    /// Every attribute read, at its resolved locale and scope.
    public var attributeLookups: [AttributeLookup] {
        fields.filter { $0.kind == .attribute }.map { AttributeLookup(attribute: $0.name, locale: $0.locale, scope: $0.scope) }
    }
}

// MARK: - Compiling

extension MappingEngine {
    static func compile(target: String, value: MappingValue, context: MappingContext) throws(MappingError) -> MappingField {
        let path = "products.mapping.\(target)"
        switch value {
        case .expression(let text):
            let expression: MappingExpression
            do { expression = try MappingExpression.parse(text) } catch { throw MappingError("\(path): \(error.message)") }
            return attributeField(expression, target: target, fallback: "", required: false, context: context)
        case .object(let object):
            return try compileObject(object, target: target, path: path, context: context)
        }
    }

    private static func compileObject(_ object: MappingObject, target: String, path: String,
                                      context: MappingContext) throws(MappingError) -> MappingField {
        let given = [object.field.map { _ in "field" }, object.attribute.map { _ in "attribute" },
                     object.value.map { _ in "value" }].compactMap { $0 }
        guard given.count == 1 else {
            throw MappingError("\(path): the object form takes exactly one of field, attribute or value, got \(given.isEmpty ? "none" : given.joined(separator: ", "))")
        }
        if object.attribute == nil {
            for (key, present) in [("locale", object.locale != nil), ("scope", object.scope != nil),
                                   ("currency", object.currency != nil), ("unit", object.unit != nil)] where present {
                throw MappingError("\(path).\(key) applies only with attribute")
            }
        }
        let separator = context.valueSeparator
        let fallback = object.default.map { ValueText.render($0, separator: separator) } ?? ""
        let required = object.required ?? false
        if let field = object.field {
            guard ResourceSchemas.productFields.contains(field) else {
                throw MappingError("\(path).field: \"\(field)\" is not a product property (\(ResourceSchemas.productFields.joined(separator: ", ")))")
            }
            return MappingField(target: target, kind: .property, name: field, sourceText: "field \(field)",
                                fallback: fallback, required: required)
        }
        if let constant = object.value {
            return MappingField(target: target, kind: .constant, name: ValueText.render(constant, separator: separator),
                                sourceText: "value", fallback: fallback, required: required)
        }
        let expression = try attributeExpression(object, path: path)
        return attributeField(expression, target: target, fallback: fallback, required: required, context: context)
    }

    /// The expression equivalent to an object form's attribute, locale, scope, currency and unit.
    private static func attributeExpression(_ object: MappingObject, path: String) throws(MappingError) -> MappingExpression {
        let attribute = object.attribute ?? ""
        guard MappingExpression.isCode(attribute) else {
            throw MappingError("\(path).attribute: \"\(attribute)\" is not an attribute code (letters, digits, _)")
        }
        if let locale = object.locale, !MappingExpression.isLocale(locale) {
            throw MappingError("\(path).locale: \"\(locale)\" is not a locale like fr_FR")
        }
        if let scope = object.scope, !MappingExpression.isCode(scope) {
            throw MappingError("\(path).scope: \"\(scope)\" is not a scope code")
        }
        var expression = MappingExpression(attribute: attribute, locale: object.locale, scope: object.scope)
        switch object.currency {
        case nil: break
        case "currency"?: expression.suffix = .currency
        case let code? where code.count == 3 && code.allSatisfy({ $0.isASCII && $0.isUppercase }):
            expression.suffix = .amount(currency: code)
        case let code?:
            throw MappingError("\(path).currency: expected a currency code (EUR) or \"currency\", got \"\(code)\"")
        }
        if object.unit == true {
            guard expression.suffix == nil else { throw MappingError("\(path): currency and unit exclude each other") }
            expression.suffix = .unit
        }
        return expression
    }

    /// The field reading an expression's attribute, its locale and scope resolved against the context.
    static func attributeField(_ expression: MappingExpression, target: String, fallback: String, required: Bool,
                               context: MappingContext) -> MappingField {
        let (render, currency): (MappingField.Render, String?) = switch expression.suffix {
        case nil: (.plain, nil)
        case .amount(let currency)?: (.amount, currency)
        case .currency?: (.price, context.currency)
        case .unit?: (.metric, nil)
        }
        return MappingField(target: target, kind: .attribute, name: expression.attribute,
                            locale: expression.locale ?? context.defaultLocale, scope: expression.scope ?? context.scope,
                            render: render, currency: currency, sourceText: expression.text,
                            fallback: fallback, required: required)
    }
}
