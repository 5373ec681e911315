import Foundation
import SyndicCore

/// How a full read from Akeneo splits the catalog into disjoint `search` partitions that
/// several readers read at once: ranges of the products' `created` date.
///
/// Why `created`: it never changes, every product has one, and Akeneo filters it with `<` and
/// `>`, two conditions on it being ANDed into a range. `uuid` and `identifier` have no range
/// operator and a `search_after` cursor cannot be seeded (Akeneo's cursor is opaque); `family`
/// and `updated` change while a read runs, so a product could move to a partition read
/// earlier (never read) or later (read twice).
///
/// Boundaries b1 < … < bk are whole seconds; Akeneo compares dates at the second, written
/// `YYYY-MM-DD hh:mm:ss` in the PIM's time zone. The partitions are `created < b1`, then
/// `created > b(i) − 1 s AND created < b(i+1)` (that is b(i) ≤ created < b(i+1)), and last
/// `created > bk − 1 s`: every second falls in exactly one. A product created while the
/// read runs falls in the last, open-ended partition: read once, or not at all if its page
/// was read before (its `updated` is then later than the read's watermark, so the next delta
/// export reads it). Where the boundaries fall only balances the readers' work; which
/// products are read never depends on it.
struct AkeneoPartitions: Hashable, Sendable {
    /// The boundaries, in seconds since 1970 (UTC), increasing; none: one partition.
    var boundaries: [Int]
    /// The PIM's offset from UTC in seconds, in which the boundaries are written.
    var utcOffset: Int

    /// Fewer products than this are read with one cursor: 20 pages, read about as fast as the
    /// count requests that would split them.
    static let splitThreshold = 2_000
    /// Rounds of count requests at most; a boundary not found by then stays at the nearest
    /// second counted.
    static let maxRounds = 24
    /// The earliest boundary searched, 2000-01-01 00:00:00 UTC: products created before it
    /// (imported with their dates) all fall in the first partition.
    static let earliest = 946_684_800

    /// How many partitions there are.
    var count: Int { boundaries.count + 1 }

    /// The partitions of `base`: its conditions, each ANDed with its range of `created`.
    func queries(_ base: AkeneoQuery) -> [AkeneoQuery] {
        (0...boundaries.count).map { index -> AkeneoQuery in
            var query = base
            if index > 0 { query = query.adding("created", condition(">", boundaries[index - 1] - 1)) }
            if index < boundaries.count { query = query.adding("created", condition("<", boundaries[index])) }
            return query
        }
    }

    /// The condition `created <operator> second`, written in the PIM's time zone.
    func condition(_ comparison: String, _ second: Int) -> Value {
        .object(["operator": .string(comparison),
                 "value": .string(AkeneoTime.searchText(Date(timeIntervalSince1970: TimeInterval(second)),
                                                        utcOffset: utcOffset))])
    }

    /// Plans `wanted` partitions of equal size of the `total` products `base` selects, by
    /// counting the products created before chosen seconds (`counter` answers how many
    /// products a query selects, nil when Akeneo gives no count). Fewer than
    /// `splitThreshold` products, a count Akeneo does not give, or a catalog created within
    /// one second give one partition; a count that fails fails the plan.
    ///
    /// Each round counts, at most `parallel` at once, one second per boundary still searched:
    /// inside the bracket of seconds known to hold its target count, by interpolation on even
    /// rounds and halfway on odd ones (interpolation finds an evenly created catalog in a
    /// round or two, halving bounds the rounds for any other). Every count narrows every
    /// boundary. A boundary is found when a counted second is within a quarter of a
    /// partition of its target, or its bracket is one second wide. A last round checks that
    /// Akeneo splits the catalog exactly at each boundary (`verified`).
    static func plan(_ base: AkeneoQuery, total: Int, partitions wanted: Int, now: Date, utcOffset: Int,
                     parallel: Int = AkeneoGate.defaultPermits,
                     counter: @escaping @Sendable (AkeneoQuery) throws -> Int?) throws -> AkeneoPartitions {
        let single = AkeneoPartitions(boundaries: [], utcOffset: utcOffset)
        guard wanted > 1, total >= splitThreshold else { return single }
        let latest = max(Int(now.timeIntervalSince1970.rounded(.down)) + 86_400, earliest + 2)
        var search = BoundarySearch(total: total, partitions: wanted, earliest: earliest, latest: latest)
        for round in 0..<maxRounds {
            let seconds = search.probes(interpolating: round % 2 == 0)
            if seconds.isEmpty { break }
            let counts = try ParallelWork.map(seconds, parallel: parallel, name: "syndic-akeneo-count") { second in
                try counter(base.adding("created", single.condition("<", second)))
            }
            for (second, counted) in zip(seconds, counts) {
                guard let counted else { return single }
                search.learn(second: second, count: counted)
            }
        }
        let found = AkeneoPartitions(boundaries: search.boundaries(), utcOffset: utcOffset)
        return try found.verified(base, parallel: parallel, counter: counter)
    }

    /// These partitions without the boundaries Akeneo does not split exactly: for each
    /// boundary b, the products `created < b` and those `created > b − 1 s`, counted at once
    /// with all the products, must add up to all of them. Akeneo reads a date in its own time
    /// zone: where that zone goes back an hour (daylight saving time ends), two texts one
    /// second apart can name instants an hour apart, and the products of that hour would
    /// match both sides. Without such a boundary its two partitions are one; products created
    /// or deleted while counting can only remove a boundary too.
    func verified(_ base: AkeneoQuery, parallel: Int,
                  counter: @escaping @Sendable (AkeneoQuery) throws -> Int?) throws -> AkeneoPartitions {
        guard !boundaries.isEmpty else { return self }
        var checks = [base]
        for boundary in boundaries {
            checks.append(base.adding("created", condition("<", boundary)))
            checks.append(base.adding("created", condition(">", boundary - 1)))
        }
        let counts = try ParallelWork.map(checks, parallel: parallel, name: "syndic-akeneo-count") { try counter($0) }
        guard let total = counts[0] else { return AkeneoPartitions(boundaries: [], utcOffset: utcOffset) }
        let exact = boundaries.indices.filter { index in
            guard let before = counts[1 + 2 * index], let after = counts[2 + 2 * index] else { return false }
            return before > 0 && after > 0 && before + after == total
        }
        return AkeneoPartitions(boundaries: exact.map { boundaries[$0] }, utcOffset: utcOffset)
    }
}

extension AkeneoPartitions {
    /// The search for the seconds that split a catalog into equal parts, from counts of the
    /// products created before seconds (no I/O: `AkeneoPartitions.plan` counts).
    struct BoundarySearch {
        /// A second and how many products were created before it.
        struct Point: Hashable, Sendable {
            var second: Int
            var count: Int
        }

        let total: Int
        /// The counts the boundaries aim at: i × total / partitions.
        let targets: [Int]
        /// How far from its target a boundary may be: a quarter of a partition.
        let tolerance: Int
        /// Counted seconds, by second; the earliest (0 products) and latest (all) are assumed.
        private(set) var known: [Point]

        init(total: Int, partitions: Int, earliest: Int, latest: Int) {
            self.total = total
            targets = (1..<max(partitions, 1)).map { $0 * total / partitions }
            tolerance = max(1, total / max(partitions, 1) / 4)
            known = [Point(second: earliest, count: 0), Point(second: latest, count: total)]
        }

        /// Records that `count` products were created before `second`.
        mutating func learn(second: Int, count: Int) {
            let point = Point(second: second, count: count)
            if let index = known.firstIndex(where: { $0.second >= second }) {
                if known[index].second == second { known[index] = point } else { known.insert(point, at: index) }
            } else {
                known.append(point)
            }
        }

        /// The counted seconds around `target`: the last with at most `target` products before
        /// it, and the next.
        func bracket(_ target: Int) -> (low: Point, high: Point) {
            let index = max(1, known.firstIndex { $0.count > target } ?? known.count - 1)
            return (known[index - 1], known[index])
        }

        /// The boundary found for `target`, or nil while it is still searched.
        func found(_ target: Int) -> Point? {
            let (low, high) = bracket(target)
            let lowGap = abs(target - low.count)
            let highGap = abs(high.count - target)
            guard lowGap <= tolerance || highGap <= tolerance || high.second - low.second <= 1 else { return nil }
            return lowGap <= highGap ? low : high
        }

        /// The seconds to count next: one inside the bracket of each boundary still searched.
        func probes(interpolating: Bool) -> [Int] {
            var seconds = Set<Int>()
            for target in targets where found(target) == nil {
                let (low, high) = bracket(target)
                var second = low.second + (high.second - low.second) / 2
                if interpolating, high.count > low.count {
                    let share = Double(target - low.count) / Double(high.count - low.count)
                    second = low.second + Int((Double(high.second - low.second) * share).rounded())
                }
                seconds.insert(min(max(second, low.second + 1), high.second - 1))
            }
            return seconds.sorted()
        }

        /// The boundaries: each target's found second (or the nearer end of its bracket), in
        /// order, without those that would leave a partition empty (nothing before the first,
        /// everything before the last, or the same count as the one before).
        func boundaries() -> [Int] {
            let chosen = targets.map { target -> Point in
                if let point = found(target) { return point }
                let (low, high) = bracket(target)
                return target - low.count <= high.count - target ? low : high
            }
            var kept: [Point] = []
            for point in chosen.sorted(by: { $0.second < $1.second }) where point.count > 0 && point.count < total {
                if let last = kept.last, last.second == point.second || last.count >= point.count { continue }
                kept.append(point)
            }
            return kept.map(\.second)
        }
    }
}
