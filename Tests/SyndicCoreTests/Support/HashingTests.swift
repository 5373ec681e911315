import Testing
@testable import SyndicCore

/// SHA-256 and HMAC-SHA-256 against the published test vectors: digests stored in state
/// (fingerprints, token hashes, configuration digests) depend on these exact bytes.
struct HashingTests {
    // MARK: - SHA-256 (FIPS 180-4 / NIST vectors)

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
        #expect(Hashing.sha256Hex(message) == digest)
        #expect(Hashing.sha256(Array(message.utf8)).hexString == digest)
    }

    @Test func digestsAMillionAs() {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(Hashing.sha256(bytes).hexString == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func digestIsThirtyTwoBytes() {
        #expect(Hashing.sha256([]).count == 32)
        #expect(Hashing.sha256(Array(repeating: 7, count: 129)).count == 32)
    }

    @Test func hexOfAStringHashesItsUTF8() {
        #expect(Hashing.sha256Hex("é") == Hashing.sha256([0xc3, 0xa9]).hexString)
        #expect(Hashing.sha256Hex("é") == "4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c")
        #expect(Hashing.sha256Hex("é") != Hashing.sha256Hex("e"))
    }

    // MARK: - HMAC-SHA-256 (RFC 4231)

    @Test func hmacRFC4231TestCase1() {
        let key = [UInt8](repeating: 0x0b, count: 20)
        #expect(Hashing.hmacSHA256(key: key, message: Array("Hi There".utf8)).hexString
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test func hmacRFC4231TestCase2() {
        #expect(Hashing.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)).hexString
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func hmacRFC4231TestCase6KeyLongerThanABlock() {
        let key = [UInt8](repeating: 0xaa, count: 131)
        let message = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        #expect(Hashing.hmacSHA256(key: key, message: message).hexString
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func hmacRFC4231TestCase7KeyAndMessageLongerThanABlock() {
        let key = [UInt8](repeating: 0xaa, count: 131)
        let message = Array(("This is a test using a larger than block-size key and a larger than block-size data."
                             + " The key needs to be hashed before being used by the HMAC algorithm.").utf8)
        #expect(Hashing.hmacSHA256(key: key, message: message).hexString
                == "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
    }

    /// An empty key (zero-padded to a block) and a key of exactly one block (used as is).
    @Test func hmacWithEmptyAndBlockSizedKeys() {
        #expect(Hashing.hmacSHA256(key: [], message: []).hexString
                == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
        #expect(Hashing.hmacSHA256(key: (0..<64).map { UInt8($0) }, message: Array("x".utf8)).hexString
                == "b8dc75d4220cfd86a5bf7c4301b3698f142a66fd7c004627df558626edb480cd")
    }
}
