/// The new snapshot of an export that read only some products (Akeneo's products updated
/// since the last export): the previous snapshot with the products read replaced by their new
/// entries, and the products it did not have appended, in the order they were read.
///
/// Products not read keep their entries: they did not change. Only the entries read are held
/// (24 bytes and a table slot each); the previous snapshot is streamed part by part when the
/// merged one is written, so memory is one part plus what was read.
public struct DeltaMerge: Sendable {
    /// The entries read, in read order (a product read twice keeps its place and its last entry).
    public private(set) var entries: [DeltaSnapshot.Entry] = []
    /// Key hash → place in `entries` + 1.
    private var places: HashTable
    /// How many entries `places` takes before it is rebuilt larger.
    private var room: Int

    /// A merge for about `expected` products read (it grows when more come).
    public init(expected: Int = 1024) {
        let sized = max(expected, 16)
        places = HashTable(expected: sized)
        room = sized
        entries.reserveCapacity(min(sized, 1 << 16))
    }

    /// How many distinct products were read.
    public var count: Int { entries.count }

    /// Adds the entries of products read (in read order).
    public mutating func add(_ chunk: [DeltaSnapshot.Entry]) {
        for entry in chunk {
            if let place = places.value(entry.keyHash) {
                entries[Int(place) - 1] = entry
                continue
            }
            if entries.count >= room { grow() }
            entries.append(entry)
            places.set(entry.keyHash, UInt64(entries.count))
        }
    }

    private mutating func grow() {
        room *= 2
        places = HashTable(expected: room)
        for (offset, entry) in entries.enumerated() { places.set(entry.keyHash, UInt64(offset + 1)) }
    }

    /// Marks products the destination refused among those read as never exported, so that the
    /// next delta export sends them again.
    public mutating func refused(keyHashes: Set<UInt64>) {
        guard !keyHashes.isEmpty else { return }
        for place in entries.indices where keyHashes.contains(entries[place].keyHash) {
            entries[place].rawHash = 0
            entries[place].outputHash = 0
        }
    }

    /// How the number of exportable products (those with an output) changes from the previous
    /// snapshot to the merged one: the products read that are exportable now, minus those that
    /// were exportable before. `previousOutput` gives a key's previous output hash (0: not
    /// exported), nil when the previous snapshot does not have it.
    public func exportableChange(previousOutput: (UInt64) -> UInt64?) -> Int {
        var change = 0
        for entry in entries {
            if entry.outputHash != 0 { change += 1 }
            if let before = previousOutput(entry.keyHash), before != 0 { change -= 1 }
        }
        return change
    }

    /// Writes the merged snapshot: each part of the previous one (`previousPart(seq)`, nil past
    /// the last; refused keys already marked) with the products read replaced, then the
    /// products it did not have; `emit` is called with parts of `partSize` entries (the last
    /// one shorter). Returns how many entries the merged snapshot has.
    public func write(previousPart: (Int) throws -> [DeltaSnapshot.Entry]?, partSize: Int,
                      emit: ([DeltaSnapshot.Entry]) throws -> Void) throws -> Int {
        var placed = [Bool](repeating: false, count: entries.count)
        var pending: [DeltaSnapshot.Entry] = []
        pending.reserveCapacity(partSize)
        var written = 0
        func push(_ entry: DeltaSnapshot.Entry) throws {
            pending.append(entry)
            if pending.count >= partSize {
                try emit(pending)
                written += pending.count
                pending.removeAll(keepingCapacity: true)
            }
        }
        var seq = 0
        while let part = try previousPart(seq) {
            for entry in part {
                if let place = places.value(entry.keyHash) {
                    let index = Int(place) - 1
                    // A key the previous snapshot held twice keeps one entry.
                    guard !placed[index] else { continue }
                    placed[index] = true
                    try push(entries[index])
                } else {
                    try push(entry)
                }
            }
            seq += 1
        }
        for (index, entry) in entries.enumerated() where !placed[index] { try push(entry) }
        if !pending.isEmpty {
            try emit(pending)
            written += pending.count
        }
        return written
    }
}
