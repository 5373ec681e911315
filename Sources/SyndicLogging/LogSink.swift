import Foundation

/// Where finished log lines go, one whole line per write so that lines of concurrent runs
/// never interleave (standard error by default).
public final class LogSink: @unchecked Sendable {
    private let lock = NSLock()
    private let write: @Sendable (String) -> Void

    /// Lines go to `write`, each without its line feed.
    public init(_ write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    /// Standard error.
    public static let standardError = LogSink { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    func emit(_ line: String) {
        lock.withLock { write(line) }
    }
}
