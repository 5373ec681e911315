import Foundation

/// A process a test starts with `posix_spawn` and reaps itself: standard input from
/// /dev/null, standard output and error merged into one pipe, every other descriptor closed
/// in the child (where glibc allows it), so that a long-lived server never holds on to a
/// socket or pipe another thread of the test process opened meanwhile.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    /// What the process printed so far (standard output and error together).
    public let output = OutputBuffer()
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `executable` (an absolute path) with `arguments` and the test's environment.
    public init(_ executable: String, _ arguments: [String]) throws {
        var pipe: [Int32] = [-1, -1]
        guard Foundation.pipe(&pipe) == 0 else { throw TestSupportError("cannot create a pipe for \(executable)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 2)
        if let closeFrom = Self.closeFrom { _ = closeFrom(&actions, 3) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(pipe[1])
        guard result == 0 else {
            close(pipe[0])
            throw TestSupportError("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        output.drain(FileHandle(fileDescriptor: pipe[0], closeOnDealloc: true))
    }

    /// Sends SIGKILL unless the process already ended, and reaps it.
    public func kill() {
        if lock.withLock({ status == nil }) { Foundation.kill(pid, SIGKILL) }
        _ = wait()
    }

    /// Waits for the process to end; its exit status (or 128 + the signal that ended it).
    @discardableResult
    public func wait() -> Int32 {
        lock.withLock {
            if let status { return status }
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
            let ended = raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
            status = ended
            return ended
        }
    }

    deinit { kill() }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), looked up at run
    /// time because Swift's Glibc module does not declare it.
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        #if os(Linux)
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
        #else
        return nil
        #endif
    }()
}

/// A child's output, read on a thread of its own so that a chatty child never blocks on a
/// full pipe; keeps the last 64 KiB or so.
public final class OutputBuffer: @unchecked Sendable {
    private let condition = NSCondition()
    private var buffer = ""
    private var closed = false

    /// The output so far.
    public var text: String { condition.withLock { buffer } }

    func drain(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                condition.withLock {
                    if chunk.isEmpty {
                        closed = true
                    } else {
                        buffer += String(decoding: chunk, as: UTF8.self)
                        if buffer.utf8.count > 1 << 17 { buffer = String(buffer.suffix(1 << 16)) }
                    }
                    condition.broadcast()
                }
                if chunk.isEmpty { return }
            }
        }
    }

    /// The whole output once the child closed it (waiting up to `seconds`).
    public func untilClosed(seconds: Double = 60) -> String {
        let deadline = Date().addingTimeInterval(seconds)
        return condition.withLock {
            while !closed, condition.wait(until: deadline) {}
            return buffer
        }
    }

    /// The first non-nil `found(text)`, waiting up to `seconds`; nil when the output ends or
    /// time runs out first.
    public func wait<T>(seconds: Double, until found: (String) -> T?) -> T? {
        let deadline = Date().addingTimeInterval(seconds)
        return condition.withLock {
            while true {
                if let value = found(buffer) { return value }
                if closed || !condition.wait(until: deadline) { return found(buffer) }
            }
        }
    }
}

/// A failure of the test harness itself (a server that does not start, a script that fails).
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
