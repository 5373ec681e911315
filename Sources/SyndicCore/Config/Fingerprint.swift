/// Salted fingerprints of secret values: state keeps these, never the values.
public enum Fingerprint {
    /// HMAC-SHA-256 under the state's salt of `address`, `path` and the value, in hex.
    ///
    /// Binding the address and key path means two fields holding the same secret do not
    /// show the same fingerprint.
    public static func of(value: [UInt8], address: String, path: String, salt: [UInt8]) -> String {
        let message = Array("\(address)\u{0}\(path)\u{0}".utf8) + value
        return Hashing.hmacSHA256(key: salt, message: message).hexString
    }

    /// A digest over a whole fingerprint map, recorded in saved plans.
    public static func digest(_ fingerprints: [String: [String: String]]) -> String {
        var text = ""
        for address in fingerprints.keys.sorted() {
            for path in fingerprints[address]!.keys.sorted() {
                text += "\(address)\u{0}\(path)\u{0}\(fingerprints[address]![path]!)\n"
            }
        }
        return Hashing.sha256Hex(text)
    }
}
