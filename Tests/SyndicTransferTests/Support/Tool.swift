import Foundation
import SyndicTestSupport

/// Command-line tools the tests need (openssl, ssh-keygen), run to completion.
enum Tool {
    /// What `executable` run with `arguments` printed (standard output and error together);
    /// throws with that output when it exits non-zero.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = try ChildProcess(executable, arguments)
        let status = process.wait()
        let text = process.output.untilClosed()
        guard status == 0 else {
            throw TestSupportError("\(executable) \(arguments.joined(separator: " ")) failed: \(text)")
        }
        return text
    }

    /// A new empty temporary directory.
    static func temporaryDirectory(_ prefix: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// A self-signed certificate for 127.0.0.1 and its key (PEM files in `directory`).
    static func selfSignedCertificate(in directory: URL, name: String) throws -> (certificate: String, key: String) {
        let certificate = directory.appendingPathComponent("\(name).pem").path
        let key = directory.appendingPathComponent("\(name).key").path
        try run("/usr/bin/env", ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                 "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                                 "-keyout", key, "-out", certificate])
        return (certificate, key)
    }
}
