import Foundation

/// What the last successful export of a channel knew about each product: the hash of its
/// source text, of its key, and of its mapped output — the delta export's memory
/// (only products whose mapped output changed since the last successful export are sent).
///
/// Stored in binary parts (24 bytes per product, little-endian) so that a million products
/// load and save in milliseconds.
public struct DeltaSnapshot: Hashable, Sendable {
    /// One product.
    public struct Entry: Hashable, Sendable {
        /// The hash of the product's source text; 0 when it must be read again next time.
        public var rawHash: UInt64
        /// The hash of the product's key (uuid or identifier).
        public var keyHash: UInt64
        /// The hash of its mapped output; 0 when it was not exported (filtered out, skipped,
        /// or refused by the destination).
        public var outputHash: UInt64

        public init(rawHash: UInt64, keyHash: UInt64, outputHash: UInt64) {
            self.rawHash = rawHash
            self.keyHash = keyHash
            self.outputHash = outputHash
        }
    }

    /// The digest of everything that shapes the output (source, filter, mapping, separator):
    /// when it changes, every product is read again.
    public var specDigest: String
    public var entries: [Entry]

    public init(specDigest: String, entries: [Entry]) {
        self.specDigest = specDigest
        self.entries = entries
    }

    private static let magic = Array("SYNDELTA1\n".utf8)

    /// The whole binary form: a magic line, the digest line, then the entries (three
    /// little-endian 64-bit words each). Snapshots were stored in this form before they were
    /// stored in parts; the state migrations read it to move them into parts.
    public func encoded() -> [UInt8] {
        let head = Self.magic + Array((specDigest + "\n").utf8)
        return [UInt8](unsafeUninitializedCapacity: head.count + entries.count * 24) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.copyBytes(from: head)
            var offset = head.count
            for entry in entries {
                raw.storeBytes(of: entry.rawHash.littleEndian, toByteOffset: offset, as: UInt64.self)
                raw.storeBytes(of: entry.keyHash.littleEndian, toByteOffset: offset + 8, as: UInt64.self)
                raw.storeBytes(of: entry.outputHash.littleEndian, toByteOffset: offset + 16, as: UInt64.self)
                offset += 24
            }
            initialized = offset
        }
    }

    /// Reads the whole binary form, or nil when it is not one (a snapshot stored whole that
    /// cannot be read is dropped when the state is migrated: the next delta export sends
    /// everything).
    public init?(encoded bytes: [UInt8]) {
        guard let decoded = bytes.withUnsafeBytes({ Self.decode($0) }) else { return nil }
        self = decoded
    }

    /// `entries` with the products of the `refused` keys marked as never exported (their
    /// text and output hashes zeroed), so that the next delta export sends them again.
    public static func marking(_ entries: [Entry], refused: Set<UInt64>) -> [Entry] {
        guard !refused.isEmpty else { return entries }
        var marked = entries
        for index in marked.indices where refused.contains(marked[index].keyHash) {
            marked[index].rawHash = 0
            marked[index].outputHash = 0
        }
        return marked
    }

    /// Entries alone in the binary form (a snapshot is stored in parts of these).
    public static func encode(_ entries: ArraySlice<Entry>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: entries.count * 24) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            var offset = 0
            for entry in entries {
                raw.storeBytes(of: entry.rawHash.littleEndian, toByteOffset: offset, as: UInt64.self)
                raw.storeBytes(of: entry.keyHash.littleEndian, toByteOffset: offset + 8, as: UInt64.self)
                raw.storeBytes(of: entry.outputHash.littleEndian, toByteOffset: offset + 16, as: UInt64.self)
                offset += 24
            }
            initialized = offset
        }
    }

    /// The entries of one stored part; nil when it is not a part.
    public static func entries(ofPart blob: Data) -> [Entry]? {
        var entries: [Entry] = []
        entries.reserveCapacity(blob.count / 24)
        guard blob.withUnsafeBytes({ decodeEntries($0, into: &entries) }) else { return nil }
        return entries
    }

    /// Appends the entries of one stored part to `entries`; false when it is not a part.
    public static func decodeEntries(_ raw: UnsafeRawBufferPointer, into entries: inout [Entry]) -> Bool {
        guard raw.count % 24 == 0 else { return false }
        for offset in stride(from: 0, to: raw.count, by: 24) {
            entries.append(Entry(rawHash: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)),
                                 keyHash: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)),
                                 outputHash: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))))
        }
        return true
    }

    /// Reads the whole binary form from raw bytes (a blob stored whole, without copying it
    /// first); nil when it is not one.
    public static func decode(_ raw: UnsafeRawBufferPointer) -> DeltaSnapshot? {
        guard raw.count >= magic.count, raw.prefix(magic.count).elementsEqual(magic) else { return nil }
        guard let newline = raw[magic.count...].firstIndex(of: 0x0A) else { return nil }
        let digest = String(decoding: raw[magic.count..<newline], as: UTF8.self)
        let body = newline + 1
        guard (raw.count - body) % 24 == 0 else { return nil }
        let count = (raw.count - body) / 24
        let entries = [Entry](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count {
                let offset = body + index * 24
                buffer[index] = Entry(
                    rawHash: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)),
                    keyHash: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)),
                    outputHash: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self)))
            }
            initialized = count
        }
        return DeltaSnapshot(specDigest: digest, entries: entries)
    }
}
