import Testing
@testable import SyndicCore
import SyndicTestSupport

struct DeltaSnapshotTests {
    static func snapshot(entries count: Int) -> DeltaSnapshot {
        var random = SeededGenerator(seed: UInt64(count))
        let entries = (0..<count).map { _ in
            DeltaSnapshot.Entry(rawHash: random.next(), keyHash: random.next(), outputHash: random.next())
        }
        return DeltaSnapshot(specDigest: "9f2c4e", entries: entries)
    }

    @Test(arguments: [0, 1, 1000])
    func encodingRoundTrips(_ count: Int) {
        let snapshot = Self.snapshot(entries: count)
        let bytes = snapshot.encoded()
        #expect(bytes.count == "SYNDELTA1\n9f2c4e\n".utf8.count + 24 * count)
        #expect(DeltaSnapshot(encoded: bytes) == snapshot)
    }

    @Test func entriesAreLittleEndianWords() {
        let bytes = DeltaSnapshot(specDigest: "", entries: [.init(rawHash: 1, keyHash: 0x0203, outputHash: .max)]).encoded()
        #expect(bytes == Array("SYNDELTA1\n\n".utf8) + [1, 0, 0, 0, 0, 0, 0, 0] + [3, 2, 0, 0, 0, 0, 0, 0]
            + [UInt8](repeating: 0xFF, count: 8))
    }

    @Test func emptyDigestAndExtremeHashesRoundTrip() {
        let snapshot = DeltaSnapshot(specDigest: "", entries: [.init(rawHash: 0, keyHash: .max, outputHash: 1 << 63)])
        #expect(DeltaSnapshot(encoded: snapshot.encoded()) == snapshot)
    }

    @Test(arguments: [
        [UInt8](),
        Array("garbage".utf8),
        Array("SYNDELTA2\nabc\n".utf8),
        Array("SYNDELTA1".utf8),
        Array("SYNDELTA1\nno newline after the digest".utf8),
        Array("SYNDELTA1\nabc\n".utf8) + [UInt8](repeating: 7, count: 23),
        Array("SYNDELTA1\nabc\n".utf8) + [UInt8](repeating: 7, count: 25),
    ])
    func unreadableBytesAreNoSnapshot(_ bytes: [UInt8]) {
        #expect(DeltaSnapshot(encoded: bytes) == nil)
    }

    @Test func everyTruncationOfASnapshotIsRefusedOrShorter() {
        let bytes = Self.snapshot(entries: 3).encoded()
        for length in 0..<bytes.count {
            let read = DeltaSnapshot(encoded: Array(bytes.prefix(length)))
            let header = "SYNDELTA1\n9f2c4e\n".utf8.count
            if length >= header, (length - header) % 24 == 0 {
                #expect(read?.entries.count == (length - header) / 24, "cut at \(length)")
            } else {
                #expect(read == nil, "cut at \(length)")
            }
        }
    }
}
