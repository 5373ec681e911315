import Foundation
import SyndicTestSupport

/// A real FTP or FTPS server (pyftpdlib, `Scripts/ftp_server.py`) on 127.0.0.1, started and
/// stopped by the test.
final class FTPServer {
    let home: URL
    let user = "partner"
    let password = "ftp-secret"
    /// FTPS: the server's self-signed certificate, the CA file a client trusts it with.
    let certificate: String?
    private let keys: URL?
    private let server: LocalServer

    var port: Int { server.port }

    /// Starts the server with an empty home directory: FTPS with a new self-signed
    /// certificate for 127.0.0.1 when `tls`, uploads slowed to `throttle` bytes/s if given,
    /// renames refused when `renames` is false.
    init(tls: Bool = false, throttle: Int? = nil, renames: Bool = true) throws {
        home = try Tool.temporaryDirectory("syndic-ftp")
        var arguments = [home.path, user, password]
        if tls {
            let keys = try Tool.temporaryDirectory("syndic-ftps-keys")
            let pair = try Tool.selfSignedCertificate(in: keys, name: "server")
            self.keys = keys
            certificate = pair.certificate
            arguments += ["--tls", pair.certificate, pair.key]
        } else {
            keys = nil
            certificate = nil
        }
        if let throttle { arguments += ["--throttle", String(throttle)] }
        if !renames { arguments.append("--no-rename") }
        do {
            server = try LocalServer(script: "ftp_server.py", arguments: arguments)
        } catch {
            throw TestSupportError("\(error) (is pyftpdlib installed, and pyopenssl for FTPS? "
                                      + "scripts/install-deps installs them)")
        }
    }

    /// Stops the server now (a server that dies mid-test).
    func kill() { server.kill() }

    deinit {
        server.kill()
        try? FileManager.default.removeItem(at: home)
        if let keys { try? FileManager.default.removeItem(at: keys) }
    }
}
