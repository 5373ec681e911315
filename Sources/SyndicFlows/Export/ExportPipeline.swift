import Dispatch
import Foundation
import SyndicCore

/// Runs the per-product work of an export (read, filter, map, hash) on every core, in chunks
/// of products, and hands the results on in source order.
///
/// The source is read on the calling thread. A JSON-lines file is handed on in blocks of whole
/// lines that the workers split themselves; other sources' product texts are copied into
/// chunks. Workers are threads of their own and decide against the shared, read-only delta
/// index. At most a few blocks or chunks are in flight, so memory stays bounded whatever the
/// catalog's size.
struct ExportPipeline {
    let program: ProductExportProgram
    let index: DeltaIndex
    var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    var chunkSize = 1024

    /// The products of one chunk, decided.
    struct ChunkOutput: Sendable {
        /// Rows to send with their product key and identifier, in source order.
        var rows: [(row: [String], key: String, identifier: String?)] = []
        var entries: [DeltaSnapshot.Entry] = []
        var read = 0
        var unchanged = 0
        var filteredOut = 0
        /// Skipped products: position, key, reason.
        var skipped: [(position: Int, key: String, reason: String)] = []
        /// Products that are not products: position, reason.
        var invalid: [(position: Int, reason: String)] = []
        /// Block mode: the lines the block held (positions above are within the block until
        /// the pipeline makes them absolute).
        var lines = 0
    }

    private struct Chunk: Sendable {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        var positions: [Int] = []
        /// Products already known unchanged from their text (delta): their previous entry; their
        /// text was not copied.
        var known: [DeltaSnapshot.Entry?] = []

        mutating func empty() {
            bytes.removeAll(keepingCapacity: true)
            ranges.removeAll(keepingCapacity: true)
            positions.removeAll(keepingCapacity: true)
            known.removeAll(keepingCapacity: true)
        }
    }

    /// What a worker decides: copied product texts, or a block of whole lines.
    private enum Work: Sendable {
        case products(Chunk)
        case lines(ByteBlock)
    }

    private final class Slot: @unchecked Sendable {
        var output = ChunkOutput()
        /// Block mode: the block, handed back once decided.
        var block: ByteBlock?
        /// The chunk's buffers, handed back for the next chunk (no new pages to fault in).
        var recycled = Chunk()
        let done = DispatchSemaphore(value: 0)
    }

    /// Reads `source` to the end, calling `deliver` with each chunk's output in order.
    func run(_ source: ProductSource, cancellation: CancellationFlag, deliver: (ChunkOutput) throws -> Void) throws {
        let work = WorkQueue()
        let (program, index) = (self.program, self.index)
        DedicatedThreads.start(workers, name: "syndic-export") { _ in
            while let (item, slot) = work.take() {
                switch item {
                case .products(var chunk):
                    slot.output = Self.decide(chunk, program: program, index: index)
                    swap(&chunk, &slot.recycled)
                case .lines(let block):
                    slot.output = Self.decide(block, program: program, index: index)
                    slot.block = block
                }
                slot.done.signal()
            }
        }
        defer { work.close() }
        if let blocks = source as? LineBlockSource {
            return try runBlocks(blocks, work: work, cancellation: cancellation, deliver: deliver)
        }
        var inflight: [Slot] = []
        var spare: [Chunk] = []
        var chunk = Chunk()
        chunk.bytes.reserveCapacity(2 << 20)
        let window = workers * 2
        let byText = index.decidesByText
        func drainFirst() throws {
            let slot = inflight.removeFirst()
            slot.done.wait()
            try deliver(slot.output)
            slot.output = ChunkOutput()
            var buffers = Chunk()
            swap(&buffers, &slot.recycled)
            spare.append(buffers)
        }
        func submit() throws {
            guard !chunk.ranges.isEmpty else { return }
            let slot = Slot()
            inflight.append(slot)
            work.put(.products(chunk), slot)
            if var reused = spare.popLast() {
                reused.empty()
                chunk = reused
            } else {
                chunk = Chunk()
                chunk.bytes.reserveCapacity(2 << 20)
            }
            while inflight.count > window { try drainFirst() }
        }
        do {
            try source.forEachProduct { text, position in
                // A delta export with an unchanged spec knows unchanged products by their text
                // alone: they are decided here, without copying them for a worker.
                if byText, let entry = index.unchangedEntry(rawHash: FastHash.hash(text)) {
                    chunk.ranges.append(0..<0)
                    chunk.known.append(entry)
                } else {
                    let start = chunk.bytes.count
                    chunk.bytes.append(contentsOf: text)
                    chunk.ranges.append(start..<chunk.bytes.count)
                    chunk.known.append(nil)
                }
                chunk.positions.append(position)
                if chunk.ranges.count == chunkSize || chunk.bytes.count >= 4 << 20 {
                    try cancellation.check()
                    try submit()
                }
            }
            try submit()
            while !inflight.isEmpty { try drainFirst() }
        } catch {
            // Let the chunks in flight finish before their buffers go.
            for slot in inflight { slot.done.wait() }
            throw error
        }
    }

    /// Block mode: the file is read in blocks of whole lines; each block goes to a worker as
    /// it is, and comes back to be filled again once decided.
    private func runBlocks(_ source: LineBlockSource, work: WorkQueue, cancellation: CancellationFlag,
                           deliver: (ChunkOutput) throws -> Void) throws {
        var inflight: [Slot] = []
        var spare: [ByteBlock] = []
        var lineBase = 0
        let window = workers * 2
        func drainFirst() throws {
            let slot = inflight.removeFirst()
            slot.done.wait()
            var output = slot.output
            slot.output = ChunkOutput()
            for index in output.skipped.indices { output.skipped[index].position += lineBase }
            for index in output.invalid.indices { output.invalid[index].position += lineBase }
            lineBase += output.lines
            try deliver(output)
            if let block = slot.block { spare.append(block) }
        }
        do {
            try source.forEachBlock(fresh: { minimum in
                if let reused = spare.firstIndex(where: { $0.capacity >= minimum }) {
                    let block = spare.remove(at: reused)
                    block.count = 0
                    return block
                }
                return ByteBlock(capacity: minimum)
            }) { block in
                try cancellation.check()
                let slot = Slot()
                inflight.append(slot)
                work.put(.lines(block), slot)
                while inflight.count > window { try drainFirst() }
            }
            while !inflight.isEmpty { try drainFirst() }
        } catch {
            // Let the blocks in flight finish before they go.
            for slot in inflight { slot.done.wait() }
            throw error
        }
    }

    /// Chunks waiting for a worker; `take` blocks until one comes or the queue closes.
    private final class WorkQueue: @unchecked Sendable {
        private let condition = NSCondition()
        private var items: [(work: Work, slot: Slot)] = []
        private var closed = false

        func put(_ work: Work, _ slot: Slot) {
            condition.lock()
            items.append((work, slot))
            condition.signal()
            condition.unlock()
        }

        func take() -> (work: Work, slot: Slot)? {
            condition.lock()
            defer { condition.unlock() }
            while items.isEmpty && !closed { condition.wait() }
            return items.isEmpty ? nil : items.removeFirst()
        }

        func close() {
            condition.lock()
            closed = true
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Decides every line of a block (blank lines skipped, a CR before the newline dropped).
    private static func decide(_ block: ByteBlock, program: ProductExportProgram, index: DeltaIndex) -> ChunkOutput {
        var output = ChunkOutput()
        var scratch = ProductExportProgram.Scratch()
        let base = block.base, count = block.count
        var start = 0
        var line = 0
        while start < count {
            let end = memchr(base + start, 0x0A, count - start).map { base.distance(to: $0) } ?? count
            line += 1
            var lineEnd = end
            if lineEnd > start, base.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 0x0D { lineEnd -= 1 }
            let text = UnsafeRawBufferPointer(start: base + start, count: lineEnd - start)
            if !text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                decide(text, position: line, program: program, index: index, output: &output, scratch: &scratch)
            }
            start = end + 1
        }
        output.lines = line
        return output
    }

    /// Decides one product and records the outcome.
    @inline(__always)
    private static func decide(_ text: UnsafeRawBufferPointer, position: Int, program: ProductExportProgram,
                               index: DeltaIndex, output: inout ChunkOutput, scratch: inout ProductExportProgram.Scratch) {
        output.read += 1
        switch program.process(text, index: index, entries: &output.entries, scratch: &scratch) {
        case .unchanged, .same:
            output.unchanged += 1
        case .filteredOut:
            output.filteredOut += 1
        case .skipped(let skip):
            output.skipped.append((position, scratch.fields.property("identifier")?.stringValue ?? scratch.key, skip.reason))
        case .invalid(let reason):
            output.invalid.append((position, reason))
        case .send:
            output.rows.append((scratch.row, scratch.key, scratch.fields.property("identifier")?.stringValue))
        }
    }

    private static func decide(_ chunk: Chunk, program: ProductExportProgram, index: DeltaIndex) -> ChunkOutput {
        var output = ChunkOutput()
        output.entries.reserveCapacity(chunk.ranges.count)
        var scratch = ProductExportProgram.Scratch()
        chunk.bytes.withUnsafeBytes { bytes in
            for (slot, (range, position)) in zip(chunk.ranges, chunk.positions).enumerated() {
                output.read += 1
                if let known = chunk.known[slot] {
                    output.entries.append(known)
                    output.unchanged += 1
                    continue
                }
                let text = UnsafeRawBufferPointer(rebasing: bytes[range])
                output.read -= 1  // counted by the helper
                decide(text, position: position, program: program, index: index, output: &output, scratch: &scratch)
            }
        }
        return output
    }
}
