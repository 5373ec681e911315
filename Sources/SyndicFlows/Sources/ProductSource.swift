/// Where a product export reads products: each product's Akeneo-format JSON text, in order,
/// never the whole catalog at once.
protocol ProductSource {
    /// What the source is, for reports ("catalog file …", "Akeneo at …").
    var description: String { get }
    /// Calls `body` with each product's JSON text and its position (line or item number,
    /// from 1); stops at the first error `body` throws.
    func forEachProduct(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws
}
