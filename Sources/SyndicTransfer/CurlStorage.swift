import CCurl
import Foundation

/// Files on local, FTP, FTPS or SFTP storage, moved through libcurl.
///
/// Uploads create missing folders. FTPS is explicit TLS (`AUTH TLS`) with verification on.
/// Errors name the URL without credentials.
public struct CurlStorage: Sendable {
    public let location: StorageLocation
    /// Seconds allowed to connect; a transfer stalled below 1 byte/s this long fails too.
    public var timeout: Int

    public init(_ location: StorageLocation, timeout: Int = 30) {
        self.location = location
        self.timeout = timeout
    }

    /// Writes `data` to `path`, creating missing folders.
    public func upload(_ data: Data, to path: String) throws {
        if location.kind == .local {
            let file = location.serverPath(path)
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
        }
        let easy = configured(location.url(path))
        easy.set(CURLOPT_UPLOAD, 1)
        easy.setOffset(CURLOPT_INFILESIZE_LARGE, Int64(data.count))
        easy.set(CURLOPT_FTP_CREATE_MISSING_DIRS, Int(CURLFTP_CREATE_DIR_RETRY.rawValue))
        try run(easy, upload: data, what: "upload to \(location.url(path))")
    }

    /// Reads the file at `path`.
    public func download(_ path: String) throws -> Data {
        let easy = configured(location.url(path))
        return try run(easy, what: "download of \(location.url(path))")
    }

    /// The names of the files in `folder` (not recursive; folders excluded where the
    /// protocol tells them apart).
    public func list(_ folder: String) throws -> [String] {
        if location.kind == .local {
            let directory = location.serverPath(folder)
            var names: [String] = []
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                var isDirectory: ObjCBool = false
                FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory)
                if !isDirectory.boolValue { names.append(name) }
            }
            return names.sorted()
        }
        let easy = configured(location.url(folder, directory: true))
        easy.set(CURLOPT_DIRLISTONLY, 1)
        let body = try run(easy, what: "listing of \(location.url(folder, directory: true))")
        return String(decoding: body, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
            .map { $0.split(separator: "/").last.map(String.init) ?? $0 }
            .filter { $0 != "." && $0 != ".." }.sorted()
    }

    /// Deletes the file at `path`.
    public func delete(_ path: String) throws {
        if location.kind == .local {
            do { try FileManager.default.removeItem(atPath: location.serverPath(path)) } catch {
                throw TransferError(code: 0, message: "delete of \(location.url(path)) failed: \(error.localizedDescription)")
            }
            return
        }
        let command = location.kind == .sftp ? "rm \(location.serverPath(path))" : "DELE \(location.serverPath(path))"
        try quote([command], what: "delete of \(location.url(path))")
    }

    /// Renames `path` to `newPath` (on the same storage).
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
        let commands = location.kind == .sftp ? ["rename \(from) \(to)"] : ["RNFR \(from)", "RNTO \(to)"]
        try quote(commands, what: "rename of \(location.url(path))")
    }

    // MARK: - libcurl

    /// Runs server commands (FTP QUOTE, SFTP commands) without transferring a file.
    private func quote(_ commands: [String], what: String) throws {
        let easy = configured(location.url("", directory: true))
        easy.set(CURLOPT_QUOTE, lines: commands)
        easy.set(CURLOPT_NOBODY, 1)
        _ = try run(easy, what: what)
    }

    private func configured(_ url: String) -> CurlEasy {
        let easy = CurlEasy()
        easy.set(CURLOPT_URL, url)
        easy.set(CURLOPT_CONNECTTIMEOUT, timeout)
        easy.set(CURLOPT_LOW_SPEED_LIMIT, 1)
        easy.set(CURLOPT_LOW_SPEED_TIME, timeout)
        if let username = location.username { easy.set(CURLOPT_USERNAME, username) }
        if let password = location.password { easy.set(CURLOPT_PASSWORD, password) }
        if let key = location.privateKeyPath { easy.set(CURLOPT_SSH_PRIVATE_KEYFILE, key) }
        if location.kind == .ftps { easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if location.kind == .ftp || location.kind == .ftps { easy.set(CURLOPT_FTP_USE_EPSV, 1) }
        return easy
    }

    @discardableResult
    private func run(_ easy: CurlEasy, upload: Data? = nil, what: String) throws -> Data {
        let outcome = easy.perform(upload: upload)
        guard outcome.result == CURLE_OK else {
            let response = easy.responseCode
            throw TransferError(code: Int(outcome.result.rawValue), responseCode: response,
                                message: "\(what) failed: \(outcome.error)\(response > 0 ? " (server replied \(response))" : "")")
        }
        return outcome.body
    }
}
