/// A channel's product export compiled once: its filter, its mapping and what to read of each
/// product. `process` takes one product's JSON text to an outcome — the whole per-product
/// work of an export, pure and without I/O.
public struct ProductExportProgram: Sendable {
    public let filter: FilterEngine
    public let mapping: MappingEngine
    public let scanner: ProductScanner
    /// The digest of everything that shapes the output (see `specDigest(of:)`).
    public let specDigest: String
    /// Where each cell of a row is when the targets are sorted by name (nil: already so).
    /// Rows are hashed in that order, so that reordering columns changes no row hash.
    let hashOrder: [Int]?
    /// The seed of every row hash: 0, or for a `flat-file` channel whose columns are not in
    /// name order, a hash of its columns (a reordered CSV resends every product).
    let hashSeed: UInt64

    /// What became of one product.
    public enum Outcome: Sendable {
        /// Its text is what the last successful export saw (delta): not read, not sent.
        case unchanged
        /// It does not pass the filter (`FilterEngine.rejection` says why).
        case filteredOut
        /// A required target had no value.
        case skipped(MappingSkip)
        /// Its text is not a product (bad JSON, no uuid or identifier).
        case invalid(String)
        /// Mapped, and its output is what the last successful export sent (delta): not sent.
        case same
        /// Mapped and to be sent: the row is in `row`.
        case send
    }

    /// Compiles the export of `channel`; `spec` is the channel's spec value (for the digest).
    public init(channel: ChannelSpec, spec: Value) throws(ExportProgramError) {
        do {
            filter = try FilterEngine(channel.products?.filter ?? ProductFilter())
        } catch {
            throw ExportProgramError(message: error.message)
        }
        do {
            mapping = try MappingEngine(channel: channel)
        } catch {
            throw ExportProgramError(message: error.message)
        }
        let properties = ["uuid", "identifier"] + filter.propertyNames.union(mapping.propertyNames)
            .subtracting(["uuid", "identifier", "values"]).sorted()
        let lookups = Dictionary(grouping: filter.attributeLookups + mapping.attributeLookups, by: \.attribute)
        scanner = ProductScanner(ProductProjection(properties: properties,
                                                   attributes: filter.attributeCodes.union(mapping.attributeCodes).sorted(),
                                                   lookups: lookups))
        let targets = mapping.targets
        let byName = targets.indices.sorted { targets[$0] < targets[$1] }
        hashOrder = byName == Array(targets.indices) ? nil : byName
        let layout = channel.type.readsColumnsByPosition && hashOrder != nil
        hashSeed = layout ? FastHash.hash(targets.joined(separator: "\u{1F}")) : 0
        specDigest = ProductExportProgram.specDigest(of: spec)
    }

    /// The digest of what shapes a channel's output, from its spec value: `source`,
    /// `products.filter`, `products.mapping`, `products.export.valueSeparator` and, for a
    /// `flat-file` channel whose columns are not in name order, the column order (a CSV's
    /// layout; a Mirakl import or an Akeneo PIM reads values by name, whatever their order).
    /// When it changes, a delta export reads every product again.
    ///
    /// Columns in name order add nothing, so specs stored before the order was kept keep
    /// their digest.
    public static func specDigest(of spec: Value) -> String {
        var shaping: [String: Value] = [:]
        for path in ["source", "products.filter", "products.mapping", "products.export.valueSeparator"] {
            shaping[path] = spec.value(at: path) ?? .null
        }
        if ChannelType(of: spec)?.readsColumnsByPosition == true {
            let columns = MappingOrder.columns(of: spec)
            if columns != columns.sorted() { shaping[MappingOrder.path] = .list(columns.map(Value.string)) }
        }
        return Hashing.sha256(Array(CanonicalJSON.string(.object(shaping)).utf8)).hexString
    }

    /// Reusable buffers of one export (one per thread).
    public struct Scratch: Sendable {
        public var fields = ProductFields()
        public var row: [String] = []
        var bytes: [UInt8] = []
        var entries: [DeltaSnapshot.Entry] = []
        /// The key of the last product read (`uuid` or `identifier`).
        public var key = ""
        /// Where in the previous snapshot the last unchanged product was.
        public var matchedOrdinal = -1
        public init() {}
    }

    /// Processes one product's JSON text.
    public func process(_ text: UnsafeRawBufferPointer, tracker: inout DeltaTracker, scratch: inout Scratch) -> Outcome {
        var entries: [DeltaSnapshot.Entry] = []
        swap(&entries, &scratch.entries)
        let outcome = process(text, index: tracker.index, entries: &entries, scratch: &scratch)
        tracker.append(contentsOf: entries)
        entries.removeAll(keepingCapacity: true)
        swap(&entries, &scratch.entries)
        return outcome
    }

    /// Processes one product's JSON text against `index`, appending its snapshot entry to
    /// `entries` (chunks of products are processed in parallel this way).
    public func process(_ text: UnsafeRawBufferPointer, index: DeltaIndex, entries: inout [DeltaSnapshot.Entry],
                        scratch: inout Scratch) -> Outcome {
        let rawHash = FastHash.wide(text)
        if let (entry, ordinal) = index.unchanged(rawHash: rawHash, after: scratch.matchedOrdinal) {
            entries.append(entry)
            scratch.matchedOrdinal = ordinal
            return .unchanged
        }
        do {
            try scanner.scan(text, into: &scratch.fields)
        } catch {
            return .invalid("\(error)")
        }
        guard let key = scratch.fields.key, !key.isEmpty else { return .invalid("the product has no uuid or identifier") }
        scratch.key = key
        let keyHash = FastHash.hash(key)
        if !filter.matches(scratch.fields) {
            index.notExported(rawHash: rawHash, keyHash: keyHash, into: &entries)
            return .filteredOut
        }
        if let skip = mapping.map(scratch.fields, into: &scratch.row) {
            index.notExported(rawHash: rawHash, keyHash: keyHash, into: &entries)
            return .skipped(skip)
        }
        let outputHash = Self.hash(scratch.row, order: hashOrder, seed: hashSeed, buffer: &scratch.bytes)
        return index.mapped(rawHash: rawHash, keyHash: keyHash, outputHash: outputHash, into: &entries) ? .send : .same
    }

    /// The hash of a row: its cells' UTF-8 bytes, each followed by a unit separator, taken in
    /// `order` (row indices; nil: the row's own order) and hashed with `seed`.
    static func hash(_ row: [String], order: [Int]?, seed: UInt64, buffer: inout [UInt8]) -> UInt64 {
        buffer.removeAll(keepingCapacity: true)
        if let order {
            for index in order { appendCell(row[index], to: &buffer) }
        } else {
            for index in row.indices { appendCell(row[index], to: &buffer) }
        }
        return buffer.withUnsafeBytes { FastHash.hash($0, seed: seed) }
    }

    /// Appends a cell's UTF-8 bytes and a unit separator, reading the cell in place (no copy
    /// of the string to call a mutating `withUTF8`).
    @inline(__always)
    private static func appendCell(_ cell: String, to buffer: inout [UInt8]) {
        if cell.utf8.withContiguousStorageIfAvailable({ buffer.append(contentsOf: $0) }) == nil {
            buffer.append(contentsOf: cell.utf8)
        }
        buffer.append(0x1F)
    }
}

/// A channel whose filter or mapping cannot be compiled (validation reports the same problem).
public struct ExportProgramError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
