import Testing
@testable import SyndicCore

struct SHA256Tests {
    // MARK: - FIPS 180-4 / NIST test vectors

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        // 448 bits: the padding needs a second block.
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        // 896 bits.
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func digestsTestVector(_ message: String, _ digest: String) {
        #expect(SHA256.hex(message) == digest)
        #expect(SHA256.hash(Array(message.utf8)).hexString == digest)
    }

    @Test func digestsAMillionAsThroughTheBufferUpdate() {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update($0) }
        #expect(hasher.finalize().hexString == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func digestsAMillionAsInUnalignedChunks() {
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 999)
        var hasher = SHA256()
        var fed = 0
        while fed < 1_000_000 {
            let count = min(chunk.count, 1_000_000 - fed)
            // Alternate the two update paths so the partial buffer is carried across both.
            if (fed / chunk.count) % 2 == 0 {
                chunk[..<count].withUnsafeBytes { hasher.update($0) }
            } else {
                hasher.update(chunk[..<count])
            }
            fed += count
        }
        #expect(hasher.finalize().hexString == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths around the 55/56/64-byte padding boundaries: streaming byte by byte, the
    /// buffer path and the one-shot path must agree.
    @Test(arguments: [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129])
    func updatePathsAgreeAtBlockBoundaries(_ length: Int) {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let oneShot = SHA256.hash(bytes)
        var byteByByte = SHA256()
        for byte in bytes { byteByByte.update([byte]) }
        var buffered = SHA256()
        let split = length / 3
        bytes[..<split].withUnsafeBytes { buffered.update($0) }
        bytes[split...].withUnsafeBytes { buffered.update($0) }
        #expect(byteByByte.finalize() == oneShot)
        #expect(buffered.finalize() == oneShot)
        #expect(oneShot.count == 32)
    }

    @Test func hexOfAStringHashesItsUTF8() {
        #expect(SHA256.hex("é") == SHA256.hash([0xc3, 0xa9]).hexString)
        #expect(SHA256.hex("é") != SHA256.hex("e"))
    }

    @Test func hexStringIsLowerCaseTwoDigitsPerByte() {
        #expect([0x00, 0x0f, 0xa0, 0xff].hexString == "000fa0ff")
        #expect([UInt8]().hexString == "")
    }

    // MARK: - HMAC-SHA-256 (RFC 4231)

    @Test func hmacRFC4231TestCase1() {
        let key = [UInt8](repeating: 0x0b, count: 20)
        #expect(SHA256.hmac(key: key, message: Array("Hi There".utf8)).hexString
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test func hmacRFC4231TestCase2() {
        #expect(SHA256.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)).hexString
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func hmacRFC4231TestCase6KeyLongerThanABlock() {
        let key = [UInt8](repeating: 0xaa, count: 131)
        let message = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        #expect(SHA256.hmac(key: key, message: message).hexString
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }
}
