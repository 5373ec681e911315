import CCurl
import Foundation

/// Files on local, FTP, FTPS or SFTP storage, moved through libcurl.
///
/// Uploads create missing folders and, unless told otherwise, are atomic: see
/// ``upload(fileAt:to:atomic:)``. FTPS is explicit TLS (`AUTH TLS`) with verification on,
/// against the system's CAs or ``StorageLocation/caCertificatePath``. SFTP checks the
/// server's host key against ``StorageLocation/hostKeySHA256`` or
/// ``StorageLocation/knownHostsPath`` when one is given (and does not check it otherwise).
/// Errors name the URL without credentials, and say what to check.
public struct CurlStorage: Sendable {
    public let location: StorageLocation
    /// Seconds allowed to connect and log in, and for the server to answer a command; a
    /// transfer stalled below 1 byte/s this long fails too.
    public var timeout: Int

    public init(_ location: StorageLocation, timeout: Int = 30) {
        self.location = location
        self.timeout = timeout
    }

    // MARK: - Downloads

    /// Reads the file at `path` into memory (for small files; see ``download(_:toFile:)``).
    public func download(_ path: String) throws -> Data {
        let easy = configured(location.url(path))
        return try run(easy, what: "download of \(location.url(path))")
    }

    /// Streams the file at `path` into the local file `file`, in bounded memory, creating its
    /// folder. The bytes go to `.NAME.part` beside `file`, renamed to `file` once complete:
    /// `file` is never a half file, and an existing `file` stays as it was when the download
    /// fails.
    public func download(_ path: String, toFile file: URL) throws {
        let what = "download of \(location.url(path)) to \(file.path)"
        let part = file.deletingLastPathComponent().appendingPathComponent("." + file.lastPathComponent + ".part")
        let output: StreamedFile
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            output = try StreamedFile.writing(part.path)
        } catch {
            throw TransferError(code: 0, message: "\(what) failed: \(error)")
        }
        do {
            try run(configured(location.url(path)), sink: output.write, what: what)
            do { try output.finish() } catch { throw TransferError(code: 0, message: "\(what) failed: \(error)") }
            try CurlStorage.moveIntoPlace(part.path, as: file.path, what: what)
        } catch {
            output.close()
            unlink(part.path)
            throw error
        }
    }

    // MARK: - Listing, deleting, renaming

    /// A file's size and modification time as the storage reports them (nil when it does
    /// not say).
    public struct FileStat: Hashable, Sendable {
        public var size: Int64?
        public var modified: Date?

        public init(size: Int64?, modified: Date?) {
            self.size = size
            self.modified = modified
        }
    }

    /// The size and modification time of the file at `path`: from the file system on local
    /// storage, else asked of the server without reading the file (FTP `SIZE` and `MDTM`,
    /// an SFTP stat).
    public func stat(_ path: String) throws -> FileStat {
        if location.kind == .local {
            let file = location.serverPath(path)
            do {
                let attributes = try FileManager.default.attributesOfItem(atPath: file)
                return FileStat(size: (attributes[.size] as? NSNumber)?.int64Value, modified: attributes[.modificationDate] as? Date)
            } catch {
                throw TransferError(code: 0, message: "stat of \(location.url(path)) failed: \(error.localizedDescription)")
            }
        }
        let easy = configured(location.url(path))
        easy.set(CURLOPT_NOBODY, 1)
        easy.set(CURLOPT_FILETIME, 1)
        _ = try run(easy, what: "stat of \(location.url(path))")
        return FileStat(size: easy.offset(CURLINFO_CONTENT_LENGTH_DOWNLOAD_T),
                        modified: easy.offset(CURLINFO_FILETIME_T).map { Date(timeIntervalSince1970: Double($0)) })
    }

    /// The names of the files in `folder` (not recursive; folders excluded where the
    /// protocol tells them apart). A folder that does not exist is an error, never an empty
    /// list: on `local` storage a ``TransferError`` naming the folder; on FTP and SFTP the
    /// server's refusal, with a hint to check the folder.
    public func list(_ folder: String) throws -> [String] {
        let what = "listing of \(location.url(folder, directory: true))"
        if location.kind == .local {
            return try listLocal(location.serverPath(folder), what: what)
        }
        let easy = configured(location.url(folder, directory: true))
        easy.set(CURLOPT_DIRLISTONLY, 1)
        let body: Data
        do {
            body = try run(easy, what: what)
        } catch let failure as TransferError
            where failure.code == Int(CURLE_REMOTE_ACCESS_DENIED.rawValue) || failure.code == Int(CURLE_REMOTE_FILE_NOT_FOUND.rawValue) {
            throw TransferError(code: failure.code, responseCode: failure.responseCode,
                                message: failure.message + "; check that the folder exists and that the user may read it")
        }
        return String(decoding: body, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
            .map { $0.split(separator: "/").last.map(String.init) ?? $0 }
            .filter { $0 != "." && $0 != ".." }.sorted()
    }

    /// The files of the local `directory`; an error when it is missing, not a directory, or
    /// cannot be read.
    private func listLocal(_ directory: String, what: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw TransferError(code: 0, message: "\(what) failed: the folder \(directory) does not exist; "
                                    + "create it, or check the connection's path and the folder")
        }
        guard isDirectory.boolValue else {
            throw TransferError(code: 0, message: "\(what) failed: \(directory) is not a folder")
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw TransferError(code: 0, message: "\(what) failed: cannot read the folder \(directory): \(error.localizedDescription)")
        }
        var names: [String] = []
        for name in entries {
            var entryIsDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &entryIsDirectory)
            if !entryIsDirectory.boolValue { names.append(name) }
        }
        return names.sorted()
    }

    /// Deletes the file at `path`.
    public func delete(_ path: String) throws {
        if location.kind == .local {
            do { try FileManager.default.removeItem(atPath: location.serverPath(path)) } catch {
                throw TransferError(code: 0, message: "delete of \(location.url(path)) failed: \(error.localizedDescription)")
            }
            return
        }
        let file = location.serverPath(path)
        let command = location.kind == .sftp ? "rm \(CurlStorage.sftpQuoted(file))" : "DELE \(file)"
        try quote([command], what: "delete of \(location.url(path))")
    }

    /// Renames `path` to `newPath` (on the same storage). Over SFTP, an existing `newPath`
    /// makes the rename fail (SFTP version 3 does not replace files).
    public func rename(_ path: String, to newPath: String) throws {
        if location.kind == .local {
            do {
                let target = location.serverPath(newPath)
                try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                try FileManager.default.moveItem(atPath: location.serverPath(path), toPath: target)
            } catch {
                throw TransferError(code: 0, message: "rename of \(location.url(path)) failed: \(error.localizedDescription)")
            }
            return
        }
        let from = location.serverPath(path), to = location.serverPath(newPath)
        let commands = location.kind == .sftp ? ["rename \(CurlStorage.sftpQuoted(from)) \(CurlStorage.sftpQuoted(to))"]
            : ["RNFR \(from)", "RNTO \(to)"]
        try quote(commands, what: "rename of \(location.url(path))")
    }

    // MARK: - libcurl

    /// Runs server commands (FTP QUOTE, SFTP commands) without transferring a file.
    func quote(_ commands: [String], what: String) throws {
        let easy = configured(location.url("", directory: true))
        easy.set(CURLOPT_QUOTE, lines: commands)
        easy.set(CURLOPT_NOBODY, 1)
        _ = try run(easy, what: what)
    }

    /// A handle for `url` with the location's credentials, verification and timeouts.
    func configured(_ url: String) -> CurlEasy {
        let easy = CurlEasy()
        easy.set(CURLOPT_URL, url)
        easy.set(CURLOPT_CONNECTTIMEOUT, timeout)
        easy.set(CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout)
        easy.set(CURLOPT_LOW_SPEED_LIMIT, 1)
        easy.set(CURLOPT_LOW_SPEED_TIME, timeout)
        if let username = location.username { easy.set(CURLOPT_USERNAME, username) }
        if let password = location.password { easy.set(CURLOPT_PASSWORD, password) }
        switch location.kind {
        case .local:
            break
        case .ftp, .ftps:
            easy.set(CURLOPT_FTP_USE_EPSV, 1)
            if location.kind == .ftps {
                easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
                if let ca = location.caCertificatePath {
                    easy.set(CURLOPT_CAINFO, ca)
                    easy.unset(CURLOPT_CAPATH)  // only the given CAs, not the system's directory too
                }
            }
        case .sftp:
            if let key = location.privateKeyPath { easy.set(CURLOPT_SSH_PRIVATE_KEYFILE, key) }
            if let key = location.publicKeyPath { easy.set(CURLOPT_SSH_PUBLIC_KEYFILE, key) }
            if let fingerprint = location.hostKeySHA256 {
                let base64 = fingerprint.hasPrefix("SHA256:") ? String(fingerprint.dropFirst(7)) : fingerprint
                easy.set(CURLOPT_SSH_HOST_PUBLIC_KEY_SHA256, base64)
            }
            if let knownHosts = location.knownHostsPath { easy.set(CURLOPT_SSH_KNOWNHOSTS, knownHosts) }
        }
        return easy
    }

    /// Performs the transfer; throws a ``TransferError`` that says what failed, where, why,
    /// and what to check.
    @discardableResult
    func run(_ easy: CurlEasy, source: CurlEasy.Source? = nil, sink: CurlEasy.Sink? = nil,
             what: String) throws -> Data {
        let outcome = easy.perform(source: source, sink: sink)
        guard outcome.result == CURLE_OK else {
            let response = easy.responseCode
            // The last reply before a TLS failure is AUTH TLS's 234, which says nothing.
            let reply = response > 0 && outcome.result != CURLE_PEER_FAILED_VERIFICATION ? " (server replied \(response))" : ""
            let hint = advice(for: outcome.result).map { "; \($0)" } ?? ""
            throw TransferError(code: Int(outcome.result.rawValue), responseCode: response,
                                message: "\(what) failed: \(outcome.error)\(reply)\(hint)")
        }
        return outcome.body
    }

    /// What to check after a failure with `result`, when there is something to say.
    private func advice(for result: CURLcode) -> String? {
        switch (result, location.kind) {
        case (CURLE_LOGIN_DENIED, .sftp):
            return "check the username and the password or private key"
        case (CURLE_LOGIN_DENIED, _):
            return "check the username and password"
        case (CURLE_PEER_FAILED_VERIFICATION, .sftp):
            return "the server's host key does not match hostKey (or the known_hosts file): if the server's key "
                + "was changed on purpose, update hostKey; otherwise something else may be answering for the server"
        case (CURLE_PEER_FAILED_VERIFICATION, _):
            return "the server's TLS certificate could not be verified: if a private CA signed it, set caFile "
                + "to that CA's PEM certificate"
        case (CURLE_SSL_CACERT_BADFILE, _):
            return "caFile cannot be read as PEM certificates"
        case (CURLE_OPERATION_TIMEDOUT, _):
            return "the server did not answer within \(timeout) s"
        default:
            return nil
        }
    }

    /// `path` quoted for an SFTP command (spaces, quotes and backslashes kept).
    static func sftpQuoted(_ path: String) -> String {
        "\"" + path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Renames the local file `part` to `target`, replacing `target` atomically.
    static func moveIntoPlace(_ part: String, as target: String, what: String) throws {
        guard Foundation.rename(part, target) == 0 else {
            let reason = String(cString: strerror(errno))
            throw TransferError(code: 0, message: "\(what) failed: cannot rename \(part) to \(target): \(reason)")
        }
    }
}
