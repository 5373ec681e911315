import CCurl
import Foundation

// MARK: - Uploads

extension CurlStorage {
    /// Writes `data` to `path`, creating missing folders; atomic as
    /// ``upload(fileAt:to:atomic:)`` describes.
    public func upload(_ data: Data, to path: String, atomic: Bool = true) throws {
        var offset = data.startIndex
        try send(size: Int64(data.count), to: path, atomic: atomic) { buffer in
            let length = min(buffer.count, data.endIndex - offset)
            buffer.copyBytes(from: data[offset..<offset + length])
            offset += length
            return length
        }
    }

    /// Streams the local file `file` to `path`, in bounded memory whatever its size,
    /// creating missing folders.
    ///
    /// An atomic upload (the default) writes `.NAME.part` in the target folder, then renames
    /// it to `NAME` once every byte arrived, so that a reader never sees a half file:
    /// - `local`: always atomic (the rename is free); a failed upload removes the part file
    ///   and leaves an existing `NAME` as it was.
    /// - FTP/FTPS: the rename (`RNFR`/`RNTO`) runs on the same connection right after the
    ///   transfer; servers replace an existing `NAME`.
    /// - SFTP: an existing `NAME` is removed just before the rename (SFTP version 3 does not
    ///   replace files), so a reader may briefly find no file, never a half one.
    /// - A failed remote upload tries to delete its part file; when the server is gone, a
    ///   `.NAME.part` may stay behind (the next upload of `NAME` overwrites it). When only
    ///   the rename fails, the complete part file stays. `NAME` itself is untouched (over
    ///   SFTP, unless the rename fails after `NAME` was removed).
    ///
    /// With `atomic: false` (for servers that forbid renames; `local` ignores it) the bytes go
    /// straight to `NAME`: a failed FTP/SFTP upload then leaves a partial `NAME` on the
    /// server, which a partner polling the folder may pick up.
    public func upload(fileAt file: URL, to path: String, atomic: Bool = true) throws {
        let input: StreamedFile
        let size: Int64
        do {
            input = try StreamedFile.reading(file.path)
            size = try input.size()
        } catch {
            throw TransferError(code: 0, message: "upload to \(location.url(path)) failed: \(error)")
        }
        defer { input.close() }
        var sent: Int64 = 0
        try send(size: size, to: path, atomic: atomic) { buffer in
            // Exactly the announced size: a file that changes meanwhile never goes out truncated.
            let room = Int(min(Int64(buffer.count), size - sent))
            let count = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<room]))
            if count == 0, sent < size { throw StreamedFile.Failure(description: "\(file.path) shrank during the upload") }
            sent += Int64(count)
            return count
        }
    }

    /// Uploads `size` bytes from `source` to `path`, through a part file when atomic.
    private func send(size: Int64, to path: String, atomic: Bool, source: @escaping CurlEasy.Source) throws {
        let what = "upload to \(location.url(path))"
        let target = location.kind == .local || atomic ? StorageLocation.partName(path) : path
        if location.kind == .local {
            let folder = (location.serverPath(path) as NSString).deletingLastPathComponent
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw TransferError(code: 0, message: "\(what) failed: \(error.localizedDescription)")
            }
        }
        let easy = configured(location.url(target))
        easy.set(CURLOPT_UPLOAD, 1)
        easy.setOffset(CURLOPT_INFILESIZE_LARGE, size)
        easy.set(CURLOPT_FTP_CREATE_MISSING_DIRS, Int(CURLFTP_CREATE_DIR_RETRY.rawValue))
        if target != path, location.kind != .local {
            easy.set(CURLOPT_POSTQUOTE, lines: renameAfterUpload(target, to: path))
        }
        var started = false
        do {
            try run(easy, source: { buffer in
                started = true
                return try source(buffer)
            }, what: what)
            if target != path, location.kind == .local {
                try CurlStorage.moveIntoPlace(location.serverPath(target), as: location.serverPath(path), what: what)
            }
        } catch let failure as TransferError where failure.code == Int(CURLE_QUOTE_ERROR.rawValue) && target != path {
            // Every byte arrived; only the rename failed. The complete file stays, for a person
            // to rename or for the next upload to replace.
            throw TransferError(code: failure.code, responseCode: failure.responseCode,
                                message: failure.message + "; the complete file is in \(location.url(target)), "
                                    + "but renaming it failed: check that the server allows renames")
        } catch {
            if target != path, started { removePartFile(target) }
            throw error
        }
    }

    /// The commands that rename the finished part file `part` to `path`, on the upload's
    /// connection.
    private func renameAfterUpload(_ part: String, to path: String) -> [String] {
        if location.kind == .sftp {
            let from = CurlStorage.sftpQuoted(location.serverPath(part))
            let to = CurlStorage.sftpQuoted(location.serverPath(path))
            return ["*rm \(to)", "rename \(from) \(to)"]  // `*`: no file to remove is fine
        }
        // After the transfer the FTP connection is in the file's folder.
        let name = { (path: String) in path.split(separator: "/").last.map(String.init) ?? path }
        return ["RNFR \(name(part))", "RNTO \(name(path))"]
    }

    /// Removes what a failed upload left at `part`, if it can.
    private func removePartFile(_ part: String) {
        if location.kind == .local {
            unlink(location.serverPath(part))
        } else {
            try? delete(part)
        }
    }
}
