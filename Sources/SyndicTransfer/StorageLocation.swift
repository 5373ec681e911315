import Foundation

/// Where a storage connection points: a local directory or an FTP/FTPS/SFTP server, with
/// its credentials (resolved secrets, kept out of URLs and messages).
public struct StorageLocation: Sendable {
    /// The storage protocols.
    public enum Kind: String, Sendable {
        case local, ftp, ftps, sftp
    }

    public var kind: Kind
    public var host: String
    public var port: Int?
    public var username: String?
    public var password: String?
    /// SFTP: a private key file.
    public var privateKeyPath: String?
    /// SFTP: the public key file of `privateKeyPath`; libcurl derives it from the private key
    /// when not given.
    public var publicKeyPath: String?
    /// The root every path is relative to: a directory for `local`, a folder on the server
    /// otherwise (relative to the login directory unless it starts with `/`).
    public var root: String
    /// FTPS: a PEM file of the CA certificates that may sign the server's certificate, trusted
    /// instead of the system's (for a private CA or a self-signed certificate). Verification
    /// stays on.
    public var caCertificatePath: String?
    /// SFTP: the SHA-256 fingerprint of the server's host key, base64 as `ssh-keygen -l`
    /// prints it (a leading `SHA256:` is allowed). A server with another key is refused.
    public var hostKeySHA256: String?
    /// SFTP: an OpenSSH `known_hosts` file that must list the server with its key (for a port
    /// other than 22, as `[host]:port`). A server missing from it or with another key is refused.
    public var knownHostsPath: String?

    public init(kind: Kind, host: String = "", port: Int? = nil, username: String? = nil, password: String? = nil,
                privateKeyPath: String? = nil, publicKeyPath: String? = nil, root: String = "",
                caCertificatePath: String? = nil, hostKeySHA256: String? = nil, knownHostsPath: String? = nil) {
        self.kind = kind
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.privateKeyPath = privateKeyPath
        self.publicKeyPath = publicKeyPath
        self.root = root
        self.caCertificatePath = caCertificatePath
        self.hostKeySHA256 = hostKeySHA256
        self.knownHostsPath = knownHostsPath
    }

    /// A local directory.
    public static func local(_ directory: String) -> StorageLocation { StorageLocation(kind: .local, root: directory) }

    /// The URL of `path` (no credentials in it), for libcurl and for messages.
    func url(_ path: String, directory: Bool = false) -> String {
        let joined = StorageLocation.join(root, path) + (directory && !path.hasSuffix("/") ? "/" : "")
        switch kind {
        case .local:
            return "file://" + StorageLocation.escape(joined.hasPrefix("/") ? joined : "/" + joined)
        case .ftp, .ftps, .sftp:
            let scheme = kind == .sftp ? "sftp" : "ftp"
            let authority = host + (port.map { ":\($0)" } ?? "")
            // FTP paths are relative to the login directory; %2F makes an absolute one. SFTP
            // paths are absolute; /~/ makes one relative to the home directory.
            let rooted = joined.hasPrefix("/") ? (kind == .sftp ? joined : "/%2F" + joined.dropFirst())
                : (kind == .sftp ? "/~/" : "/") + joined
            return "\(scheme)://\(authority)\(StorageLocation.escape(rooted))"
        }
    }

    /// `root` and `path` joined with one slash.
    static func join(_ root: String, _ path: String) -> String {
        if root.isEmpty { return path }
        if path.isEmpty { return root }
        return (root.hasSuffix("/") ? String(root.dropLast()) : root) + "/" + (path.hasPrefix("/") ? String(path.dropFirst()) : path)
    }

    /// Percent-encodes what a URL path cannot hold (keeps `/` and an existing `%2F`).
    static func escape(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.insert("%")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }

    /// The path as the server's own commands see it (DELE, RNFR, rm, rename).
    func serverPath(_ path: String) -> String {
        StorageLocation.join(root, path)
    }

    /// The temporary name an atomic upload writes before renaming: `.NAME.part` in the same
    /// folder.
    static func partName(_ path: String) -> String {
        let name = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        return path[..<name] + "." + path[name...] + ".part"
    }
}
