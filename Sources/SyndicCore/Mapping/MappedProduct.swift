/// The result of mapping one product: a row of cells in the engine's target order, or a skip.
public enum MappedProduct: Hashable, Sendable {
    case row([String])
    case skipped(MappingSkip)

    /// The row, or nil for a skipped product.
    public var row: [String]? {
        if case .row(let cells) = self { return cells }
        return nil
    }
}

/// Why a product was left out of an export: a `required` target had no value.
public struct MappingSkip: Hashable, Sendable, CustomStringConvertible {
    /// The target field that stayed empty.
    public let target: String
    /// The source as the mapping wrote it: `name~fr_FR`, `field identifier`, `value`.
    public let source: String

    public init(target: String, source: String) {
        self.target = target
        self.source = source
    }

    /// "missing required value for title (name~fr_FR)".
    public var reason: String { "missing required value for \(target) (\(source))" }
    public var description: String { reason }
}
