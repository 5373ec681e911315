import Foundation

/// A JSON-lines file of Akeneo-format products (the embedded default source), read in
/// blocks of a few megabytes: memory stays flat whatever the file's size. A UTF-8 byte
/// order mark at the start is skipped; blank lines are skipped; a line may be as long as it
/// needs.
struct CatalogFileSource: LineBlockSource {
    let path: String
    var blockSize = 4 << 20

    var description: String { "catalog file \(path)" }

    func forEachProduct(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            // A missing or unreadable file needs someone to fix it: not retried.
            throw FlowError(.configuration, "cannot open the catalog file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 16)
        var capacity = blockSize
        defer { buffer.deallocate() }
        var filled = 0
        var line = 0
        var atEnd = false
        var markChecked = false
        while !atEnd {
            if filled == capacity {
                // One line longer than the buffer: grow it.
                let larger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                larger.copyMemory(from: buffer, byteCount: filled)
                buffer.deallocate()
                buffer = larger
                capacity *= 2
            }
            let count = read(descriptor, buffer + filled, capacity - filled)
            if count < 0 {
                if errno == EINTR { continue }
                throw FlowError(.storage, "cannot read the catalog file \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { atEnd = true }
            filled += count
            var start = 0
            if !markChecked {
                guard filled >= Self.byteOrderMark.count || atEnd else { continue }
                markChecked = true
                if Self.startsWithByteOrderMark(UnsafeRawBufferPointer(start: buffer, count: filled)) {
                    start = Self.byteOrderMark.count
                }
            }
            while start < filled {
                let rest = filled - start
                let found = memchr(buffer + start, 0x0A, rest)
                let end: Int
                if let found {
                    end = found - UnsafeMutableRawPointer(buffer)
                } else if atEnd {
                    end = filled
                } else {
                    break
                }
                line += 1
                var lineEnd = end
                if lineEnd > start, buffer.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 0x0D { lineEnd -= 1 }
                if !Self.isBlank(buffer + start, lineEnd - start) {
                    try body(UnsafeRawBufferPointer(start: buffer + start, count: lineEnd - start), line)
                }
                start = end + 1
            }
            if start > 0 {
                let kept = max(0, filled - start)
                if kept > 0 { memmove(buffer, buffer + start, kept) }
                filled = kept
            }
        }
    }

    /// The UTF-8 byte order mark, which some editors write at the start of a file.
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private static func startsWithByteOrderMark(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= byteOrderMark.count && zip(bytes, byteOrderMark).allSatisfy { $0 == $1 }
    }

    private static func isBlank(_ start: UnsafeMutableRawPointer, _ count: Int) -> Bool {
        for offset in 0..<count {
            let byte = start.load(fromByteOffset: offset, as: UInt8.self)
            if byte != 0x20, byte != 0x09 { return false }
        }
        return true
    }

    func forEachBlock(fresh: (Int) -> ByteBlock, _ body: (ByteBlock) throws -> Void) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw FlowError(.configuration, "cannot open the catalog file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
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
            try body(block)
            block = next
        }
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
