import Foundation
import SyndicCore
import SyndicEngine

/// The export guard in a product export run: what it compares with, the counting pass for
/// destinations that deliver while products are added, and what a held export reports.
///
/// The guard decides before anything reaches the partner. A flat-file or mirakl destination
/// delivers only in `finish`, so the guard decides between the scan and `finish`. An
/// akeneo-api destination sends batches during the scan, so the source is first read,
/// filtered and mapped once without sending (`countingPass`), and read again to send only
/// when the guard lets the export go.
extension ProductExport {
    /// The products that passed the filter and mapped among snapshot entries: those with an
    /// output.
    static func exportable(_ entries: [DeltaSnapshot.Entry]) -> Int {
        entries.reduce(0) { $0 + ($1.outputHash != 0 ? 1 : 0) }
    }

    /// How many products passed the filter and mapped at the channel's last successful export
    /// (full or delta: its snapshot covers every product it read, unchanged ones included),
    /// products the destination refused not counted; nil when there was none.
    func previousExportable() throws -> Int? {
        let store = context.exports, name = context.channel.name
        guard let header = try store.snapshotHeader(channel: name), let generation = header.generation else {
            return nil
        }
        var count = 0
        var seq = 0
        while let part = try store.snapshotPart(channel: name, generation: generation, seq: seq) {
            try inputs.cancellation.check()
            count += part.reduce(0) { $0 + ($1.outputHash != 0 && !header.refused.contains($1.keyHash) ? 1 : 0) }
            seq += 1
        }
        return count
    }

    /// Reads, filters and maps the whole source without sending or storing anything; returns
    /// what a real pass would count. Its progress is reported as a step of its own. `merging`:
    /// the source returns only some products (updated since the last export), to be weighed
    /// against the previous snapshot's keys (`index`) and its `exportable` count.
    func countingPass(_ source: ProductSource, program: ProductExportProgram, lookup: DeltaLookup,
                      merging: (index: DeltaIndex, exportable: Int)? = nil) throws -> Tally {
        var tally = Tally()
        var merge: DeltaMerge? = merging == nil ? nil : DeltaMerge()
        try ExportPipeline(program: program, lookup: lookup).run(source, cancellation: inputs.cancellation) { chunk in
            tally.count(chunk)
            merge?.add(chunk.entries)
            context.progress(progress(tally.read, source: source, step: Self.countingStep))
        }
        context.progress(progress(tally.read, source: source, step: Self.countingStep, finished: true))
        if let merging, let merge {
            tally.exportable = merging.exportable + merge.exportableChange(previousOutput: merging.index.previousOutput(keyHash:))
        }
        return tally
    }

    /// How the counting pass shows in the run's progress.
    static let countingStep = "counting for the export guard"

    /// The result of an export the guard held: nothing was sent, no snapshot, record or file
    /// was kept. The runtime finishes the run `held` and raises an `export-held` alert.
    func heldResult(tally: Tally, verdict: ExportGuard.Verdict, mode: String, source: ProductSource, seconds: Double,
                    previous: Int?, hadPrevious: Bool, readNote: String? = nil) -> JobResult {
        var held = result(tally: tally, outcome: DestinationOutcome(), mode: mode, dryRun: false, held: true,
                          source: source, seconds: seconds, previous: hadPrevious,
                          guardNote: guardNote(verdict, tally: tally, previous: previous, dryRun: false), readNote: readNote)
        held.heldBecause = verdict.reasons.joined(separator: "; ")
        return held
    }

    /// What the guard's decision adds to the report and the counts.
    func guardNote(_ verdict: ExportGuard.Verdict, tally: Tally, previous: Int?, dryRun: Bool) -> GuardNote {
        var note = GuardNote()
        let reasons = verdict.reasons.joined(separator: "; ")
        if verdict.held {
            note.lines.append(dryRun ? "the export guard would hold this export: \(reasons)"
                                     : "held by the export guard, nothing was sent: \(reasons)")
        }
        note.lines += verdict.lines.map { "export guard: " + $0 }
        if verdict.held, !dryRun {
            note.lines.append("`syndic run \(context.channel.name) product-export --force` sends this export once; "
                              + "the snapshot and the export records stay as they were")
        }
        note.counts["exportable"] = tally.exportable
        if let previous { note.counts["previous_exportable"] = previous }
        return note
    }
}

extension ProductExport.Tally {
    /// What the export guard reads of this tally.
    func guardCounts(previous: Int?) -> ExportGuard.Counts {
        ExportGuard.Counts(exportable: exportable, skipped: skipped, invalid: invalid, previous: previous)
    }
}

/// The export guard's lines in a report and its counts (`exportable`, `previous_exportable`).
struct GuardNote: Sendable {
    var lines: [String] = []
    var counts: [String: Int] = [:]

    /// A run that skipped the guard (`syndic run … --force`).
    static let forced = GuardNote(lines: ["export guard skipped for this run (--force)"])
}
