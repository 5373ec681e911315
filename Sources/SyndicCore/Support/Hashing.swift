import Crypto
import Foundation

/// SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), computed by swift-crypto.
///
/// Digests of configuration files, plan and export-program digests, salted secret
/// fingerprints, token hashes and token-cache keys all go through this namespace, so the
/// bytes stored in state stay the same whichever implementation is underneath.
public enum Hashing {
    /// The 32-byte SHA-256 digest of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        Array(Crypto.SHA256.hash(data: bytes))
    }

    /// The lower-case hexadecimal SHA-256 digest of a string's UTF-8 bytes.
    public static func sha256Hex(_ string: String) -> String {
        var copy = string
        let digest = copy.withUTF8 { Crypto.SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        return Array(digest).hexString
    }

    /// The 32-byte HMAC-SHA-256 of `message` under `key` (a key longer than a 64-byte
    /// block is hashed first, a shorter one is zero-padded, as RFC 2104 says).
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        let code = HMAC<Crypto.SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
        return Array(code)
    }
}
