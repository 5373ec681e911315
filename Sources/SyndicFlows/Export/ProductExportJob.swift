import Foundation
import SyndicCore
import SyndicEngine
import SyndicTransfer

/// The product export job: reads the channel's
/// source, filters, maps, and sends to the channel's destination — full, or delta when the
/// channel asks for it (`--full` forces a full one). Only a successful, real export moves the
/// delta snapshot and leaves an export record; a dry run builds the file and the report and
/// keeps the file under the state directory.
public struct ProductExportJob: Job {
    public let kind = JobKind.productExport
    /// Seconds between OF02 polls of a Mirakl import.
    public var miraklPollInterval: Double
    /// The HTTP client of the connectors (retries, backoff).
    public var http: HTTPClient
    /// Previous snapshots of up to this many products are indexed whole for a delta export;
    /// larger ones are read in windows beside the catalog (`DeltaWindows`), so that memory
    /// does not grow with the catalog. By default every snapshot is read in windows: the
    /// first window holds `windowSegment + 2 × windowMargin` products, so a catalog up to
    /// that size is compared whole anyway.
    public var wholeIndexLimit: Int
    /// The windows' segment and margin, in products.
    public var windowSegment: Int
    public var windowMargin: Int

    public init(miraklPollInterval: Double = 5, http: HTTPClient = HTTPClient(), wholeIndexLimit: Int = 0,
                windowSegment: Int = 1 << 17, windowMargin: Int = 1 << 15) {
        self.miraklPollInterval = miraklPollInterval
        self.http = http
        self.wholeIndexLimit = wholeIndexLimit
        self.windowSegment = windowSegment
        self.windowMargin = windowMargin
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
        var problems: [String] = []
        /// Delta exports: the products handed to the destination (key, and the identifier shown).
        var sentKeys: [(key: String, shown: String)] = []

        mutating func note(_ problem: String) {
            if problems.count < 20 { problems.append(problem) }
        }
    }

    func run() throws -> JobResult {
        let channel = try channelSpec()
        let sources = ProductSources(inputs: inputs, http: job.http)
        let program = try sources.program(for: channel, spec: context.spec)
        let delta = channel.products?.export?.delta == true && !context.run.full
        let dryRun = context.run.dryRun
        let header = delta ? try context.exports.snapshotHeader(channel: context.channel.name) : nil
        let hadPrevious = header != nil
        var tracker: DeltaTracker
        let lookup: DeltaLookup
        if let header, let generation = header.generation, header.count > job.wholeIndexLimit {
            // A large previous snapshot is read beside the catalog, a window at a time.
            tracker = DeltaTracker(delta: true, specDigest: program.specDigest, previous: nil)
            lookup = .windows(DeltaWindows(store: context.exports, channel: context.channel.name, header: header,
                                           generation: generation, specDigest: program.specDigest,
                                           segment: job.windowSegment, margin: job.windowMargin))
        } else {
            // The previous snapshot lives only as long as the tracker's index is built from it.
            tracker = try { () throws -> DeltaTracker in
                let previous = header == nil ? nil : try context.exports.deltaSnapshot(channel: context.channel.name)
                return DeltaTracker(delta: delta, specDigest: program.specDigest, previous: previous)
            }()
            lookup = .whole(tracker.index)
        }
        let source = try sources.source(for: channel, program: program)
        let started = context.now()
        let destination = try ProductDestinations(inputs: inputs, job: job)
            .destination(for: channel, targets: program.mapping.targets, at: started, dryRun: dryRun, delta: delta)
        var tally = Tally()
        let pipeline = ExportPipeline(program: program, lookup: lookup)
        // A real export stores its snapshot in parts as it goes; it becomes the channel's only
        // when the export succeeds.
        let snapshot = dryRun ? nil : try SnapshotParts(store: context.exports, channel: context.channel.name)
        do {
            try pipeline.run(source, cancellation: inputs.cancellation) { chunk in
                tally.read += chunk.read
                tally.unchanged += chunk.unchanged
                tally.filteredOut += chunk.filteredOut
                tally.skipped += chunk.skipped.count
                for skip in chunk.skipped { tally.note("\(skip.key): \(skip.reason)") }
                tally.invalid += chunk.invalid.count
                for invalid in chunk.invalid {
                    tally.note("product \(invalid.position): \(invalid.reason)")
                    context.log.warning("product \(invalid.position) of the source skipped: \(invalid.reason)")
                }
                tracker.append(contentsOf: chunk.entries)
                try snapshot?.store(&tracker, atLeast: SnapshotParts.partSize)
                for sent in chunk.rows {
                    try destination.add(sent.row, key: sent.key, identifier: sent.identifier)
                    if delta { tally.sentKeys.append((sent.key, sent.identifier ?? sent.key)) }
                }
                tally.sent += chunk.rows.count
                context.progress(tally.read, nil)
            }
        } catch {
            destination.abandon()
            snapshot?.discard()
            throw error
        }
        context.progress(tally.read, tally.read)
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
        let refused = Set(outcome.refusedKeys)
        let delivered = tally.sentKeys.filter { !refused.contains($0.key) }.map(\.shown)
        for artifact in outcome.artifacts {
            try context.exports.saveArtifact(runID: context.run.id, channel: context.channel.name, name: artifact.name,
                                           content: artifact.content, at: finished)
        }
        let mode = delta ? "delta" : "full"
        if let snapshot {
            let record = ProductExportRecord(channel: context.channel.name, runID: context.run.id, mode: mode, at: finished,
                                             sent: outcome.delivered, file: outcome.file, products: delivered)
            do {
                try snapshot.store(&tracker, atLeast: 1)
                try context.exports.recordProductExport(record, generation: snapshot.generation, specDigest: program.specDigest,
                                                      count: tracker.count, refused: refusedHashes.sorted())
            } catch {
                snapshot.discard()
                throw error
            }
        }
        return result(tally: tally, outcome: outcome, mode: mode, dryRun: dryRun, source: source,
                      seconds: finished.timeIntervalSince(started), previous: hadPrevious)
    }

    private func channelSpec() throws -> ChannelSpec {
        do {
            return try context.channel.channelSpec()
        } catch {
            throw FlowError(.configuration, "the channel cannot be read from the state: \(error)")
        }
    }

    private func result(tally: Tally, outcome: DestinationOutcome, mode: String, dryRun: Bool, source: ProductSource,
                        seconds: Double, previous: Bool) -> JobResult {
        var lines: [String] = []
        let kind = (dryRun ? "dry-run " : "") + mode + " export"
        // "sent" counts what the destination took; refused products are counted apart.
        var summary = "\(kind) from \(source.description): \(tally.read) read, "
            + (dryRun ? "\(tally.sent) to send" : "\(outcome.delivered) sent")
        if mode == "delta" { summary += ", \(tally.unchanged) unchanged" }
        summary += ", \(tally.filteredOut) filtered out, \(tally.skipped) skipped, \(tally.invalid) invalid"
        if !outcome.refusedKeys.isEmpty { summary += ", \(outcome.refusedKeys.count) refused" }
        summary += String(format: " in %.1f s", seconds)
        lines.append(summary)
        if mode == "delta", !previous { lines.append("no earlier successful export: every product counts as changed") }
        if let file = outcome.file { lines.append((dryRun ? "file kept at " : "file: ") + file) }
        lines.append(contentsOf: outcome.notes)
        if !tally.problems.isEmpty {
            lines.append("first problems:")
            lines.append(contentsOf: tally.problems.map { "  " + $0 })
        }
        var counts = ["read": tally.read, "sent": dryRun ? 0 : outcome.delivered, "filtered_out": tally.filteredOut,
                      "skipped": tally.skipped, "invalid": tally.invalid]
        if mode == "delta" { counts["unchanged"] = tally.unchanged }
        if dryRun { counts["to_send"] = tally.sent }
        if !outcome.refusedKeys.isEmpty { counts["refused"] = outcome.refusedKeys.count }
        return JobResult(counts: counts, report: lines.joined(separator: "\n"))
    }
}
