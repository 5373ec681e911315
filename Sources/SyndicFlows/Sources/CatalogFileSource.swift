import Foundation

/// A JSON-lines file of Akeneo-format products (the embedded default source), read by
/// `CatalogLineReader`: in blocks of a few megabytes, so memory stays flat whatever the
/// file's size; a UTF-8 byte order mark at the start is skipped; blank lines are skipped; a
/// line may be as long as it needs. Its position is in bytes of the file, of its size.
struct CatalogFileSource: LineBlockSource {
    let path: String
    var blockSize = 4 << 20
    /// Where the reading got, for the run's progress.
    let tracker = SourceTracker()

    var description: String { "catalog file \(path)" }

    var position: SourcePosition? { tracker.position }

    /// The file's reader, telling the tracker how far it got.
    private var reader: CatalogLineReader {
        CatalogLineReader(path: path, blockSize: blockSize) { [tracker] bytes, size in
            tracker.position = SourcePosition(done: bytes, total: size, unit: .bytes)
        }
    }

    func forEachProduct(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        try reader.forEachLine(body)
    }

    func forEachBlock(fresh: (Int) -> ByteBlock, _ body: (ByteBlock) throws -> Void) throws {
        try reader.forEachBlock(fresh: fresh, body)
    }
}
