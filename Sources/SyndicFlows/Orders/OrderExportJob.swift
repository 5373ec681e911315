import Foundation
import SyndicCore
import SyndicEngine
import SyndicTransfer

/// The order export job: the orders changed since the previous
/// successful export, one CSV row per order line in the template's columns, filtered by
/// status, split by fulfilment and/or shipping country into the template's file names, and
/// uploaded to `orders.export.storage` (atomically). Buyer and marketplace text that a
/// spreadsheet would run as a formula gets a `'` in front unless `escapeFormulas` is false.
/// The cursor moves only after every file is in place; nothing changed writes no file. A
/// dry run keeps the files under the state directory and moves nothing.
public struct OrderExportJob: Job {
    public let kind = JobKind.orderExport

    public init() {}

    public func run(_ context: JobContext) async throws -> JobResult {
        try await DedicatedThreads.run { [self] cancellation in
            let inputs = FlowInputs(context, cancellation: cancellation)
            return try export(context, inputs)
        }
    }

    private func export(_ context: JobContext, _ inputs: FlowInputs) throws -> JobResult {
        let channel = try Marketplaces.channelSpec(context)
        guard let settings = channel.orders?.export else {
            throw FlowError(.configuration, "the channel has no orders.export")
        }
        let name = context.channel.name
        let target = try inputs.storage(settings.storage)
        let storage = CurlStorage(target.location)
        let dryRunDirectory = context.run.dryRun
            ? inputs.workDirectory.appendingPathComponent("dry-runs").appendingPathComponent(name) : nil
        let statuses = Set((settings.statuses ?? []).compactMap(OrderStatus.init(rawValue:)))
        let split = OrderExportSplit(settings.splitBy)
        let escapeFormulas = settings.escapeFormulas ?? true
        let cursor = Int64(try context.orders.orderCursor(channel: name, name: "export") ?? "0") ?? 0
        let date = context.now()
        var files: [[String]: FlatFileDestination] = [:]
        var orders = 0
        var rows = 0
        do {
            let newest = try context.orders.forEachChangedOrder(channel: name, after: cursor, statuses: statuses) { stored in
                if orders % 1000 == 0 { try inputs.cancellation.check() }
                let group = split.group(of: stored.order)
                let file: FlatFileDestination
                if let open = files[group] {
                    file = open
                } else {
                    file = try FlatFileDestination(
                        targets: OrderExportTemplate.columns,
                        fileName: OrderExportSplit.fileName(channel: name, group: group, at: date), storage: storage,
                        folder: target.folder, workDirectory: inputs.scratchDirectory, dryRunDirectory: dryRunDirectory,
                        skipEmpty: true)
                    files[group] = file
                }
                for line in stored.order.lines {
                    try file.add(OrderExportTemplate.row(stored.order, line, escapeFormulas: escapeFormulas),
                                 key: stored.id, identifier: nil)
                    rows += 1
                }
                orders += 1
                if orders % 1000 == 0 { context.progress(RunProgress(done: orders, noun: "orders")) }
            }
            context.progress(RunProgress(done: orders, total: orders, noun: "orders"))
            var written: [String] = []
            for group in files.keys.sorted(by: { $0.joined(separator: "_") < $1.joined(separator: "_") }) {
                let outcome = try files[group]!.finish()
                files[group] = nil
                if let file = outcome.file { written.append(file) }
                for artifact in outcome.artifacts {
                    try context.exports.saveArtifact(runID: context.run.id, channel: name, name: artifact.name,
                                                   content: artifact.content, at: date)
                }
            }
            if !context.run.dryRun, newest > cursor {
                try context.orders.setOrderCursor(channel: name, name: "export", value: String(newest))
            }
            let lines = written.isEmpty
                ? ["no order changed since the last export: no file written"]
                : ["\(context.run.dryRun ? "dry run: wrote" : "exported") \(orders) orders (\(rows) lines) to \(written.count) file\(written.count == 1 ? "" : "s")"]
                    + written.map { "  " + $0 }
            return JobResult(counts: ["orders": orders, "lines": rows, "files": written.count], report: lines.joined(separator: "\n"))
        } catch {
            for file in files.values { file.abandon() }
            throw error
        }
    }
}
