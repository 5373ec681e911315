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
///
/// For a destination that takes encoded rows (`rowFormat`), the workers also encode the rows
/// to send, so the single consumer of the chunks only appends bytes; the per-chunk counts
/// are made by the workers too.
struct ExportPipeline {
    let program: ProductExportProgram
    let lookup: DeltaLookup
    var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    var chunkSize = 1024
    /// What the workers hand on of the rows to send.
    var delivery = Delivery()

    /// What the workers hand on of the rows to send.
    struct Delivery: Sendable {
        /// The rows encoded in this format (`ChunkOutput.encoded`); nil: as cells with their
        /// key and identifier (`ChunkOutput.rows`).
        var rowFormat: CSVRowFormat?
        /// Whether each row's product key and shown identifier are kept (`ChunkOutput.sentKeys`).
        var keepsSentKeys = false
    }

    /// The products of one chunk, decided.
    struct ChunkOutput: Sendable {
        /// Rows to send as cells with their product key and identifier, in source order
        /// (without a row format).
        var rows: [(row: [String], key: String, identifier: String?)] = []
        /// Rows to send encoded in the delivery's row format, in source order.
        var encoded: [UInt8] = []
        /// How many rows to send (in `rows` or `encoded`).
        var sent = 0
        /// With `keepsSentKeys`: the key of each row to send, and the identifier shown for it
        /// (the key when the product has none).
        var sentKeys: [(key: String, shown: String)] = []
        var entries: [DeltaSnapshot.Entry] = []
        /// Products that pass the filter and map, unchanged ones included: entries with an
        /// output (the export guard's count).
        var exportable = 0
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
        /// How far ahead of its place in the catalog the last unchanged product was in the
        /// previous snapshot (for `DeltaWindows`).
        var drift: Int?
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
        /// Copied product texts; the first is product `place` of the source.
        case products(Chunk, DeltaIndex, place: Int)
        /// A block of whole lines; its first line is line `place` of the file.
        case lines(ByteBlock, DeltaIndex, place: Int)
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
        let program = self.program
        let delivery = self.delivery
        DedicatedThreads.start(workers, name: "syndic-export") { _ in
            while let (item, slot) = work.take() {
                switch item {
                case .products(var chunk, let index, let place):
                    slot.output = Self.decide(chunk, program: program, index: index, delivery: delivery, place: place)
                    swap(&chunk, &slot.recycled)
                case .lines(let block, let index, let place):
                    slot.output = Self.decide(block, program: program, index: index, delivery: delivery, place: place)
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
        // With the whole previous snapshot indexed, unchanged products are decided here by
        // their text, without copying them for a worker.
        let whole: DeltaIndex? = if case .whole(let index) = lookup, index.decidesByText { index } else { nil }
        var place = 0
        func drainFirst() throws {
            let slot = inflight.removeFirst()
            slot.done.wait()
            if let drift = slot.output.drift { lookup.learn(drift: drift) }
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
            work.put(.products(chunk, try lookup.index(for: place..<place + chunk.ranges.count), place: place), slot)
            place += chunk.ranges.count
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
                if let whole, let entry = whole.unchangedEntry(rawHash: FastHash.wide(text)) {
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
        var lineCount = 0
        let window = workers * 2
        func drainFirst() throws {
            let slot = inflight.removeFirst()
            slot.done.wait()
            var output = slot.output
            if let drift = output.drift { lookup.learn(drift: drift) }
            slot.output = ChunkOutput()
            for index in output.skipped.indices { output.skipped[index].position += lineBase }
            for index in output.invalid.indices { output.invalid[index].position += lineBase }
            lineBase += output.lines
            try deliver(output)
            if let block = slot.block { spare.append(block) }
        }
        do {
            try source.forEachBlock(fresh: { ByteBlock.take(from: &spare, minimum: $0) }) { block in
                try cancellation.check()
                let slot = Slot()
                inflight.append(slot)
                // Windows of the previous snapshot follow the lines' places (counted here).
                let lines = lookup.needsPlaces ? CatalogLineReader.markLineEnds(block) : 0
                work.put(.lines(block, try lookup.index(for: lineCount..<lineCount + lines), place: lineCount), slot)
                lineCount += lines
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

    /// Decides every line of a block (split by the catalog line reader's rules: blank lines
    /// skipped, a CR before the newline dropped).
    private static func decide(_ block: ByteBlock, program: ProductExportProgram, index: DeltaIndex,
                               delivery: Delivery, place: Int) -> ChunkOutput {
        var decider = ChunkDecider(program: program, index: index, delivery: delivery)
        let lines = CatalogLineReader.forEachLine(in: block, after: 0) { text, line in
            decider.decide(text, position: line, place: place + line - 1)
        }
        decider.output.lines = lines
        return decider.finish()
    }

    private static func decide(_ chunk: Chunk, program: ProductExportProgram, index: DeltaIndex,
                               delivery: Delivery, place: Int) -> ChunkOutput {
        var decider = ChunkDecider(program: program, index: index, delivery: delivery)
        decider.output.entries.reserveCapacity(chunk.ranges.count)
        chunk.bytes.withUnsafeBytes { bytes in
            for (slot, (range, position)) in zip(chunk.ranges, chunk.positions).enumerated() {
                if let known = chunk.known[slot] {
                    decider.output.read += 1
                    decider.output.entries.append(known)
                    decider.output.unchanged += 1
                    continue
                }
                decider.decide(UnsafeRawBufferPointer(rebasing: bytes[range]), position: position, place: place + slot)
            }
        }
        return decider.finish()
    }

    /// Decides the products of one chunk or block in order, on a worker, into the chunk's
    /// output: counts, snapshot entries, and the rows to send as the delivery asks.
    private struct ChunkDecider {
        let program: ProductExportProgram
        let index: DeltaIndex
        let delivery: Delivery
        var output = ChunkOutput()
        var scratch = ProductExportProgram.Scratch()
        /// With a row format: the rows to send, encoded.
        var encoder: CSVWriter?

        init(program: ProductExportProgram, index: DeltaIndex, delivery: Delivery) {
            self.program = program
            self.index = index
            self.delivery = delivery
            encoder = delivery.rowFormat?.writer()
        }

        /// Decides one product and records the outcome.
        @inline(__always)
        mutating func decide(_ text: UnsafeRawBufferPointer, position: Int, place: Int) {
            output.read += 1
            switch program.process(text, index: index, entries: &output.entries, scratch: &scratch) {
            case .unchanged:
                output.unchanged += 1
                output.drift = scratch.matchedOrdinal - place
            case .same:
                output.unchanged += 1
            case .filteredOut:
                output.filteredOut += 1
            case .skipped(let skip):
                output.skipped.append((position, scratch.fields.property("identifier")?.stringValue ?? scratch.key,
                                       skip.reason))
            case .invalid(let reason):
                output.invalid.append((position, reason))
            case .send:
                output.sent += 1
                let identifier = encoder == nil || delivery.keepsSentKeys
                    ? scratch.fields.property("identifier")?.stringValue : nil
                if encoder != nil {
                    encoder!.writeRow(scratch.row)
                } else {
                    output.rows.append((scratch.row, scratch.key, identifier))
                }
                if delivery.keepsSentKeys { output.sentKeys.append((scratch.key, identifier ?? scratch.key)) }
            }
        }

        /// The chunk's output, once every product is decided.
        mutating func finish() -> ChunkOutput {
            if let encoder { output.encoded = encoder.bytes }
            output.exportable = ProductExport.exportable(output.entries)
            return output
        }
    }
}

/// Where a pipeline finds the previous snapshot: indexed whole, or in windows read beside
/// the catalog (large catalogs).
enum DeltaLookup {
    case whole(DeltaIndex)
    case windows(DeltaWindows)

    /// Whether the index depends on the products' places in the source.
    var needsPlaces: Bool {
        if case .windows = self { return true }
        return false
    }

    /// The index for the products at `places` of the source.
    func index(for places: Range<Int>) throws -> DeltaIndex {
        switch self {
        case .whole(let index): index
        case .windows(let windows): try windows.index(for: places)
        }
    }

    /// Learns how far the previous snapshot's places are from the source's.
    func learn(drift: Int) {
        if case .windows(let windows) = self { windows.drift = drift }
    }
}
