import Testing
@testable import SyndicCore

/// Hexadecimal rendering and reading of bytes (salts and digests are stored this way).
struct HexTests {
    @Test func hexStringIsLowerCaseTwoDigitsPerByte() {
        #expect([0x00, 0x0f, 0xa0, 0xff].hexString == "000fa0ff")
        #expect([UInt8]().hexString == "")
    }

    @Test func readingHexGivesBackTheBytes() {
        let bytes: [UInt8] = [0x00, 0x01, 0x7f, 0x80, 0xab, 0xff]
        #expect([UInt8](hexString: bytes.hexString) == bytes)
        #expect([UInt8](hexString: "ABcd") == [0xab, 0xcd])
        #expect([UInt8](hexString: "") == [])
    }

    @Test func aPairThatIsNotHexReadsAsZeroAndATrailingDigitIsIgnored() {
        #expect([UInt8](hexString: "zz01") == [0x00, 0x01])
        #expect([UInt8](hexString: "0a1") == [0x0a])
    }
}
