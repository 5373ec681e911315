import Foundation

/// The one reader of a JSON-lines catalog file (one product per line): the file is read in
/// blocks of a few megabytes, so memory stays flat whatever its size, and handed on either
/// as blocks of whole lines (the export's workers split them) or line by line.
///
/// The rules, the same both ways: a UTF-8 byte order mark at the start of the file is
/// skipped; lines are numbered from 1, blank ones (spaces and tabs only) included but not
/// handed on; a carriage return before the newline is dropped; the last line needs no
/// newline; a line may be as long as it needs (a block grows to hold it).
///
/// As it goes it tells `consumed` how many bytes of the file it handed on (the byte order
/// mark counted) and the file's size: the run's progress. The count reaches the size at the
/// end of the file.
struct CatalogLineReader {
    let path: String
    /// The bytes read at once (a block grows beyond it only for a longer line).
    var blockSize = 4 << 20
    /// Told the bytes of the file handed on so far and the file's size: once when the file
    /// is opened (0), then with each block.
    var consumed: ((_ bytes: Int, _ size: Int) -> Void)?

    /// The UTF-8 byte order mark, which some editors write at the start of a file.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Calls `body` with the text of each non-blank line (no newline, no carriage return
    /// before it) and its line number, in order; stops at the first error `body` throws.
    func forEachLine(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        // Two blocks take turns: one is handed on while the next is being filled.
        var spare: [ByteBlock] = []
        var lines = 0
        try forEachBlock(fresh: { ByteBlock.take(from: &spare, minimum: $0) }) { block in
            let held = try Self.forEachLine(in: block.bytes, after: lines, body)
            lines += held
            spare.append(block)
        }
    }

    /// Calls `body` with blocks holding whole lines, in order (the last block may end without
    /// a newline); the byte order mark is left out of the first. `fresh(minimum)` gives an
    /// empty block of at least that capacity; a block is `body`'s once handed on.
    func forEachBlock(fresh: (Int) -> ByteBlock, _ body: (ByteBlock) throws -> Void) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            // A missing or unreadable file needs someone to fix it: not retried.
            throw FlowError(.configuration, "cannot open the catalog file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        let size = fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
        // Bytes read from the file so far.
        var total = 0
        consumed?(0, size)
        var block = fresh(blockSize)
        var atEnd = false
        var markChecked = false
        while !atEnd {
            if block.count == block.capacity {
                // One line longer than the block: a larger one.
                let larger = fresh(block.capacity * 2)
                larger.base.copyMemory(from: block.base, byteCount: block.count)
                larger.count = block.count
                block = larger
            }
            let count = read(descriptor, block.base + block.count, block.capacity - block.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw FlowError(.storage, "cannot read the catalog file \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 {
                atEnd = true
            } else {
                block.count += count
                total += count
                if block.count < block.capacity { continue }  // fill the block before handing it on
            }
            if !markChecked {
                // The first block is full or the file ended: a byte order mark is not a product.
                markChecked = true
                if Self.startsWithByteOrderMark(block.bytes) {
                    let mark = Self.byteOrderMark.count
                    memmove(block.base, block.base + mark, block.count - mark)
                    block.count -= mark
                }
            }
            if atEnd {
                consumed?(total, max(size, total))
                if block.count > 0 { try body(block) }
                return
            }
            guard let last = Self.lastNewline(block) else { continue }
            let cut = last + 1
            let tail = block.count - cut
            let next = fresh(max(blockSize, tail + 1))
            if tail > 0 { next.base.copyMemory(from: block.base + cut, byteCount: tail) }
            next.count = tail
            block.count = cut
            consumed?(total - tail, max(size, total))
            try body(block)
            block = next
        }
    }

    /// Calls `body` with each non-blank line of `bytes` — whole lines, the last one may lack
    /// its newline — and its number (`after` + its place from 1); returns how many lines
    /// `bytes` held, blank ones included. What the export's workers use to split a block.
    @inline(__always)
    static func forEachLine(in bytes: UnsafeRawBufferPointer, after: Int,
                            _ body: (UnsafeRawBufferPointer, Int) throws -> Void) rethrows -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var start = 0
        var line = 0
        while start < bytes.count {
            let (end, textEnd) = lineEnd(base, from: start, count: bytes.count)
            line += 1
            try emit(base, start, textEnd, after + line, body)
            start = end + 1
        }
        return line
    }

    /// `forEachLine(in:after:_:)` over a block, by the marks of its line ends when the reading
    /// thread made them (`markLineEnds`), else by searching them.
    @inline(__always)
    static func forEachLine(in block: ByteBlock, after: Int,
                            _ body: (UnsafeRawBufferPointer, Int) throws -> Void) rethrows -> Int {
        guard let ends = block.lineEnds else { return try forEachLine(in: block.bytes, after: after, body) }
        var start = 0
        for (index, mark) in ends.enumerated() {
            let end = mark >> 1
            try emit(block.base, start, end - (mark & 1), after + index + 1, body)
            start = end + 1
        }
        return ends.count
    }

    /// Marks where each line of `block` ends and returns how many lines it holds, blank ones
    /// included: the thread that must count them marks them, so that the worker does not
    /// search them again. A mark is the offset of the line's newline (or of the end of the
    /// block, for a last line without one) times two, plus one when a carriage return comes
    /// before it: the worker then reads each line from its start only, as it hashes it.
    static func markLineEnds(_ block: ByteBlock) -> Int {
        var ends: [Int] = []
        let bytes = block.bytes
        if let base = bytes.baseAddress {
            var start = 0
            while start < bytes.count {
                let (end, textEnd) = lineEnd(base, from: start, count: bytes.count)
                ends.append(end << 1 | (end - textEnd))
                start = end + 1
            }
        }
        block.lineEnds = ends
        return ends.count
    }

    /// Where the line from `start` ends: its newline (or `count`), and the end of its text, a
    /// carriage return before the newline left out.
    @inline(__always)
    private static func lineEnd(_ base: UnsafeRawPointer, from start: Int, count: Int) -> (end: Int, textEnd: Int) {
        let end = memchr(base + start, 0x0A, count - start).map { base.distance(to: UnsafeRawPointer($0)) } ?? count
        let carriageReturn = end > start && base.load(fromByteOffset: end - 1, as: UInt8.self) == 0x0D
        return (end, carriageReturn ? end - 1 : end)
    }

    /// Calls `body` with the text from `start` to `textEnd` and its number, unless it is blank.
    @inline(__always)
    private static func emit(_ base: UnsafeRawPointer, _ start: Int, _ textEnd: Int, _ number: Int,
                             _ body: (UnsafeRawBufferPointer, Int) throws -> Void) rethrows {
        if !isBlank(base + start, textEnd - start) {
            try body(UnsafeRawBufferPointer(start: base + start, count: textEnd - start), number)
        }
    }

    /// Whether a line holds only spaces and tabs.
    @inline(__always)
    private static func isBlank(_ start: UnsafeRawPointer, _ count: Int) -> Bool {
        for offset in 0..<count {
            let byte = start.load(fromByteOffset: offset, as: UInt8.self)
            if byte != 0x20, byte != 0x09 { return false }
        }
        return true
    }

    private static func startsWithByteOrderMark(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= byteOrderMark.count && zip(bytes, byteOrderMark).allSatisfy { $0 == $1 }
    }

    /// The offset of the block's last newline (a line is short: the scan from the end is too).
    private static func lastNewline(_ block: ByteBlock) -> Int? {
        var offset = block.count - 1
        while offset >= 0 {
            if block.base.load(fromByteOffset: offset, as: UInt8.self) == 0x0A { return offset }
            offset -= 1
        }
        return nil
    }
}
