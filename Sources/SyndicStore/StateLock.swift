import Foundation
import SyndicCore
#if canImport(Glibc)
import Glibc
#endif

/// The exclusive apply lock of a state: an OS file lock (`flock`) on `<state>.lock`.
///
/// The kernel releases it when the process exits, however it exits, so a killed apply
/// never leaves a stale lock. The file records the holder for the error message.
public final class StateLock {
    /// The lock file's descriptor; -1 once given up (a failed init still runs `deinit`).
    private var descriptor: Int32
    public let path: String

    /// Takes the lock, waiting up to `timeout` seconds (0: fail at once).
    public init(statePath: String, timeout: Double, holder: String) throws {
        path = statePath + ".lock"
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreError.unavailable(path: path, reason: String(cString: strerror(errno)))
        }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if Date() >= deadline {
                let current = (try? String(contentsOfFile: path, encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                close(descriptor)
                descriptor = -1
                throw StoreError.locked(path: path, holder: current.isEmpty ? "unknown holder" : current)
            }
            usleep(50_000)
        }
        let note = "\(holder), pid \(getpid()), since \(ISO8601DateFormatter().string(from: Date()))\n"
        _ = ftruncate(descriptor, 0)
        _ = note.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit {
        guard descriptor >= 0 else { return }
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
