import Foundation
import SyndicCore
import SyndicEngine
import SyndicTransfer

/// The product export job: reads the channel's
/// source, filters, maps, and sends to the channel's destination — full, or delta when the
/// channel asks for it (`--full` forces a full one). Only a successful, real export moves the
/// delta snapshot and leaves an export record; a dry run builds the file and the report and
/// keeps the file under the state directory. A channel's export guard can hold an export
/// before anything is sent (see `ExportGuard`; `--force` skips it for one run).
public struct ProductExportJob: Job {
    public let kind = JobKind.productExport
    /// Seconds between OF02 polls of a Mirakl import.
    public var miraklPollInterval: Double
    /// The HTTP client of the connectors (retries, backoff).
    public var http: HTTPClient
    /// Previous snapshots of up to this many products are indexed whole for a delta export;
    /// larger ones are read in windows of their stored parts beside the catalog
    /// (`DeltaWindows`), so that memory does not grow with the catalog. By default every
    /// snapshot is read in windows: a snapshot of one part (up to 65,536 products) is one
    /// window, compared whole anyway.
    public var wholeIndexLimit: Int
    /// The windows' margin, in products: how far before and after the products read a window
    /// reaches.
    public var windowMargin: Int
    /// Products per stored part of a snapshot (`SnapshotParts`).
    public var snapshotPartSize: Int
    /// 65,536 products: 1.5 MB a part.
    public static let defaultSnapshotPartSize = 1 << 16

    public init(miraklPollInterval: Double = 5, http: HTTPClient = HTTPClient(), wholeIndexLimit: Int = 0,
                windowMargin: Int = 1 << 15, snapshotPartSize: Int = ProductExportJob.defaultSnapshotPartSize) {
        self.miraklPollInterval = miraklPollInterval
        self.http = http
        self.wholeIndexLimit = wholeIndexLimit
        self.windowMargin = windowMargin
        self.snapshotPartSize = snapshotPartSize
    }

    public func run(_ context: JobContext) async throws -> JobResult {
        try await DedicatedThreads.run { [self] cancellation in
            let export = ProductExport(context: context, job: self, cancellation: cancellation)
            return try FlowError.reportingCredentials(export.inputs.credentialUse) { try export.run() }
        }
    }
}

/// One run of the product export.
struct ProductExport {
    let context: JobContext
    let job: ProductExportJob
    let inputs: FlowInputs

    init(context: JobContext, job: ProductExportJob, cancellation: CancellationFlag) {
        self.context = context
        self.job = job
        inputs = FlowInputs(context, cancellation: cancellation)
    }

    /// How many products ended which way, and the first few reasons.
    struct Tally {
        var read = 0
        var sent = 0
        var unchanged = 0
        var filteredOut = 0
        var skipped = 0
        var invalid = 0
        /// Products that pass the filter and map, unchanged ones included (the export guard's
        /// count: the new snapshot's entries with an output).
        var exportable = 0
        var problems: [String] = []
        /// Delta exports: the products handed to the destination (key, and the identifier shown).
        var sentKeys: [(key: String, shown: String)] = []

        mutating func note(_ problem: String) {
            if problems.count < 20 { problems.append(problem) }
        }

        /// Counts a chunk of decided products (`sent`: the rows it hands to the destination) and
        /// keeps the keys of the rows it sends (when the pipeline keeps them).
        mutating func count(_ chunk: ExportPipeline.ChunkOutput) {
            read += chunk.read
            unchanged += chunk.unchanged
            filteredOut += chunk.filteredOut
            skipped += chunk.skipped.count
            for skip in chunk.skipped { note("\(skip.key): \(skip.reason)") }
            invalid += chunk.invalid.count
            for invalid in chunk.invalid { note("product \(invalid.position): \(invalid.reason)") }
            exportable += chunk.exportable
            sent += chunk.sent
            sentKeys.append(contentsOf: chunk.sentKeys)
        }
    }

    func run() throws -> JobResult {
        let channel = try channelSpec()
        let sources = ProductSources(inputs: inputs, http: job.http)
        let program = try sources.program(for: channel, spec: context.spec)
        let delta = channel.products?.export?.delta == true && !context.run.full
        let dryRun = context.run.dryRun
        let mode = delta ? "delta" : "full"
        let header = delta ? try context.exports.snapshotHeader(channel: context.channel.name) : nil
        let hadPrevious = header != nil
        let reading = try plannedRead(channel: channel, sources: sources, program: program, header: header, delta: delta)
        let source = reading.source
        if let note = reading.plan.note { context.log.info(note) }
        let state = try deltaState(header: header, delta: delta, program: program, plan: reading.plan,
                                   ordered: source.keepsOrder)
        var tracker = state.tracker
        let lookup = state.lookup
        // An updated-since read returns only some products: their entries are merged into the
        // previous snapshot once the export succeeded, against an index of its keys.
        let keyIndex: DeltaIndex? =
            if case .updatedSince = reading.plan, case .whole(let index) = lookup { index } else { nil }
        var merge: DeltaMerge? = keyIndex == nil ? nil : DeltaMerge(expected: reading.selected ?? 1024)
        let started = context.now()
        let destination = try ProductDestinations(inputs: inputs, job: job)
            .destination(for: channel, targets: program.mapping.targets, at: started, dryRun: dryRun, delta: delta)
        // The export guard decides before anything is sent (a forced run skips it).
        let configured = ExportGuard(channel.products?.export?.`guard`)
        let exportGuard = context.run.force ? nil : configured
        let previous = exportGuard == nil ? nil : try previousExportable()
        var verdict: ExportGuard.Verdict?
        if let exportGuard, !dryRun, destination.sendsWhileAdding {
            // This destination delivers while products are added: a counting pass that sends
            // nothing decides first.
            var counting = lookup
            if case .windows = lookup { counting = try deltaState(header: header, delta: delta, program: program).lookup }
            let counted = try countingPass(source, program: program, lookup: counting,
                                           merging: keyIndex.map { (index: $0, exportable: previous ?? 0) })
            let decided = exportGuard.check(counted.guardCounts(previous: previous))
            if decided.held {
                destination.abandon()
                return heldResult(tally: counted, verdict: decided, mode: mode, source: source,
                                  seconds: context.now().timeIntervalSince(started), previous: previous,
                                  hadPrevious: hadPrevious, readNote: reading.plan.note)
            }
            verdict = decided
        }
        var tally = Tally()
        var pipeline = ExportPipeline(program: program, lookup: lookup)
        // The workers encode the rows of a destination that takes them encoded (flat-file).
        pipeline.delivery = .init(rowFormat: destination.rowFormat, keepsSentKeys: delta)
        // A real export stores its snapshot in parts as it goes (an updated-since read merges
        // it at the end); it becomes the channel's only when the export succeeds.
        let snapshot = dryRun ? nil : try SnapshotParts(store: context.exports, channel: context.channel.name)
        do {
            try pipeline.run(source, cancellation: inputs.cancellation) { chunk in
                tally.count(chunk)
                for invalid in chunk.invalid {
                    context.log.warning("product \(invalid.position) of the source skipped: \(invalid.reason)")
                }
                if merge != nil {
                    merge?.add(chunk.entries)
                } else {
                    tracker.append(contentsOf: chunk.entries)
                    try snapshot?.store(&tracker, partSize: job.snapshotPartSize)
                }
                if !chunk.encoded.isEmpty { try destination.addEncoded(chunk.encoded, rows: chunk.sent) }
                for sent in chunk.rows {
                    try destination.add(sent.row, key: sent.key, identifier: sent.identifier)
                }
                context.progress(progress(tally.read, source: source))
            }
        } catch {
            destination.abandon()
            snapshot?.discard()
            throw error
        }
        context.progress(progress(tally.read, source: source, finished: true))
        if let merge, let keyIndex {
            // The guard weighs the merged snapshot: the products not read keep their entries.
            tally.exportable = (previous ?? 0) + merge.exportableChange(previousOutput: keyIndex.previousOutput(keyHash:))
        }
        if let exportGuard, verdict == nil {
            // The destination has delivered nothing yet (it does so in `finish`).
            let decided = exportGuard.check(tally.guardCounts(previous: previous))
            if decided.held, !dryRun {
                destination.abandon()
                snapshot?.discard()
                return heldResult(tally: tally, verdict: decided, mode: mode, source: source,
                                  seconds: context.now().timeIntervalSince(started), previous: previous,
                                  hadPrevious: hadPrevious, readNote: reading.plan.note)
            }
            verdict = decided
        }
        let outcome: DestinationOutcome
        do {
            outcome = try destination.finish()
        } catch {
            destination.abandon()
            snapshot?.discard()
            throw error
        }
        let finished = context.now()
        let refusedHashes = Set(outcome.refusedKeys.map { FastHash.hash($0) })
        tracker.refused(keyHashes: refusedHashes)
        merge?.refused(keyHashes: refusedHashes)
        let refused = Set(outcome.refusedKeys)
        let delivered = tally.sentKeys.filter { !refused.contains($0.key) }.map(\.shown)
        for artifact in outcome.artifacts {
            try context.exports.saveArtifact(runID: context.run.id, channel: context.channel.name, name: artifact.name,
                                           content: artifact.content, at: finished)
        }
        if let snapshot {
            let record = ProductExportRecord(channel: context.channel.name, runID: context.run.id, mode: mode, at: finished,
                                             sent: outcome.delivered, file: outcome.file, products: delivered)
            do {
                let count: Int
                if let merge, let header {
                    count = try writeMergedSnapshot(merge, over: header, into: snapshot)
                } else {
                    try snapshot.storeRest(&tracker)
                    count = tracker.count
                }
                try snapshot.flush()
                // Where the next delta export reads from: when this export's read started.
                let watermark = source.watermark
                try context.exports.recordProductExport(record, generation: snapshot.generation, specDigest: program.specDigest,
                                                      count: count, refused: refusedHashes.sorted(),
                                                      sourceSince: watermark?.since, sourceOffset: watermark?.utcOffset,
                                                      sourceOrigin: watermark?.origin)
            } catch {
                snapshot.discard()
                throw error
            }
        }
        let note = verdict.map { guardNote($0, tally: tally, previous: previous, dryRun: dryRun) }
            ?? (configured != nil && context.run.force ? GuardNote.forced : GuardNote())
        return result(tally: tally, outcome: outcome, mode: mode, dryRun: dryRun, source: source,
                      seconds: finished.timeIntervalSince(started), previous: hadPrevious, guardNote: note,
                      readNote: reading.plan.note)
    }

    /// What this export reads, and the source that reads it. A delta export from Akeneo
    /// whose last successful export recorded its watermark asks for the products updated since
    /// (`DeltaReadPlan`); the source counts them first, and more than the plan's limit make it
    /// read every product instead.
    func plannedRead(channel: ChannelSpec, sources: ProductSources, program: ProductExportProgram, header: SnapshotHeader?,
                     delta: Bool) throws -> (plan: DeltaReadPlan, source: ProductSource, selected: Int?) {
        let fromAkeneo = try delta && sources.sourceType(of: channel) == .akeneo
        var plan = DeltaReadPlan.decide(delta: delta, fromAkeneo: fromAkeneo, header: header,
                                        specDigest: program.specDigest,
                                        origin: fromAkeneo ? try sources.akeneoOrigin(of: channel) : nil)
        if case .updatedSince(let watermark) = plan, let header {
            let source = try sources.source(for: channel, program: program, read: .updatedSince(watermark))
            let selected = try source.selectedCount()
            plan = plan.checked(changed: selected, previous: header.count)
            if case .updatedSince = plan { return (plan, source, selected) }
        }
        return (plan, try sources.source(for: channel, program: program), nil)
    }

    /// Writes the snapshot of an updated-since read: the previous one (`header`'s parts, its
    /// refused keys marked) with the products read replaced and the new ones appended, a part
    /// at a time. Returns its count.
    func writeMergedSnapshot(_ merge: DeltaMerge, over header: SnapshotHeader, into snapshot: SnapshotParts) throws -> Int {
        let store = context.exports, name = context.channel.name
        guard let generation = header.generation else {
            throw FlowError(.storage, "the previous snapshot of \(name) has no generation to merge into")
        }
        return try merge.write(previousPart: { seq in
            try inputs.cancellation.check()
            return try store.snapshotPart(channel: name, generation: generation, seq: seq)
                .map { DeltaSnapshot.marking($0, refused: header.refused) }
        }, partSize: job.snapshotPartSize, emit: { try snapshot.append($0) })
    }

    /// The run's progress: how far the source got (bytes of a catalog file, products of
    /// Akeneo's count; the products read when the source cannot tell) and the products read
    /// so far. `finished`: the source was read to its end, what it read is the total.
    func progress(_ read: Int, source: ProductSource, step: String? = nil, finished: Bool = false) -> RunProgress {
        guard let position = source.position else {
            return RunProgress(done: read, total: finished ? read : nil, noun: "products", step: step)
        }
        return RunProgress(done: position.done, total: finished ? position.done : position.total, unit: position.unit,
                           items: read, noun: "products", step: step)
    }

    /// The tracker of this export and where its pipeline finds the previous snapshot. An
    /// updated-since read, or a source whose order changes between readings (`ordered`
    /// false), looks products up by key only, in an index of the previous snapshot's keys
    /// read part by part (its products come in an order of their own).
    func deltaState(header: SnapshotHeader?, delta: Bool, program: ProductExportProgram,
                    plan: DeltaReadPlan = .full(reason: nil),
                    ordered: Bool = true) throws -> (tracker: DeltaTracker, lookup: DeltaLookup) {
        var byKey = !ordered
        if case .updatedSince = plan { byKey = true }
        if byKey, let header, let generation = header.generation {
            var keys = DeltaKeys(expected: header.count)
            let name = context.channel.name
            var seq = 0
            while let part = try context.exports.snapshotPart(channel: name, generation: generation, seq: seq) {
                try inputs.cancellation.check()
                keys.add(part, refused: header.refused)
                seq += 1
            }
            let tracker = DeltaTracker(delta: true, specDigest: program.specDigest, previous: nil)
            return (tracker, .whole(DeltaIndex(specDigest: program.specDigest, keys: keys)))
        }
        if let header, let generation = header.generation, header.count > job.wholeIndexLimit {
            // A large previous snapshot is read beside the catalog, a window at a time.
            let tracker = DeltaTracker(delta: true, specDigest: program.specDigest, previous: nil)
            return (tracker, .windows(DeltaWindows(store: context.exports, channel: context.channel.name, header: header,
                                                   generation: generation, specDigest: program.specDigest,
                                                   margin: job.windowMargin)))
        }
        // The previous snapshot lives only as long as the tracker's index is built from it.
        let previous = header == nil ? nil : try context.exports.deltaSnapshot(channel: context.channel.name)
        let tracker = DeltaTracker(delta: delta, specDigest: program.specDigest, previous: previous)
        return (tracker, .whole(tracker.index))
    }

    private func channelSpec() throws -> ChannelSpec {
        do {
            return try context.channel.channelSpec()
        } catch {
            throw FlowError(.configuration, "the channel cannot be read from the state: \(error)")
        }
    }

    /// The report and counts of a finished export; `held`: the guard held it, nothing was sent.
    func result(tally: Tally, outcome: DestinationOutcome, mode: String, dryRun: Bool, held: Bool = false,
                source: ProductSource, seconds: Double, previous: Bool, guardNote: GuardNote,
                readNote: String? = nil) -> JobResult {
        var lines: [String] = []
        let kind = (dryRun ? "dry-run " : held ? "held " : "") + mode + " export"
        let unsent = dryRun || held
        // "sent" counts what the destination took; refused products are counted apart.
        var summary = "\(kind) from \(source.description): \(tally.read) read, "
            + (unsent ? "\(tally.sent) to send" : "\(outcome.delivered) sent")
        if mode == "delta" { summary += ", \(tally.unchanged) unchanged" }
        summary += ", \(tally.filteredOut) filtered out, \(tally.skipped) skipped, \(tally.invalid) invalid"
        if !outcome.refusedKeys.isEmpty { summary += ", \(outcome.refusedKeys.count) refused" }
        summary += String(format: " in %.1f s", seconds)
        lines.append(summary)
        if mode == "delta", !previous { lines.append("no earlier successful export: every product counts as changed") }
        if let readNote, previous { lines.append(readNote) }
        if let file = outcome.file { lines.append((dryRun ? "file kept at " : "file: ") + file) }
        lines.append(contentsOf: outcome.notes)
        lines.append(contentsOf: guardNote.lines)
        if !tally.problems.isEmpty {
            lines.append("first problems:")
            lines.append(contentsOf: tally.problems.map { "  " + $0 })
        }
        var counts = ["read": tally.read, "sent": unsent ? 0 : outcome.delivered, "filtered_out": tally.filteredOut,
                      "skipped": tally.skipped, "invalid": tally.invalid]
        if mode == "delta" { counts["unchanged"] = tally.unchanged }
        if unsent { counts["to_send"] = tally.sent }
        counts.merge(guardNote.counts) { _, new in new }
        if !outcome.refusedKeys.isEmpty { counts["refused"] = outcome.refusedKeys.count }
        return JobResult(counts: counts, report: lines.joined(separator: "\n"))
    }
}
