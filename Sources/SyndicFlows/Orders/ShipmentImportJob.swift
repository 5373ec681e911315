import Foundation
import SyndicCore
import SyndicEngine
import SyndicTransfer

/// The shipment import job: every `.csv` file
/// in `orders.shipmentImport.storage` (other files are left alone), read robustly (UTF-8
/// BOM, CRLF, quoted fields), each row checked against the template. Per file, in this
/// order: the valid rows are applied in one transaction; the rejected rows, byte for byte as
/// they came with the reason as one more field (see ``RejectedRowsFile``), are uploaded to
/// `rejected/<file>_rejected_<isoDate>.csv` next to it; only then is the file deleted. A
/// crash between the steps loses nothing: the file is read again and its applied rows ship
/// nothing twice. A file is imported only once it has settled — the same size and
/// modification time in two listings `settleSeconds` apart — so that a file the ERP is still
/// writing is neither cut nor deleted; a file that changed waits for the next run. A file
/// that cannot be read is reported and skipped, and the others are imported. A dry run
/// checks the files and changes nothing.
public struct ShipmentImportJob: Job {
    public let kind = JobKind.shipmentImport
    /// Seconds a file must keep its size and time when the channel does not say.
    public static let defaultSettleSeconds = 30
    /// Called between the two listings (tests change files there).
    var betweenListings: (@Sendable () -> Void)?

    public init() {}

    public func run(_ context: JobContext) async throws -> JobResult {
        try await DedicatedThreads.run { [self] cancellation in
            let inputs = FlowInputs(context, cancellation: cancellation)
            return try importFiles(context, inputs)
        }
    }

    /// What one file did.
    struct FileOutcome {
        var applied = 0
        var duplicates = 0
        var rejected = 0
        var rejectedFile: String?
    }

    private func importFiles(_ context: JobContext, _ inputs: FlowInputs) throws -> JobResult {
        let channel = try Marketplaces.channelSpec(context)
        guard let settings = channel.orders?.shipmentImport else {
            throw FlowError(.configuration, "the channel has no orders.shipmentImport")
        }
        let target = try inputs.storage(settings.storage)
        let storage = CurlStorage(target.location)
        let names: [String]
        do {
            names = try storage.list(target.folder)
        } catch {
            throw FlowError(.connectivity, "cannot list \(target.location.describe(target.folder)): \(error)")
        }
        let candidates = names.filter { $0.lowercased().hasSuffix(".csv") && !$0.hasPrefix(".") }.sorted()
        let settle = settings.settleSeconds ?? Self.defaultSettleSeconds
        let (files, unsettled, unreadable) = try settled(candidates, storage: storage, folder: target.folder,
                                                          seconds: settle, inputs: inputs)
        var total = FileOutcome()
        var lines: [String] = []
        var skipped = unreadable
        var imported = 0
        for name in files {
            try inputs.cancellation.check()
            let outcome: FileOutcome
            do {
                outcome = try importFile(name, storage: storage, folder: target.folder, context: context, inputs: inputs)
            } catch let failure as UnreadableFile {
                skipped.append((name, failure.message))
                continue
            }
            imported += 1
            total.applied += outcome.applied
            total.duplicates += outcome.duplicates
            total.rejected += outcome.rejected
            var line = "\(name): \(outcome.applied) applied, \(outcome.duplicates) already imported, \(outcome.rejected) rejected"
            if let rejectedFile = outcome.rejectedFile { line += " (see \(rejectedFile))" }
            lines.append(line)
        }
        for name in unsettled {
            lines.append("\(name): still being written (its size or time changed within \(settle) s); left for the next run")
        }
        for (name, reason) in skipped {
            context.log.error("\(name) cannot be read: \(reason)")
            lines.append("\(name): cannot be read (\(reason)); skipped, left in place")
        }
        if !skipped.isEmpty, imported == 0, unsettled.isEmpty {
            // Not one file could be read: the storage is failing, not a file.
            throw FlowError(.connectivity, "no file of \(target.location.describe(target.folder)) could be read: "
                                + skipped.map { "\($0.0): \($0.1)" }.joined(separator: "; "))
        }
        let head = candidates.isEmpty
            ? "no .csv file in \(target.location.describe(target.folder))"
            : "\(context.run.dryRun ? "dry run: checked" : "imported") \(imported) file\(imported == 1 ? "" : "s"): "
                + "\(total.applied) rows applied, \(total.duplicates) already imported, \(total.rejected) rejected"
        var counts = ["files": imported, "applied": total.applied, "duplicates": total.duplicates, "rejected": total.rejected]
        if !unsettled.isEmpty { counts["unsettled"] = unsettled.count }
        if !skipped.isEmpty { counts["unreadable"] = skipped.count }
        return JobResult(counts: counts, report: ([head] + lines.map { "  " + $0 }).joined(separator: "\n"))
    }

    /// A file that could not be downloaded: reported and skipped, never deleted.
    struct UnreadableFile: Error {
        var message: String
    }

    /// Splits `names` into the files that settled (the same size and modification time in
    /// two listings `seconds` apart), those still changing, and those whose size or time
    /// could not be read. With 0 seconds every file counts as settled.
    private func settled(_ names: [String], storage: CurlStorage, folder: String, seconds: Int,
                         inputs: FlowInputs) throws -> (settled: [String], changing: [String], unreadable: [(String, String)]) {
        guard seconds > 0, !names.isEmpty else { return (names, [], []) }
        var first: [String: CurlStorage.FileStat] = [:]
        var unreadable: [(String, String)] = []
        for name in names {
            do {
                first[name] = try storage.stat(StorageLocation.path(folder, name))
            } catch {
                unreadable.append((name, "\(error)"))
            }
        }
        var left = Double(seconds)
        while left > 0 {
            try inputs.cancellation.check()
            let slice = min(left, 0.25)
            Thread.sleep(forTimeInterval: slice)
            left -= slice
        }
        betweenListings?()
        var settled: [String] = []
        var changing: [String] = []
        for name in names {
            guard let before = first[name] else { continue }
            // A file gone meanwhile (renamed or deleted by the ERP) is neither.
            guard let after = try? storage.stat(StorageLocation.path(folder, name)) else { continue }
            if after == before { settled.append(name) } else { changing.append(name) }
        }
        return (settled, changing, unreadable)
    }

    private func importFile(_ name: String, storage: CurlStorage, folder: String, context: JobContext,
                            inputs: FlowInputs) throws -> FileOutcome {
        let path = StorageLocation.path(folder, name)
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try storage.download(path))
        } catch {
            throw UnreadableFile(message: "\(error)")
        }
        var rows = CSVReader.Rows(bytes)
        let header = rows.next()
        var outcome = FileOutcome()
        var rejections: [(row: CSVReader.Row, reason: String)] = []
        if let header {
            switch ShipmentTemplate.Header.read(header.fields) {
            case .failure(let problem):
                rejections = IteratorSequence(rows).map { ($0, problem.reason) }
                if rejections.isEmpty { rejections = [(header, problem.reason)] }
            case .success(let columns):
                // The rows are read as the store applies the ones before.
                let file = ShipmentFileRequests(rows, columns: columns)
                if context.run.dryRun {
                    outcome.applied = file.remaining().count
                    rejections = file.rejections
                } else {
                    let results = try context.orders.applyShipments(from: file, channel: context.channel.name,
                                                                   source: "ftp:\(name)", at: context.now())
                    rejections = file.rejections
                    for (row, result) in zip(file.requestRows, results) {
                        switch result {
                        case .applied: outcome.applied += 1
                        case .duplicate: outcome.duplicates += 1
                        case .rejected(let reason): rejections.append((row, reason))
                        }
                    }
                }
            }
        }
        outcome.rejected = rejections.count
        for rejection in rejections.prefix(20) {
            context.log.warning("\(name) line \(rejection.row.line): \(rejection.reason)")
        }
        if context.run.dryRun { return outcome }
        if let header, !rejections.isEmpty {
            let rejected = RejectedRowsFile.bytes(of: bytes, header: header,
                                                  rejections: rejections.sorted(by: { $0.row.line < $1.row.line }))
            let stem = name.lowercased().hasSuffix(".csv") ? String(name.dropLast(4)) : name
            let rejectedPath = StorageLocation.path(StorageLocation.path(folder, "rejected"),
                                                    "\(stem)_rejected_\(ExportFileName.isoDate(context.now())).csv")
            do {
                try storage.upload(Data(rejected), to: rejectedPath)
            } catch {
                throw FlowError(.connectivity, "cannot write the rejected rows of \(name) to \(storage.location.describe(rejectedPath)): \(error)")
            }
            outcome.rejectedFile = storage.location.describe(rejectedPath)
        }
        do {
            try storage.delete(path)
        } catch {
            throw FlowError(.connectivity, "imported \(name) but cannot delete it (it will be read again; nothing ships twice): \(error)")
        }
        return outcome
    }
}
