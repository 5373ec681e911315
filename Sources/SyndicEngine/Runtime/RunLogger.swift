import Foundation
import Logging
import SyndicCore

/// Collects a run's log lines and writes them to the state in batches.
///
/// With the channel's `logs.minimal` on, only warnings, errors and the summary are
/// kept; every item is kept otherwise. Each line also goes to the process's log (`process`):
/// warnings, errors and the summary at their level, item lines at debug level.
public final class RunLogger: @unchecked Sendable {
    private let queue: any RunQueue
    private let runID: Int64
    private let minimal: Bool
    private let process: Logger?
    private let lock = NSLock()
    private var pending: [RunLogLine] = []
    private var written = 0

    public init(queue: any RunQueue, runID: Int64, minimal: Bool, process: Logger? = nil) {
        self.process = process
        self.queue = queue
        self.runID = runID
        self.minimal = minimal
    }

    /// An item-level line (dropped with `logs.minimal`).
    public func info(_ message: String) { append("info", message, keepWhenMinimal: false) }
    /// A warning (always kept).
    public func warning(_ message: String) { append("warning", message, keepWhenMinimal: true) }
    /// An error (always kept).
    public func error(_ message: String) { append("error", message, keepWhenMinimal: true) }
    /// The summary line of a run (always kept).
    public func summary(_ message: String) { append("summary", message, keepWhenMinimal: true) }

    /// Writes pending lines to the state.
    public func flush() {
        let lines: [RunLogLine] = lock.withLock {
            defer { pending.removeAll() }
            return pending
        }
        try? queue.appendLogs(runID: runID, lines: lines)
    }

    private func append(_ level: String, _ message: String, keepWhenMinimal: Bool) {
        if let process {
            switch level {
            case "warning": process.warning("\(message)")
            case "error": process.error("\(message)")
            case "summary": process.info("\(message)")
            default: process.debug("\(message)")
            }
        }
        if minimal && !keepWhenMinimal { return }
        let full: Bool = lock.withLock {
            written += 1
            pending.append(RunLogLine(seq: written, at: Date(), level: level, message: message))
            return pending.count >= 500
        }
        if full { flush() }
    }
}
