import Foundation
import SyndicTestSupport

/// A real OpenSSH server (sshd) on 127.0.0.1 for the SFTP tests, run as the current user
/// with its own host key, one client key and a configuration, all in a temporary directory.
final class SSHServer {
    static let sshd = "/usr/sbin/sshd"
    static let keygen = "/usr/bin/ssh-keygen"

    /// Whether sshd and ssh-keygen are installed (scripts/install-deps installs them).
    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: sshd) && FileManager.default.isExecutableFile(atPath: keygen)
    }

    let directory: URL
    /// The folder the tests write to and read from (an absolute path).
    let files: URL
    /// The current user, the one sshd lets in.
    let user: String
    /// The client's private key file (its public key is the only authorized one).
    let clientKey: String
    /// The host key's SHA-256 fingerprint as `ssh-keygen -l` prints it (`SHA256:…`).
    let hostKeySHA256: String
    /// A known_hosts file listing this server with its key.
    let knownHosts: String
    private let server: LocalServer

    var port: Int { server.port }

    /// Generates the keys, writes the configuration and starts sshd on a free port.
    init() throws {
        directory = try Tool.temporaryDirectory("syndic-sshd")
        files = directory.appendingPathComponent("files")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        user = String(cString: getpwuid(geteuid())!.pointee.pw_name)
        let hostKey = directory.appendingPathComponent("host_ed25519").path
        clientKey = directory.appendingPathComponent("client_ed25519").path
        for key in [hostKey, clientKey] {
            try Tool.run(SSHServer.keygen, ["-q", "-t", "ed25519", "-N", "", "-C", "syndic-test", "-f", key])
        }
        let authorizedKeys = directory.appendingPathComponent("authorized_keys").path
        try FileManager.default.copyItem(atPath: clientKey + ".pub", toPath: authorizedKeys)
        let fingerprint = try Tool.run(SSHServer.keygen, ["-l", "-E", "sha256", "-f", hostKey + ".pub"])
        guard let sha256 = fingerprint.split(whereSeparator: \.isWhitespace).first(where: { $0.hasPrefix("SHA256:") }) else {
            throw TestSupportError("no fingerprint in: \(fingerprint)")
        }
        hostKeySHA256 = String(sha256)
        // As root, sshd's privilege separation needs this directory (made by systemd otherwise).
        if geteuid() == 0 { try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true) }

        var started: LocalServer?
        var failures: [String] = []
        // A free port from the OS; another process may take it before sshd binds it, so retry.
        for _ in 1...3 where started == nil {
            let port = try SSHServer.freePort()
            let config = directory.appendingPathComponent("sshd_config")
            try """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(hostKey)
            PidFile \(directory.appendingPathComponent("sshd.pid").path)
            AuthorizedKeysFile \(authorizedKeys)
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            UsePAM no
            StrictModes no
            UseDNS no
            Subsystem sftp internal-sftp

            """.write(to: config, atomically: true, encoding: .utf8)
            do {
                started = try LocalServer(name: "sshd", executable: SSHServer.sshd, arguments: ["-D", "-e", "-f", config.path]) {
                    $0.contains("Server listening on 127.0.0.1 port \(port).") ? port : nil
                }
            } catch {
                failures.append("\(error)")
            }
        }
        guard let started else {
            try? FileManager.default.removeItem(at: directory)
            throw TestSupportError(failures.joined(separator: "\n"))
        }
        server = started
        let publicKey = try String(contentsOfFile: hostKey + ".pub", encoding: .utf8).split(separator: " ").prefix(2)
        knownHosts = directory.appendingPathComponent("known_hosts").path
        try "[127.0.0.1]:\(started.port) \(publicKey.joined(separator: " "))\n"
            .write(toFile: knownHosts, atomically: true, encoding: .utf8)
    }

    /// Stops the server now.
    func kill() { server.kill() }

    deinit {
        server.kill()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    private static func freePort() throws -> Int {
        let text = try Tool.run("/usr/bin/env", ["python3", "-c", """
            import socket
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            print(s.getsockname()[1])
            """])
        guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestSupportError("no free port: \(text)")
        }
        return port
    }
}
