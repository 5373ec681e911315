import Foundation

/// A stretch of time over which a time zone keeps one UTC offset, in seconds since 1970.
///
/// A segment that begins at a transition knows the offset before it, and so the wall-clock
/// times the transition skipped (spring forward) or repeats (fall back).
struct OffsetSegment: Sendable {
    /// The first instant: a transition, or an earlier look-back point when `previousOffset` is nil.
    let start: Int
    /// The next transition, nil when the zone has none.
    let end: Int?
    /// Seconds east of UTC during the segment.
    let offset: Int
    /// Seconds east of UTC just before `start`, when `start` is a transition.
    let previousOffset: Int?

    /// How far before an instant to start, so that a repeated hour containing the instant
    /// is seen from its beginning (zone transitions move clocks by far less than this).
    private static let lookBack = 2 * 86_400

    /// The segment containing `instant`.
    static func containing(_ instant: Int, in zone: TimeZone) -> OffsetSegment {
        let origin = instant - lookBack
        var segment = OffsetSegment(
            start: origin,
            end: transition(after: origin, in: zone),
            offset: zone.secondsFromGMT(for: date(origin)),
            previousOffset: nil
        )
        while let end = segment.end, end <= instant, let following = segment.following(in: zone) {
            segment = following
        }
        return segment
    }

    /// The segment that begins where this one ends, nil when this one never ends.
    func following(in zone: TimeZone) -> OffsetSegment? {
        guard let end else { return nil }
        return OffsetSegment(
            start: end,
            end: Self.transition(after: end, in: zone),
            offset: zone.secondsFromGMT(for: Self.date(end)),
            previousOffset: offset
        )
    }

    /// Local wall-clock seconds that the transition at `start` skipped.
    var skippedLocalTimes: Range<Int>? {
        guard let previousOffset, previousOffset < offset else { return nil }
        return (start + previousOffset)..<(start + offset)
    }

    /// Local wall-clock seconds that the transition at `start` repeats; they first occurred
    /// in the previous segment.
    var repeatedLocalTimes: Range<Int>? {
        guard let previousOffset, previousOffset > offset else { return nil }
        return (start + offset)..<(start + previousOffset)
    }

    private static func transition(after instant: Int, in zone: TimeZone) -> Int? {
        guard let next = zone.nextDaylightSavingTimeTransition(after: date(instant)) else { return nil }
        let seconds = Int(next.timeIntervalSince1970.rounded(.up))
        return seconds > instant ? seconds : nil
    }

    private static func date(_ seconds: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
