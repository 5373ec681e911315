import Foundation

/// A block of raw bytes owned by one thread at a time: a source fills it, a worker reads it,
/// and it is filled again — large reads without an array's initialisation or copy-on-write.
final class ByteBlock: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let capacity: Int
    /// How many bytes are filled.
    var count = 0
    /// Where each line of the filled bytes ends, when the reading thread marked them
    /// (`CatalogLineReader.markLineEnds`, which says how); nil when the worker is to find them.
    var lineEnds: [Int]?

    init(capacity: Int) {
        self.capacity = capacity
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
    }

    deinit { base.deallocate() }

    /// The filled bytes.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// An empty block of at least `minimum` bytes: one of `spare` that is big enough (taken
    /// out of it and emptied), else a new one.
    static func take(from spare: inout [ByteBlock], minimum: Int) -> ByteBlock {
        guard let index = spare.firstIndex(where: { $0.capacity >= minimum }) else { return ByteBlock(capacity: minimum) }
        let block = spare.remove(at: index)
        block.count = 0
        block.lineEnds = nil
        return block
    }
}

/// A source of JSON lines that can hand out whole blocks of lines, split by the workers
/// instead of the reading thread (`CatalogLineReader.forEachLine(in:after:_:)` splits them
/// by the catalog file's rules).
protocol LineBlockSource: ProductSource {
    /// Calls `body` with blocks holding whole lines (the last block may end without a
    /// newline), in order. `fresh(minimum)` gives an empty block of at least that capacity.
    func forEachBlock(fresh: (Int) -> ByteBlock, _ body: (ByteBlock) throws -> Void) throws
}
