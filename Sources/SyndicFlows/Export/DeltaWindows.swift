import SyndicCore

/// The previous snapshot of a large catalog, read part by part beside the catalog instead of
/// indexed whole, so that a delta export's memory does not grow with the catalog.
///
/// Products are looked up in a window of the previous snapshot around their place in the
/// catalog: the stored parts (65,536 products each) that hold the places from `margin`
/// before to `margin` after the products asked for, following how far the catalog has
/// drifted (products added or removed before them). Each part is indexed once
/// (`DeltaChunk`), while the part after the window is indexed on another thread as the
/// products go on, so that the thread reading the catalog does not stop to build it.
/// A product whose text is unchanged but moved out of its window is not recognized and is
/// sent again: a delta export never sends less than what changed, at worst a little more.
final class DeltaWindows {
    let margin: Int
    private let store: any ExportStore
    private let channel: String
    private let header: SnapshotHeader
    private let generation: Int64
    private let specDigest: String
    private let byText: Bool
    /// The window: consecutive indexed parts.
    private var chunks: [DeltaChunk] = []
    /// The part after the window, being indexed on another thread.
    private var upcoming: Prefetch<DeltaChunk>?
    /// The next part to read, and the ordinal of its first entry.
    private var nextPart = 0
    private var nextOrdinal = 0
    private var exhausted = false
    /// The index of the current window (rebuilt only when the window changes).
    private var current: DeltaIndex?
    /// How far the previous snapshot's places are ahead of the catalog's (learned as it goes).
    var drift = 0

    init(store: any ExportStore, channel: String, header: SnapshotHeader, generation: Int64, specDigest: String,
         margin: Int = 1 << 15) {
        self.store = store
        self.channel = channel
        self.header = header
        self.generation = generation
        self.specDigest = specDigest
        self.margin = margin
        byText = header.specDigest == specDigest
    }

    /// The index for products at places `range` of the catalog: the parts of the previous
    /// snapshot that hold its places from `margin` before the range to `margin` after it
    /// (shifted by the drift). Windows never move back.
    func index(for range: Range<Int>) throws -> DeltaIndex {
        let low = max(0, range.lowerBound + drift)
        let high = max(low, range.upperBound + drift)
        let needFrom = max(0, low - margin)
        let needTo = high + margin
        var changed = current == nil
        while let first = chunks.first, first.end <= needFrom {
            chunks.removeFirst()
            changed = true
        }
        while chunks.last.map({ $0.end < needTo }) ?? true, let chunk = try nextChunk() {
            guard chunk.end > needFrom else { continue }  // wholly before the window: skipped
            chunks.append(chunk)
            changed = true
        }
        if changed {
            current = DeltaIndex(specDigest: specDigest, chunks: chunks, byText: byText)
        }
        try prepareNext()
        return current!
    }

    /// The next part indexed: the one indexed ahead, or read and indexed now; nil past the last.
    private func nextChunk() throws -> DeltaChunk? {
        if let next = upcoming {
            upcoming = nil
            return try next.value()
        }
        guard let (entries, first) = try readPart() else { return nil }
        return DeltaChunk(entries, firstOrdinal: first, byText: byText)
    }

    /// Starts indexing the part after the window on another thread.
    private func prepareNext() throws {
        guard upcoming == nil, let (entries, first) = try readPart() else { return }
        let byText = byText
        upcoming = Prefetch { DeltaChunk(entries, firstOrdinal: first, byText: byText) }
    }

    /// The next stored part, refused keys marked, and the ordinal of its first entry.
    private func readPart() throws -> ([DeltaSnapshot.Entry], Int)? {
        guard !exhausted else { return nil }
        guard let part = try store.snapshotPart(channel: channel, generation: generation, seq: nextPart) else {
            exhausted = true
            return nil
        }
        let first = nextOrdinal
        nextPart += 1
        nextOrdinal += part.count
        return (DeltaSnapshot.marking(part, refused: header.refused), first)
    }
}
