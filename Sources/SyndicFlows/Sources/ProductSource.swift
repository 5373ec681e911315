import Foundation
import SyndicCore

/// Where a product export reads products: each product's Akeneo-format JSON text, in order,
/// never the whole catalog at once.
protocol ProductSource {
    /// What the source is, for reports ("catalog file …", "Akeneo at …").
    var description: String { get }
    /// How far the current reading got, for the run's progress: bytes of a catalog file,
    /// products of Akeneo's count; nil when the source cannot tell.
    var position: SourcePosition? { get }
    /// Calls `body` with each product's JSON text and its position (line or item number,
    /// from 1); stops at the first error `body` throws.
    func forEachProduct(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws
}

extension ProductSource {
    var position: SourcePosition? { nil }
}

/// How far a source's reading got: `done` of `total` (when known) in `unit`.
struct SourcePosition: Hashable, Sendable {
    var done: Int
    var total: Int?
    var unit: RunProgress.Unit
}

/// Where a source records its position while it reads (each reading starts it afresh); the
/// export reads it between chunks.
final class SourceTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var current: SourcePosition?

    var position: SourcePosition? {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
}
