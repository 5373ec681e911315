import Testing
@testable import SyndicCore

struct FingerprintTests {
    @Test func fingerprintBindsAddressPathAndSalt() {
        let value = Array("mk-123".utf8)
        let salt: [UInt8] = [1, 2, 3]
        let base = Fingerprint.of(value: value, address: "channel.a", path: "credentials.apiKey", salt: salt)
        #expect(base.count == 64)
        #expect(base == Hashing.hmacSHA256(key: salt, message: Array("channel.a\u{0}credentials.apiKey\u{0}mk-123".utf8)).hexString)
        #expect(base == Fingerprint.of(value: value, address: "channel.a", path: "credentials.apiKey", salt: salt))
        #expect(base != Fingerprint.of(value: value, address: "channel.b", path: "credentials.apiKey", salt: salt))
        #expect(base != Fingerprint.of(value: value, address: "channel.a", path: "credentials.other", salt: salt))
        #expect(base != Fingerprint.of(value: value, address: "channel.a", path: "credentials.apiKey", salt: [1, 2, 4]))
        #expect(base != Fingerprint.of(value: Array("mk-124".utf8), address: "channel.a", path: "credentials.apiKey", salt: salt))
        #expect(!base.contains("mk-123"))
    }

    @Test func fingerprintDigestIsOrderIndependentAndSensitiveToValues() {
        let one = ["channel.a": ["x": "1", "y": "2"], "connection.b": ["z": "3"]]
        var reordered: [String: [String: String]] = [:]
        reordered["connection.b"] = ["z": "3"]
        reordered["channel.a"] = ["y": "2", "x": "1"]
        #expect(Fingerprint.digest(one) == Fingerprint.digest(reordered))
        #expect(Fingerprint.digest(one) != Fingerprint.digest(["channel.a": ["x": "1", "y": "9"], "connection.b": ["z": "3"]]))
        #expect(Fingerprint.digest([:]) == Hashing.sha256Hex(""))
    }
}
