import SyndicCore

/// The previous snapshot of a large catalog, read part by part beside the catalog instead of
/// indexed whole, so that a delta export's memory does not grow with the catalog.
///
/// Products are looked up in a window of the previous snapshot around their place in the
/// catalog — at least `segment` products, with `margin` products on either side — that
/// follows how far the catalog has drifted (products added or removed before them).
/// A product whose text is unchanged but moved further than the margin is not recognized and
/// is sent again: a delta export never sends less than what changed, at worst a little more.
final class DeltaWindows {
    let segment: Int
    let margin: Int
    private let store: any ExportStore
    private let channel: String
    private let header: SnapshotHeader
    private let generation: Int64
    private let specDigest: String
    /// Entries of the previous snapshot read so far and still needed; `buffer[0]` is entry
    /// `bufferStart` of the snapshot.
    private var buffer: [DeltaSnapshot.Entry] = []
    private var bufferStart = 0
    private var nextPart = 0
    private var exhausted = false
    /// The window indexed last: the previous snapshot's entries `from..<to`.
    private var current: (from: Int, to: Int, index: DeltaIndex)?
    /// How far the previous snapshot's places are ahead of the catalog's (learned as it goes).
    var drift = 0

    init(store: any ExportStore, channel: String, header: SnapshotHeader, generation: Int64, specDigest: String,
         segment: Int = 1 << 17, margin: Int = 1 << 15) {
        self.store = store
        self.channel = channel
        self.header = header
        self.generation = generation
        self.specDigest = specDigest
        self.segment = segment
        self.margin = margin
    }

    /// The index for products at places `range` of the catalog: a window of the previous
    /// snapshot from `margin` before the range to `margin` after it (shifted by the drift),
    /// reused while it covers the ranges asked for, at least `segment` products long.
    func index(for range: Range<Int>) throws -> DeltaIndex {
        let low = max(0, range.lowerBound + drift)
        let high = max(low, range.upperBound + drift)
        let needFrom = max(max(0, low - margin), bufferStart)  // windows never move back
        let needTo = high + margin
        if let current, current.from <= needFrom, current.to >= needTo || (exhausted && current.to >= bufferEnd) {
            return current.index
        }
        let to = max(needTo, low + segment + margin)
        try read(upTo: to)
        if needFrom > bufferStart {
            buffer.removeFirst(min(needFrom - bufferStart, buffer.count))
            bufferStart = needFrom
        }
        let window = Array(buffer.prefix(max(0, to - bufferStart)))
        let index = DeltaIndex(delta: true, specDigest: specDigest,
                               previous: DeltaSnapshot(specDigest: header.specDigest, entries: window),
                               firstOrdinal: bufferStart)
        current = (bufferStart, bufferStart + window.count, index)
        return index
    }

    private var bufferEnd: Int { bufferStart + buffer.count }

    private func read(upTo end: Int) throws {
        while !exhausted, bufferStart + buffer.count < end {
            guard let part = try store.snapshotPart(channel: channel, generation: generation, seq: nextPart) else {
                exhausted = true
                return
            }
            buffer.append(contentsOf: DeltaSnapshot.marking(part, refused: header.refused))
            nextPart += 1
        }
    }
}
