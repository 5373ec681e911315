import Foundation
import SyndicCore

/// The delta snapshot an export writes as it goes, in parts of 65,536 products (1.5 MB;
/// `ProductExportJob.snapshotPartSize`), so that an export never holds the whole snapshot
/// (24 bytes a product) in memory. The parts become
/// the channel's snapshot only when the export is recorded; a failed export discards them,
/// and a crashed one leaves them for the next export of the channel to remove. That next
/// export also removes the snapshot before the channel's current one, beside its own work.
///
/// Parts are stored in order on a thread of their own, at most `pending` waiting, so that the
/// export does not stop while the state commits them (a commit may wait on the disk). The
/// first failure is thrown by the next call, and `flush` waits for every part before the
/// export is recorded.
final class SnapshotParts: @unchecked Sendable {
    /// Parts handed over and not yet stored, at most.
    static let pending = 2

    let generation: Int64
    private let store: any ExportStore
    private let channel: String
    private var seq = 0
    private let writer = DispatchQueue(label: "syndic.snapshot-parts")
    private let room = DispatchSemaphore(value: SnapshotParts.pending)
    private let lock = NSLock()
    private var failure: (any Error)?

    init(store: any ExportStore, channel: String) throws {
        self.store = store
        self.channel = channel
        generation = try store.beginSnapshot(channel: channel)
        let generation = generation
        onWriter { try store.removeStaleSnapshots(channel: channel, before: generation) }
    }

    /// Stores the tracker's pending entries in parts of `size`, the rest kept for later.
    func store(_ tracker: inout DeltaTracker, partSize size: Int) throws {
        while let part = tracker.takePart(size: size) { try hand(part) }
    }

    /// Stores the tracker's last pending entries (fewer than a part), if any.
    func storeRest(_ tracker: inout DeltaTracker) throws {
        guard let entries = tracker.takeEntries(atLeast: 1) else { return }
        try hand(entries)
    }

    /// Stores `entries` as the next part (a merged snapshot, written a part at a time).
    func append(_ entries: [DeltaSnapshot.Entry]) throws {
        guard !entries.isEmpty else { return }
        try hand(entries)
    }

    /// Waits until every part handed over is stored; throws the first failure.
    func flush() throws {
        writer.sync {}
        try checked()
    }

    /// Drops the parts written so far (once those in flight are written).
    func discard() {
        writer.sync {}
        try? store.discardSnapshot(channel: channel, generation: generation)
    }

    /// Hands `entries` to the writer as the next part, once fewer than `pending` wait.
    private func hand(_ entries: [DeltaSnapshot.Entry]) throws {
        try checked()
        let part = seq
        seq += 1
        room.wait()
        onWriter { [self] in
            try store.appendSnapshotPart(channel: channel, generation: generation, seq: part, entries: entries[...])
        }
        writer.async { [room] in room.signal() }  // also after a part skipped for an earlier failure
    }

    /// Runs `work` on the writer thread after what was handed before, unless something failed
    /// already; its failure is kept for the next call.
    private func onWriter(_ work: @escaping @Sendable () throws -> Void) {
        writer.async { [self] in
            guard lock.withLock({ failure == nil }) else { return }
            do {
                try work()
            } catch {
                lock.withLock { failure = error }
            }
        }
    }

    private func checked() throws {
        if let failure = lock.withLock({ failure }) { throw failure }
    }
}
