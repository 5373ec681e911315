import Testing
@testable import SyndicCore
import SyndicTestSupport

struct FastHashTests {
    /// Bytes that look random, the same on every run.
    static func bytes(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
    }

    @Test func sameInputSameHash() {
        for count in [0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 100, 1000] {
            let first = Self.bytes(count)
            let second = Array(first)
            #expect(FastHash.hash(first) == FastHash.hash(second), "\(count) bytes")
            #expect(FastHash.hash(first, seed: 9) == FastHash.hash(second, seed: 9), "\(count) bytes")
        }
    }

    /// Every single-byte change, at every position of inputs of 0 to 40 bytes, changes the
    /// hash (40 bytes cover two full 16-byte steps and a tail).
    @Test func everySingleByteChangeChangesTheHash() {
        for count in 0...40 {
            let input = Self.bytes(count, seed: UInt64(count))
            #expect(Self.changesKeepingTheHash(input) { FastHash.hash($0) }.isEmpty, "\(count) bytes")
        }
    }

    /// The single-byte changes of `input` (each byte + 1 to 255) that leave `hash` as it is.
    static func changesKeepingTheHash(_ input: [UInt8], _ hash: ([UInt8]) -> UInt64) -> [String] {
        var input = input
        let original = hash(input)
        var unchanged: [String] = []
        for position in input.indices {
            let kept = input[position]
            for delta in 1...255 {
                input[position] = kept &+ UInt8(delta)
                if hash(input) == original { unchanged.append("byte \(position) + \(delta)") }
            }
            input[position] = kept
        }
        #expect(hash(input) == original, "the same bytes again, the same hash")
        return unchanged
    }

    /// Zero padding of the tail does not hide the length: runs of zero bytes all differ.
    @Test func lengthChangesTheHash() {
        let hashes = (0...64).map { FastHash.hash([UInt8](repeating: 0, count: $0)) }
        #expect(Set(hashes).count == hashes.count)
        #expect(FastHash.hash("a") != FastHash.hash("a\0"))
    }

    @Test(arguments: ["", "a", "SHOE-001", "fc24e6c3-933c-4a93-8a81-e5c703d134d5", String(repeating: "x", count: 100)])
    func seedChangesTheHash(_ text: String) {
        let seeds: [UInt64] = [0, 1, 2, 0x8000_0000_0000_0000, .max]
        let hashes = seeds.map { FastHash.hash(text, seed: $0) }
        #expect(Set(hashes).count == seeds.count)
    }

    @Test(arguments: ["", "a", "Légère 😀", "fc24e6c3-933c-4a93-8a81-e5c703d134d5", String(repeating: "é", count: 40)])
    func overloadsAgree(_ text: String) {
        let bytes = Array(text.utf8)
        let fromBuffer = bytes.withUnsafeBytes { FastHash.hash($0, seed: 3) }
        #expect(FastHash.hash(text, seed: 3) == fromBuffer)
        #expect(FastHash.hash(bytes, seed: 3) == fromBuffer)
        #expect(FastHash.hash(text) == FastHash.hash(bytes))
        // A substring's bytes hash like a string of its own.
        let substring = "<\(text)>".dropFirst().dropLast()
        #expect(FastHash.hash(String(substring), seed: 3) == fromBuffer)
    }

    /// Unaligned starts read the same words: a slice hashes like a copy of it.
    @Test func unalignedBuffersHashLikeCopies() {
        let bytes = Self.bytes(80)
        bytes.withUnsafeBytes { buffer in
            for start in 0..<9 {
                for end in [start, start + 1, start + 16, start + 33, 80] {
                    let slice = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
                    #expect(FastHash.hash(slice) == FastHash.hash(Array(bytes[start..<end])), "\(start)..<\(end)")
                }
            }
        }
    }

    // MARK: - The wide hash of long texts

    static func wide(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes(FastHash.wide) }

    /// Every single-byte change changes the wide hash, in inputs short enough for the 16-byte
    /// steps alone and long enough for the four lanes and a tail after them.
    @Test(arguments: [0, 1, 15, 16, 17, 40, 63, 64, 65, 79, 127, 128, 129, 150])
    func everySingleByteChangeChangesTheWideHash(_ count: Int) {
        let input = Self.bytes(count, seed: UInt64(count) + 100)
        #expect(Self.wide(Array(input)) == Self.wide(input))
        #expect(Self.changesKeepingTheHash(input, Self.wide).isEmpty, "\(count) bytes")
    }

    /// Lengths and lanes: runs of zero bytes all differ, bytes moved from one lane to another
    /// change the hash, and a slice hashes like a copy of it.
    @Test func theWideHashSeesLengthsLanesAndSlices() {
        let zeros = (0...200).map { Self.wide([UInt8](repeating: 0, count: $0)) }
        #expect(Set(zeros).count == zeros.count)
        let lanes = Self.bytes(128)
        let swapped = Array(lanes[16..<32] + lanes[0..<16] + lanes[32...])
        #expect(Self.wide(swapped) != Self.wide(lanes))
        let rotated = Array(lanes[64...] + lanes[..<64])
        #expect(Self.wide(rotated) != Self.wide(lanes))
        lanes.withUnsafeBytes { buffer in
            for start in 0..<9 {
                for end in [start, start + 65, 128] {
                    let slice = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
                    #expect(FastHash.wide(slice) == Self.wide(Array(lanes[start..<end])), "\(start)..<\(end)")
                }
            }
        }
    }
}
