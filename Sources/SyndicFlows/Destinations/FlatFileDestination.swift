import Foundation
import SyndicCore
import SyndicTransfer

/// A flat-file channel's CSV (`products_export_<channel>_<isoDate>.csv`): a header of the
/// mapping's targets, one row per product, written to a temporary file in blocks and then
/// uploaded to the channel's storage folder (atomically: a partner never sees half a file).
/// A dry run keeps the file under the state directory instead.
///
/// A product export's workers encode the rows themselves (`rowFormat`, `addEncoded`): the
/// file only appends their bytes, the same bytes `add` would have written.
///
/// A delta export that changed nothing writes no file.
final class FlatFileDestination: ProductDestination {
    let fileName: String
    private let storage: CurlStorage?
    private let folder: String
    private let dryRunDirectory: URL?
    /// The largest dry-run file also kept as a run file (64 MiB).
    static let runFileLimit = 64 << 20
    private let temporary: URL
    private var handle: FileHandle
    private var writer: CSVWriter
    private var rows = 0
    private let skipEmpty: Bool

    /// A destination writing `fileName` to `folder` of `storage`, or — when `dryRunDirectory`
    /// is given — into that directory only.
    init(targets: [String], fileName: String, storage: CurlStorage?, folder: String, workDirectory: URL,
         dryRunDirectory: URL?, skipEmpty: Bool) throws {
        self.fileName = fileName
        self.storage = storage
        self.folder = folder
        self.dryRunDirectory = dryRunDirectory
        self.skipEmpty = skipEmpty
        let directory = workDirectory.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        temporary = directory.appendingPathComponent("\(UUID().uuidString)-\(fileName)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary.path) else {
            throw FlowError(.storage, "cannot create \(temporary.path)")
        }
        self.handle = handle
        writer = CSVWriter(header: targets, capacity: 1 << 20)
    }

    func add(_ row: [String], key: String, identifier: String?) throws {
        writer.writeRow(row)
        rows += 1
        if writer.bytes.count >= Self.blockSize { try flush() }
    }

    var rowFormat: CSVRowFormat? { writer.format }

    func addEncoded(_ bytes: [UInt8], rows: Int) throws {
        self.rows += rows
        if writer.bytes.count + bytes.count < Self.blockSize {
            writer.appendRows(bytes)
        } else {
            // A large piece goes to the file as it is, after what is pending.
            try flush()
            try write(bytes)
        }
    }

    /// The file is written in blocks of about this many bytes.
    private static let blockSize = 1 << 20

    private func flush() throws {
        guard !writer.bytes.isEmpty else { return }
        try write(writer.takeBytes())
    }

    private func write(_ bytes: [UInt8]) throws {
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw FlowError(.storage, "cannot write \(temporary.path): \(error.localizedDescription)")
        }
    }

    func finish() throws -> DestinationOutcome {
        try flush()
        try? handle.close()
        defer { try? FileManager.default.removeItem(at: temporary) }
        var outcome = DestinationOutcome(delivered: rows)
        if rows == 0, skipEmpty {
            outcome.notes.append("no product changed since the last export: no file written")
            return outcome
        }
        if let dryRunDirectory {
            try FileManager.default.createDirectory(at: dryRunDirectory, withIntermediateDirectories: true)
            let kept = dryRunDirectory.appendingPathComponent(fileName)
            try? FileManager.default.removeItem(at: kept)
            try FileManager.default.moveItem(at: temporary, to: kept)
            outcome.file = kept.path
            // Also kept as a run file, in the state: another host (and the console) can read it.
            let size = (try? FileManager.default.attributesOfItem(atPath: kept.path)[.size] as? Int) ?? 0
            if size <= Self.runFileLimit {
                outcome.artifacts.append((fileName, try Data(contentsOf: kept)))
            } else {
                outcome.notes.append("the file (\(size / 1_048_576) MiB) is too large to keep as a run file: "
                    + "it stays on this host only")
            }
            return outcome
        }
        guard let storage else { throw FlowError(.configuration, "the channel has no export storage") }
        let path = StorageLocation.path(folder, fileName)
        if storage.location.kind == .local, moveIntoPlace(storage.location.describe(path)) {
            outcome.file = storage.location.describe(path)
            return outcome
        }
        do {
            try storage.upload(fileAt: temporary, to: path)
        } catch {
            throw FlowError(.connectivity, "\(error)")
        }
        outcome.file = storage.location.describe(path)
        return outcome
    }

    /// Local storage on the same file system: the finished file is renamed into place (one
    /// atomic step, no copy). False when that is not possible (the upload copies then).
    private func moveIntoPlace(_ target: String) -> Bool {
        let folder = (target as NSString).deletingLastPathComponent
        guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) != nil else {
            return false
        }
        return rename(temporary.path, target) == 0
    }

    func abandon() {
        try? handle.close()
        try? FileManager.default.removeItem(at: temporary)
    }
}
