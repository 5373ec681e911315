import SyndicCore

/// The delta snapshot an export writes as it goes, in parts of `partSize` products, so that
/// an export never holds the whole snapshot (24 bytes a product) in memory. The parts become
/// the channel's snapshot only when the export is recorded; a failed export discards them,
/// and a crashed one leaves them for the next export of the channel to remove.
final class SnapshotParts {
    /// Products per stored part (1.5 MB).
    static let partSize = 1 << 16

    let generation: Int64
    private let store: any ExportStore
    private let channel: String
    private var seq = 0

    init(store: any ExportStore, channel: String) throws {
        self.store = store
        self.channel = channel
        generation = try store.beginSnapshot(channel: channel)
    }

    /// Stores the tracker's pending entries once there are at least `minimum`.
    func store(_ tracker: inout DeltaTracker, atLeast minimum: Int) throws {
        guard let entries = tracker.takeEntries(atLeast: minimum) else { return }
        try store.appendSnapshotPart(channel: channel, generation: generation, seq: seq, entries: entries[...])
        seq += 1
    }

    /// Stores `entries` as the next part (a merged snapshot, written a part at a time).
    func append(_ entries: [DeltaSnapshot.Entry]) throws {
        guard !entries.isEmpty else { return }
        try store.appendSnapshotPart(channel: channel, generation: generation, seq: seq, entries: entries[...])
        seq += 1
    }

    /// Drops the parts written so far.
    func discard() {
        try? store.discardSnapshot(channel: channel, generation: generation)
    }
}
