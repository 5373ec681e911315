/// What a mapping is evaluated against: the channel's scope and locales, the separator for
/// multi-values and, optionally, a preferred currency.
///
/// An expression or object that names no locale (no scope) reads a localizable (scopable)
/// value at the first of `locales` (at `scope`); non-localizable and non-scopable values are
/// read whatever the context says, and an explicit locale or scope always wins.
public struct MappingContext: Hashable, Sendable {
    /// The separator of multi-values when the channel sets none.
    public static let defaultValueSeparator = "<###>"

    /// The channel (scope) localizable-free expressions read scopable values at.
    public var scope: String?
    /// The channel's locales; the first is the default locale of expressions that name none.
    public var locales: [String]
    /// Joins the items of multi-values (multiselects, categories, price collections).
    public var valueSeparator: String
    /// The price `@currency` renders when the product has one in it; otherwise the first price.
    public var currency: String?

    public init(scope: String? = nil, locales: [String] = [], valueSeparator: String = MappingContext.defaultValueSeparator,
                currency: String? = nil) {
        self.scope = scope
        self.locales = locales
        self.valueSeparator = valueSeparator
        self.currency = currency
    }

    /// The context of a channel: its source's scope and locales and its export's value separator.
    public init(channel: ChannelSpec, currency: String? = nil) {
        self.init(scope: channel.source?.scope, locales: channel.source?.locales ?? [],
                  valueSeparator: channel.products?.export?.valueSeparator ?? Self.defaultValueSeparator,
                  currency: currency)
    }

    /// The locale an expression without one reads localizable values at.
    public var defaultLocale: String? { locales.first }
}
