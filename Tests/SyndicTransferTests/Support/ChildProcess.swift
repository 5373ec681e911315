import Foundation

/// A process the tests start with `posix_spawn` and reap themselves.
///
/// Not Foundation's `Process`: on Linux it leaks descriptors that other threads open while it
/// spawns (a pipe or a transfer's socket would then stay open in a long-lived server), and it
/// watches for a child's exit through a socket the child inherits, so a server that closes
/// its inherited descriptors (sshd does) stalls the exit of every other process. Here the
/// child keeps only standard input (/dev/null), output and error.
/// (On macOS, where the tests do not run in CI, children may inherit descriptors.)
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    /// The read end of the child's standard output and error, merged.
    let output: FileHandle
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `executable` (an absolute path) with `arguments` and the test's environment.
    init(_ executable: String, _ arguments: [String]) throws {
        var pipe: [Int32] = [-1, -1]
        guard Foundation.pipe(&pipe) == 0 else { throw ChildProcess.failure("pipe", executable) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 2)
        _ = ChildProcess.closeFrom?(&actions, 3)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(pipe[1])
        guard result == 0 else {
            close(pipe[0])
            errno = result
            throw ChildProcess.failure("spawn", executable)
        }
        self.pid = pid
        output = FileHandle(fileDescriptor: pipe[0], closeOnDealloc: true)
    }

    /// Kills the process (SIGKILL) unless it already ended, and reaps it.
    func kill() {
        if lock.withLock({ status == nil }) { Foundation.kill(pid, SIGKILL) }
        _ = wait()
    }

    /// Waits for the process to end; its exit status (or 128 + the signal that ended it).
    func wait() -> Int32 {
        lock.withLock {
            if let status { return status }
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
            let ended = raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + raw & 0x7f
            status = ended
            return ended
        }
    }

    deinit { kill() }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc
    /// module does not declare: the child closes every descriptor from 3 up, whichever thread
    /// opened it and when.
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        #if os(Linux)
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
        #else
        return nil
        #endif
    }()

    private static func failure(_ step: String, _ executable: String) -> LocalServer.Failure {
        LocalServer.Failure(description: "cannot \(step) \(executable): \(String(cString: strerror(errno)))")
    }
}
