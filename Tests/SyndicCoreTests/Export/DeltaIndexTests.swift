import Testing
@testable import SyndicCore

/// The previous snapshot's index: decisions by key and by text, the entry after the last
/// match tried first, and an index of several chunks deciding as one of the whole snapshot.
struct DeltaIndexTests {
    @Test func mappedOutputHashIsNeverZero() {
        let index = DeltaIndex(delta: true, specDigest: "d", previous: nil)
        var entries: [DeltaSnapshot.Entry] = []
        #expect(index.mapped(rawHash: 1, keyHash: 2, outputHash: 0, into: &entries))
        index.notExported(rawHash: 3, keyHash: 4, into: &entries)
        #expect(entries == [.init(rawHash: 1, keyHash: 2, outputHash: 1), .init(rawHash: 3, keyHash: 4, outputHash: 0)])
    }

    @Test func indexComparesOutputByKey() {
        let previous = DeltaSnapshot(specDigest: "d", entries: [.init(rawHash: 10, keyHash: 20, outputHash: 31),
                                                                  .init(rawHash: 11, keyHash: 21, outputHash: 0)])
        let index = DeltaIndex(delta: true, specDigest: "d", previous: previous)
        var entries: [DeltaSnapshot.Entry] = []
        #expect(index.unchangedEntry(rawHash: 11) == previous.entries[1])
        #expect(index.unchangedEntry(rawHash: 12) == nil)
        #expect(index.unchangedEntry(rawHash: 0) == nil)
        #expect(!index.mapped(rawHash: 12, keyHash: 20, outputHash: 30, into: &entries), "31 = 30 | 1: same output")
        #expect(index.mapped(rawHash: 12, keyHash: 20, outputHash: 32, into: &entries))
        #expect(index.mapped(rawHash: 13, keyHash: 21, outputHash: 31, into: &entries), "was not exported")
        #expect(index.mapped(rawHash: 14, keyHash: 22, outputHash: 31, into: &entries), "new key")
        #expect(entries.count == 4)

        let full = DeltaIndex(delta: false, specDigest: "d", previous: previous)
        #expect(full.unchangedEntry(rawHash: 10) == nil)
        #expect(full.mapped(rawHash: 10, keyHash: 20, outputHash: 30, into: &entries))
        let otherSpec = DeltaIndex(delta: true, specDigest: "e", previous: previous)
        #expect(otherSpec.unchangedEntry(rawHash: 10) == nil)
        #expect(!otherSpec.mapped(rawHash: 10, keyHash: 20, outputHash: 30, into: &entries))
    }

    @Test func theEntryAfterTheLastMatchIsTriedFirstAndTheTableOtherwise() {
        let previous = DeltaSnapshot(specDigest: "d", entries: [.init(rawHash: 10, keyHash: 20, outputHash: 31),
                                                                  .init(rawHash: 11, keyHash: 21, outputHash: 33),
                                                                  .init(rawHash: 0, keyHash: 22, outputHash: 35),
                                                                  .init(rawHash: 10, keyHash: 20, outputHash: 31)])
        // A window of the snapshot from its entry 100 on.
        let index = DeltaIndex(specDigest: "d", chunks: [DeltaChunk(previous.entries, firstOrdinal: 100, byText: true)],
                               byText: true)
        #expect(index.unchanged(rawHash: 11, after: 100)?.ordinal == 101, "the next entry")
        #expect(index.unchanged(rawHash: 11, after: 100)?.entry == previous.entries[1])
        #expect(index.unchanged(rawHash: 10, after: 102)?.ordinal == 103, "a repeated text: the entry after the last match")
        #expect(index.unchanged(rawHash: 10, after: -1)?.ordinal == 100, "no match before: the table's first entry")
        #expect(index.unchanged(rawHash: 11, after: 102)?.ordinal == 101, "not the next entry: the table")
        #expect(index.unchanged(rawHash: 0, after: 101) == nil, "an entry to read again never matches")
        #expect(index.unchanged(rawHash: 12, after: 100) == nil)
        #expect(index.unchanged(rawHash: 10, after: 103)?.ordinal == 100, "past the window: the table")
        let otherSpec = DeltaIndex(specDigest: "e", chunks: [DeltaChunk(previous.entries, firstOrdinal: 100, byText: false)],
                                   byText: false)
        #expect(otherSpec.unchanged(rawHash: 11, after: 100) == nil, "another spec: nothing is known by its text")
    }

    /// Entries split into consecutive chunks are found as in one chunk of them all: a text
    /// repeated across chunks gives its first entry, a key repeated gives its last output,
    /// and the entry after a match is found across a chunk's end.
    @Test func chunksDecideAsTheWholeSnapshot() {
        let entries = (0..<10).map { (index: Int) -> DeltaSnapshot.Entry in
            let place = UInt64(index)
            return DeltaSnapshot.Entry(rawHash: 100 + place % 7, keyHash: 200 + place % 6, outputHash: 2 * place + 1)
        }
        // One chunk of them all, its two tables built side by side as for a whole snapshot.
        let whole = DeltaIndex(specDigest: "d", chunks: [DeltaChunk(entries, firstOrdinal: 50, byText: true, parallel: true)],
                               byText: true)
        let chunked = DeltaIndex(specDigest: "d", chunks: [DeltaChunk(Array(entries[0..<4]), firstOrdinal: 50, byText: true),
                                                           DeltaChunk(Array(entries[4..<10]), firstOrdinal: 54, byText: true)],
                                 byText: true)
        for raw in UInt64(99)...108 {
            #expect(chunked.unchanged(rawHash: raw)?.ordinal == whole.unchanged(rawHash: raw)?.ordinal, "text \(raw)")
            for previous in [-1, 49, 52, 53, 56, 59] {
                let fromChunks = chunked.unchanged(rawHash: raw, after: previous)?.ordinal
                let fromWhole = whole.unchanged(rawHash: raw, after: previous)?.ordinal
                #expect(fromChunks == fromWhole, "text \(raw) after \(previous)")
            }
        }
        for key in UInt64(199)...206 {
            #expect(chunked.previousOutput(keyHash: key) == whole.previousOutput(keyHash: key), "key \(key)")
        }
        #expect(chunked.unchanged(rawHash: 104, after: 53)?.ordinal == 54, "across the chunks' boundary")
        #expect(chunked.previousOutput(keyHash: 200) == 13, "key 200's last entry (ordinal 56)")
        let byKeyOnly = DeltaIndex(specDigest: "e", chunks: [DeltaChunk(entries, firstOrdinal: 0, byText: false)], byText: false)
        #expect(byKeyOnly.unchanged(rawHash: 100) == nil, "another spec: nothing is known by its text")
        #expect(byKeyOnly.previousOutput(keyHash: 205) == 11)
    }
}
