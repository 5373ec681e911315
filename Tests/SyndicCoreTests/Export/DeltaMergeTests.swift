import Testing
@testable import SyndicCore

/// The snapshot of an export that read only some products: products not read keep their
/// entries, re-read ones are replaced in place, new ones are appended in read order, written
/// a part at a time.
@Suite struct DeltaMergeTests {
    static func entry(_ key: UInt64, raw: UInt64? = nil, output: UInt64? = nil) -> DeltaSnapshot.Entry {
        DeltaSnapshot.Entry(rawHash: raw ?? key * 10, keyHash: key, outputHash: output ?? key * 100 + 1)
    }

    /// `entries` cut into parts of `size`, served as the store serves them (nil past the last).
    static func parts(_ entries: [DeltaSnapshot.Entry], size: Int) -> (Int) -> [DeltaSnapshot.Entry]? {
        let parts = stride(from: 0, to: entries.count, by: size).map { Array(entries[$0..<min($0 + size, entries.count)]) }
        return { seq in seq < parts.count ? parts[seq] : nil }
    }

    /// The merged snapshot and the parts it was written in.
    static func merged(_ merge: DeltaMerge, previous: [DeltaSnapshot.Entry], previousPart: Int = 3,
                       partSize: Int = 4) throws -> (entries: [DeltaSnapshot.Entry], parts: [Int], count: Int) {
        var written: [[DeltaSnapshot.Entry]] = []
        let count = try merge.write(previousPart: parts(previous, size: previousPart), partSize: partSize) { written.append($0) }
        return (written.flatMap { $0 }, written.map(\.count), count)
    }

    @Test func productsNotReadKeepTheirEntriesReReadOnesAreReplacedNewOnesAppended() throws {
        let previous = (1...10).map { Self.entry($0) }
        var merge = DeltaMerge(expected: 2)
        merge.add([Self.entry(4, raw: 444, output: 4441), Self.entry(99, raw: 999, output: 9991)])
        merge.add([Self.entry(8, raw: 888, output: 0), Self.entry(77)])
        let result = try Self.merged(merge, previous: previous)

        var expected = previous
        expected[3] = Self.entry(4, raw: 444, output: 4441)
        expected[7] = Self.entry(8, raw: 888, output: 0)
        expected += [Self.entry(99, raw: 999, output: 9991), Self.entry(77)]
        #expect(result.entries == expected)
        #expect(result.count == 12)
        #expect(result.parts == [4, 4, 4], "parts of partSize, whatever the previous parts' size")
        #expect(merge.count == 4)
    }

    @Test func aProductReadTwiceKeepsItsFirstPlaceAndItsLastEntry() throws {
        var merge = DeltaMerge()
        merge.add([Self.entry(50, raw: 1), Self.entry(2, raw: 2)])
        merge.add([Self.entry(50, raw: 3)])
        #expect(merge.entries.map(\.rawHash) == [3, 2])
        let result = try Self.merged(merge, previous: [Self.entry(1), Self.entry(2)])
        #expect(result.entries.map(\.keyHash) == [1, 2, 50])
        #expect(result.entries.map(\.rawHash) == [10, 2, 3])
    }

    @Test func itGrowsPastWhatItExpected() throws {
        var merge = DeltaMerge(expected: 1)
        let read = (1...1000).map { Self.entry($0, raw: $0 + 7) }
        merge.add(read)
        merge.add([Self.entry(500, raw: 1)])
        #expect(merge.count == 1000)
        let result = try Self.merged(merge, previous: [], partSize: 300)
        #expect(result.parts == [300, 300, 300, 100])
        #expect(result.entries.map(\.keyHash) == Array(1...1000))
        #expect(result.entries[499].rawHash == 1)
    }

    @Test func refusedProductsAmongThoseReadAreMarkedNeverExported() throws {
        var merge = DeltaMerge()
        merge.add([Self.entry(3, raw: 33, output: 331), Self.entry(5, raw: 55, output: 551)])
        merge.refused(keyHashes: [5, 6])
        let result = try Self.merged(merge, previous: (1...6).map { Self.entry($0) })
        #expect(result.entries[2] == Self.entry(3, raw: 33, output: 331))
        #expect(result.entries[4] == DeltaSnapshot.Entry(rawHash: 0, keyHash: 5, outputHash: 0))
        #expect(result.entries[5] == Self.entry(6), "a product not read keeps its entry")
    }

    @Test func theExportableChangeWeighsWhatWasReadAgainstWhatItWas() {
        // Before: 1 and 2 exported, 3 not (output 0); 9 is new.
        let before: [UInt64: UInt64] = [1: 11, 2: 21, 3: 0]
        var merge = DeltaMerge()
        merge.add([Self.entry(1, output: 12), Self.entry(2, output: 0), Self.entry(3, output: 31), Self.entry(9, output: 91)])
        // 1 stays (0), 2 leaves (-1), 3 comes (+1), 9 is new (+1).
        #expect(merge.exportableChange { before[$0] } == 1)
        #expect(DeltaMerge().exportableChange { before[$0] } == 0)
    }

    @Test func aSnapshotNothingWasReadIntoIsRewrittenAsItWas() throws {
        let previous = (1...9).map { Self.entry($0) }
        let result = try Self.merged(DeltaMerge(), previous: previous, previousPart: 2, partSize: 5)
        #expect(result.entries == previous)
        #expect(result.parts == [5, 4])
        #expect(try Self.merged(DeltaMerge(), previous: []).parts.isEmpty)
    }

    @Test func aKeyOnlyIndexDecidesByOutputAndKnowsPreviousOutputs() {
        var keys = DeltaKeys(expected: 3)
        keys.add([Self.entry(1), Self.entry(2)], refused: [2])
        keys.add([Self.entry(3, output: 0)])
        let index = DeltaIndex(specDigest: "d", keys: keys)
        #expect(!index.decidesByText)
        #expect(index.previousOutput(keyHash: 1) == 101)
        #expect(index.previousOutput(keyHash: 2) == 0, "refused: counts as never exported")
        #expect(index.previousOutput(keyHash: 4) == nil)
        var entries: [DeltaSnapshot.Entry] = []
        // `mapped` stores output | 1: the same output is not sent again, a new one is.
        #expect(!index.mapped(rawHash: 5, keyHash: 1, outputHash: 100, into: &entries))
        #expect(index.mapped(rawHash: 5, keyHash: 1, outputHash: 102, into: &entries))
        #expect(index.mapped(rawHash: 5, keyHash: 2, outputHash: 200, into: &entries))
        #expect(index.mapped(rawHash: 5, keyHash: 4, outputHash: 400, into: &entries))
        #expect(index.unchangedEntry(rawHash: 10) == nil, "nothing is known unchanged by its text")
    }
}
