import Foundation

/// A local file read or written in chunks through a POSIX descriptor, so that a transfer's
/// memory does not grow with the file.
final class StreamedFile {
    let path: String
    private var descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Opens `path` for reading.
    static func reading(_ path: String) throws -> StreamedFile {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(action: "cannot read", path: path) }
        return StreamedFile(path: path, descriptor: descriptor)
    }

    /// Creates `path` for writing, or empties it.
    static func writing(_ path: String) throws -> StreamedFile {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure(action: "cannot write", path: path) }
        return StreamedFile(path: path, descriptor: descriptor)
    }

    deinit { close() }

    /// The size of the file in bytes.
    func size() throws -> Int64 {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Failure(action: "cannot read", path: path) }
        return Int64(status.st_size)
    }

    /// Fills `buffer` with the next bytes; 0 at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw Failure(action: "cannot read", path: path) }
        }
    }

    /// Appends `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let count = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(action: "cannot write", path: path)
            }
            offset += count
        }
    }

    /// Flushes what was written to the disk and closes the file.
    func finish() throws {
        guard fsync(descriptor) == 0 else { throw Failure(action: "cannot write", path: path) }
        close()
    }

    func close() {
        if descriptor >= 0 { _ = Foundation.close(descriptor) }
        descriptor = -1
    }

    /// A local file that could not be opened, read or written, with the system's reason.
    struct Failure: Error, CustomStringConvertible {
        let description: String

        init(description: String) {
            self.description = description
        }

        init(action: String, path: String) {
            description = "\(action) \(path): \(String(cString: strerror(errno)))"
        }
    }
}
