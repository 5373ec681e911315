import Foundation

/// Turns the progress reports of one run into one line a person can read:
///
///     acme_fr product-export  45.2 MB / 120.0 MB  37%  12,340 products  8.1 MB/s  ~9 s left
///     amazon_de order-retrieval  page 12  1,150 orders  23 orders/s  waiting 4 s for quota (getOrders)
///
/// Done of total with a percentage when the total is known; the items so far; the rate, the
/// average over the last `window` seconds; the time left, when the total is known and a rate
/// is measured; what the run is waiting for. No total: no percentage and no time left.
///
/// Pure: fed reports with their times, it reads no clock and no locale. Sizes are in
/// 1000-based units (1 KB = 1000 B, then MB, GB, TB) with one decimal; counts group
/// thousands with commas; durations read `9 s`, `3 min 05 s`, `1 h 02 min`.
public struct ProgressMeter: Sendable {
    /// What the line starts with: "acme_fr product-export".
    public let label: String
    /// The seconds the rate is averaged over.
    public let window: TimeInterval
    /// The last report recorded.
    public private(set) var latest: RunProgress?
    /// Recent reports, oldest first: the oldest one at or before the window's start anchors
    /// the rate.
    private var samples: [Sample] = []

    private struct Sample: Sendable {
        var time: TimeInterval
        var done: Int
        var items: Int
    }

    /// Reports closer together than this are merged (the newest kept), so that a job
    /// reporting very often does not grow the history.
    private static let spacing: TimeInterval = 0.1
    /// No rate is shown until the reports span this long.
    private static let shortestSpan: TimeInterval = 0.5

    public init(label: String, window: TimeInterval = 10) {
        self.label = label
        self.window = max(window, 1)
    }

    /// Records `progress` as reported at `time`. A report of another step or unit, or one that
    /// goes back (a new attempt of the run), starts the rate afresh.
    public mutating func record(_ progress: RunProgress, at time: Date) {
        let now = time.timeIntervalSinceReferenceDate
        if let latest, latest.step != progress.step || latest.unit != progress.unit || progress.done < latest.done
            || progress.items < latest.items {
            samples.removeAll()
        }
        latest = progress
        let sample = Sample(time: now, done: progress.done, items: progress.items)
        if samples.count >= 2, now - samples[samples.count - 2].time < Self.spacing {
            samples[samples.count - 1] = sample
        } else {
            samples.append(sample)
        }
        // Keep one report at or before the window's start, as the rate's anchor.
        var drop = 0
        while samples.count - drop > 2, samples[drop + 1].time <= now - window { drop += 1 }
        if drop > 0 { samples.removeFirst(drop) }
    }

    /// `done` per second over the window; nil until the reports span half a second.
    public var rate: Double? { rate(of: \.done) }

    /// Items per second over the window; nil until the reports span half a second.
    public var itemRate: Double? { rate(of: \.items) }

    private func rate(of count: KeyPath<Sample, Int>) -> Double? {
        guard let first = samples.first, let last = samples.last else { return nil }
        let span = last.time - first.time
        guard span >= Self.shortestSpan else { return nil }
        return max(0, Double(last[keyPath: count] - first[keyPath: count]) / span)
    }

    /// The seconds left at the current rate; nil when the total is unknown, already reached,
    /// or no rate is measured (or it is zero).
    public var secondsLeft: Double? {
        guard let latest, let total = latest.total, total > latest.done, let rate, rate > 0 else { return nil }
        return Double(total - latest.done) / rate
    }

    /// The whole percentage done (rounded down, so 100% means finished); nil without a total.
    public var percent: Int? {
        guard let latest, let total = latest.total else { return nil }
        guard total > 0 else { return 100 }
        return min(100, max(0, Int(Double(latest.done) * 100 / Double(total))))
    }

    /// The line for the last report (the label alone before any).
    public func line() -> String {
        guard let latest else { return label }
        var parts = [label + (latest.step.map { " (\($0))" } ?? "")]
        switch latest.unit {
        case .bytes:
            parts.append(Self.size(Double(latest.done)) + (latest.total.map { " / " + Self.size(Double($0)) } ?? ""))
            if let percent { parts.append("\(percent)%") }
            parts.append("\(Self.count(latest.items)) \(latest.noun)")
            if let rate { parts.append(Self.size(rate) + "/s") }
        case .pages:
            if latest.done > 0 || latest.total != nil {
                parts.append("page \(Self.count(latest.done))" + (latest.total.map { " / \(Self.count($0))" } ?? ""))
            }
            if let percent { parts.append("\(percent)%") }
            parts.append("\(Self.count(latest.items)) \(latest.noun)")
            if let itemRate { parts.append("\(Self.perSecond(itemRate)) \(latest.noun)/s") }
        case .items:
            parts.append(Self.count(latest.done) + (latest.total.map { " / \(Self.count($0))" } ?? "") + " \(latest.noun)")
            if let percent { parts.append("\(percent)%") }
            if let rate { parts.append("\(Self.perSecond(rate)) \(latest.noun)/s") }
        }
        if let secondsLeft { parts.append("~\(Self.duration(secondsLeft)) left") }
        if let waiting = latest.waiting {
            // Rounded up: a wait shows "1 s" until it is over.
            parts.append("waiting \(Self.duration(waiting.seconds.rounded(.up))) for \(waiting.reason)")
        }
        return parts.joined(separator: "  ")
    }

    // MARK: - Formats

    /// A count with its thousands grouped by commas: "12,340".
    public static func count(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var text = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }

    /// A size in 1000-based units with one decimal: "950 B", "45.2 MB", "1.3 GB".
    public static func size(_ bytes: Double) -> String {
        let units = ["KB", "MB", "GB", "TB"]
        guard bytes.isFinite, bytes >= 999.5 else { return "\(Int(max(0, bytes.isFinite ? bytes : 0).rounded())) B" }
        var value = bytes / 1000
        var unit = 0
        // Move up while the rounded figure would read 1000.0 or more.
        while unit < units.count - 1, (value * 10).rounded() >= 10_000 {
            value /= 1000
            unit += 1
        }
        return tenths(value) + " " + units[unit]
    }

    /// A rate of items: one decimal under 10 ("2.5"), whole and grouped above ("1,150").
    public static func perSecond(_ rate: Double) -> String {
        guard rate.isFinite else { return "0" }
        return rate < 9.95 ? tenths(rate) : count(Int(rate.rounded()))
    }

    /// A duration rounded to the second: "9 s", "3 min 05 s", "1 h 02 min" (seconds dropped
    /// from an hour on).
    public static func duration(_ seconds: Double) -> String {
        let total = seconds.isFinite ? Int(max(0, min(seconds, 1e9)).rounded()) : 0
        func padded(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        if total < 60 { return "\(total) s" }
        if total < 3600 { return "\(total / 60) min \(padded(total % 60)) s" }
        return "\(total / 3600) h \(padded(total % 3600 / 60)) min"
    }

    /// `value` with one decimal, without a locale: "8.1".
    private static func tenths(_ value: Double) -> String {
        let tenths = Int((max(0, value) * 10).rounded())
        return "\(count(tenths / 10)).\(tenths % 10)"
    }
}
