import Dispatch
import Foundation
import SyndicCore

/// Runs the per-product work of an export (read, filter, map, hash) on every core, in chunks
/// of products, and hands the results on in source order.
///
/// The source is read on the calling thread; each chunk's product texts are copied into one
/// buffer and decided on a worker thread of its own against the shared, read-only delta index. At most a few
/// chunks are in flight, so memory stays bounded whatever the catalog's size.
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

    private final class Slot: @unchecked Sendable {
        var output = ChunkOutput()
        /// The chunk's buffers, handed back for the next chunk (no new pages to fault in).
        var recycled = Chunk()
        let done = DispatchSemaphore(value: 0)
    }

    /// Reads `source` to the end, calling `deliver` with each chunk's output in order.
    func run(_ source: ProductSource, cancellation: CancellationFlag, deliver: (ChunkOutput) throws -> Void) throws {
        let work = WorkQueue()
        let (program, index) = (self.program, self.index)
        DedicatedThreads.start(workers, name: "syndic-export") { _ in
            while var job = work.take() {
                job.slot.output = Self.decide(job.chunk, program: program, index: index)
                swap(&job.chunk, &job.slot.recycled)
                job.slot.done.signal()
            }
        }
        defer { work.close() }
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
            work.put(chunk, slot)
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

    /// Chunks waiting for a worker; `take` blocks until one comes or the queue closes.
    private final class WorkQueue: @unchecked Sendable {
        private let condition = NSCondition()
        private var items: [(chunk: Chunk, slot: Slot)] = []
        private var closed = false

        func put(_ chunk: Chunk, _ slot: Slot) {
            condition.lock()
            items.append((chunk, slot))
            condition.signal()
            condition.unlock()
        }

        func take() -> (chunk: Chunk, slot: Slot)? {
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
        }
        return output
    }
}
