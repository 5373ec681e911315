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
    /// The source's clock when its last reading started, and its UTC offset: where the next
    /// delta export can read from (products updated since). Nil for a source without one (a
    /// catalog file) or before a reading started.
    var watermark: SourceWatermark? { get }
    /// How many products a reading will return, asked of the source before the reading (it
    /// counts as the reading's start); nil when the source cannot tell cheaply.
    func selectedCount() throws -> Int?
    /// Whether products come in the same order from one reading to the next (a file's lines,
    /// one cursor), so that a delta export can compare them with the previous snapshot a window
    /// at a time; a source read by several cursors at once interleaves them by timing.
    var keepsOrder: Bool { get }
}

extension ProductSource {
    var position: SourcePosition? { nil }
    var watermark: SourceWatermark? { nil }
    func selectedCount() throws -> Int? { nil }
    var keepsOrder: Bool { true }
}

/// The PIM's clock when a read started (its first request), and the PIM's UTC offset in
/// seconds: any product updated at or after `since` may have been read before its change, so
/// the next delta export reads the products updated since then.
struct SourceWatermark: Hashable, Sendable {
    var since: Date
    var utcOffset: Int
    /// The source read (the PIM's URL): a watermark only holds for the PIM it was taken on.
    var origin: String
}

/// What an export asks its source for: every product, or only those updated since a
/// watermark (a delta export from Akeneo; the source applies the safety overlap).
enum SourceRead: Hashable, Sendable {
    case everything
    case updatedSince(SourceWatermark)
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
    private var started: SourceWatermark?

    var position: SourcePosition? {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }

    /// When the last reading started, by the source's clock (sources that have one).
    var watermark: SourceWatermark? {
        get { lock.withLock { started } }
        set { lock.withLock { started = newValue } }
    }
}
