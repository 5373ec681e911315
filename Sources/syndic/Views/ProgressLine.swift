import Foundation
import SyndicCore
#if canImport(Glibc)
import Glibc
#endif

/// The progress of `syndic run --wait` on standard error: one line (`ProgressMeter`) redrawn
/// in place — a carriage return, the line cut to the terminal's width, the rest of the old
/// line cleared — at most five times a second, and ended with a newline when the run is
/// over. Only when standard error is a terminal: otherwise nothing at all is written.
///
/// Jobs report from threads of their own: every call is serialized here.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    /// The least time between two redraws.
    private let interval: TimeInterval
    private let clock: @Sendable () -> Date
    private let write: @Sendable (String) -> Void
    /// The terminal's width in columns, when known.
    private let width: @Sendable () -> Int?
    private let lock = NSLock()
    private var meter: ProgressMeter?
    private var lastDraw: Date?

    /// The width assumed when the terminal does not tell its own.
    static let fallbackWidth = 100

    init(enabled: Bool = isatty(STDERR_FILENO) == 1, interval: TimeInterval = 0.2,
         clock: @escaping @Sendable () -> Date = { Date() },
         width: @escaping @Sendable () -> Int? = { ProgressLine.terminalWidth() },
         write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.enabled = enabled
        self.interval = interval
        self.clock = clock
        self.width = width
        self.write = write
    }

    /// Records what `run`'s job reported; redraws unless the last redraw is too recent.
    func update(_ run: RunInfo, _ progress: RunProgress) {
        guard enabled else { return }
        lock.withLock {
            let now = clock()
            if meter == nil { meter = ProgressMeter(label: "\(run.channel) \(run.job.rawValue)") }
            meter?.record(progress, at: now)
            if let lastDraw, now.timeIntervalSince(lastDraw) < interval, now >= lastDraw { return }
            draw(at: now)
        }
    }

    /// Draws the last report once more and ends the line, if anything was reported.
    func finish() {
        guard enabled else { return }
        lock.withLock {
            guard meter?.latest != nil else { return }
            draw(at: clock())
            write("\n")
            meter = nil
            lastDraw = nil
        }
    }

    private func draw(at now: Date) {
        guard let meter else { return }
        lastDraw = now
        let text = Self.fitted(TerminalText.safeLine(meter.line()), width: width() ?? Self.fallbackWidth)
        write("\r" + text + "\u{1B}[K")
    }

    /// `text` cut to fit `width` columns, the last column left free (a terminal that wraps
    /// at the last column would start a new line).
    static func fitted(_ text: String, width: Int) -> String {
        let room = max(width - 1, 1)
        return text.count <= room ? text : String(text.prefix(room))
    }

    /// The width of the terminal on standard error (TIOCGWINSZ), nil when it does not say.
    static func terminalWidth() -> Int? {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
