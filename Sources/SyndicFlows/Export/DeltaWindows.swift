import Foundation
import SyndicCore

/// The previous snapshot of a large catalog, read part by part beside the catalog instead of
/// indexed whole, so that a delta export's memory does not grow with the catalog.
///
/// Products are looked up in a window of the previous snapshot around their place in the
/// catalog — at least `segment` products, with `margin` products on either side — that
/// follows how far the catalog has drifted (products added or removed before them).
/// A product whose text is unchanged but moved further than the margin is not recognized and
/// is sent again: a delta export never sends less than what changed, at worst a little more.
///
/// Once a window is indexed, the one the catalog should need next is indexed on another
/// thread while the products go on (`upcoming`), so that the thread reading the catalog does
/// not stop to build it; a window asked for that it does not cover is built then.
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
    /// The next window, being indexed on another thread.
    private var upcoming: Upcoming?
    /// How many places the last range asked for held (a block of the catalog).
    private var lastCount = 0
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
        lastCount = range.count
        let low = max(0, range.lowerBound + drift)
        let high = max(low, range.upperBound + drift)
        let needFrom = max(max(0, low - margin), bufferStart)  // windows never move back
        let needTo = high + margin
        if let current, covers(current.from, current.to, needFrom, needTo) {
            return current.index
        }
        if let next = upcoming, covers(next.from, next.to, needFrom, needTo) {
            upcoming = nil
            drop(before: next.from)
            let index = next.wait()
            current = (next.from, next.to, index)
            try prepareNext()
            return index
        }
        let to = max(needTo, low + segment + margin)
        try read(upTo: to)
        drop(before: needFrom)
        let window = Array(buffer.prefix(max(0, to - bufferStart)))
        let index = Self.index(window, from: bufferStart, previousDigest: header.specDigest, specDigest: specDigest)
        current = (bufferStart, bufferStart + window.count, index)
        try prepareNext()
        return index
    }

    /// Whether a window `from..<to` covers the entries `needFrom..<needTo` (or all there are after `needFrom`).
    private func covers(_ from: Int, _ to: Int, _ needFrom: Int, _ needTo: Int) -> Bool {
        from <= needFrom && (to >= needTo || (exhausted && to >= bufferEnd))
    }

    /// Forgets the entries before `start`.
    private func drop(before start: Int) {
        guard start > bufferStart else { return }
        buffer.removeFirst(min(start - bufferStart, buffer.count))
        bufferStart = start
    }

    /// Starts indexing the window the catalog should need after the current one: the ranges
    /// asked for move on by about `lastCount` places at a time, so the first one the current
    /// window misses starts within `margin + lastCount` places of its end.
    private func prepareNext() throws {
        upcoming = nil
        guard let current, !(exhausted && current.to >= bufferEnd) else { return }
        let from = max(bufferStart, current.to - 2 * margin - 2 * lastCount)
        let to = current.to + segment
        try read(upTo: to)
        guard bufferEnd > current.to else { return }
        let window = Array(buffer[(from - bufferStart)..<(min(to, bufferEnd) - bufferStart)])
        let previousDigest = header.specDigest, specDigest = specDigest
        upcoming = Upcoming(from: from, to: from + window.count) {
            Self.index(window, from: from, previousDigest: previousDigest, specDigest: specDigest)
        }
    }

    /// The index of `window`, the previous snapshot's entries from `from` on.
    private static func index(_ window: [DeltaSnapshot.Entry], from: Int, previousDigest: String,
                              specDigest: String) -> DeltaIndex {
        DeltaIndex(delta: true, specDigest: specDigest,
                   previous: DeltaSnapshot(specDigest: previousDigest, entries: window), firstOrdinal: from)
    }

    /// A window indexed on a thread of its own.
    private final class Upcoming: @unchecked Sendable {
        let from: Int
        let to: Int
        private let done = DispatchSemaphore(value: 0)
        private var index: DeltaIndex?

        init(from: Int, to: Int, build: @escaping @Sendable () -> DeltaIndex) {
            self.from = from
            self.to = to
            DispatchQueue.global().async { [self] in
                index = build()
                done.signal()
            }
        }

        /// The index, once built (called once).
        func wait() -> DeltaIndex {
            done.wait()
            return index!
        }
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
