/// A channel's export guard (`products.export.guard`): before anything is sent, a product
/// export is held when it looks wrong — it would export far fewer products than the last
/// successful export (a catalog that shrank by accident, a filter that went wrong), or too
/// many of its products are invalid or skipped (a broken source, a required value gone).
///
/// The decision is pure: counts in, a verdict with its report lines out. A limit is a
/// percentage from 0 to 100; the export is held only when a share is **over** its limit, so
/// `maxDropPercent: 100` never holds and `0` holds any drop.
public struct ExportGuard: Hashable, Sendable {
    public var maxDropPercent: Int?
    public var maxInvalidPercent: Int?

    public init(maxDropPercent: Int? = nil, maxInvalidPercent: Int? = nil) {
        self.maxDropPercent = maxDropPercent
        self.maxInvalidPercent = maxInvalidPercent
    }

    /// The guard a channel configures; nil when it sets no limit.
    public init?(_ spec: ChannelSpec.Products.Export.Guard?) {
        guard let spec, spec.maxDropPercent != nil || spec.maxInvalidPercent != nil else { return nil }
        self.init(maxDropPercent: spec.maxDropPercent, maxInvalidPercent: spec.maxInvalidPercent)
    }

    /// What an export found, as the guard reads it.
    public struct Counts: Hashable, Sendable {
        /// Products that pass the filter and map: what a full export sends; for a delta export
        /// the filtered catalog, products unchanged since the last export included.
        public var exportable: Int
        /// Products whose `required` target was empty.
        public var skipped: Int
        /// Texts of the source that are not products.
        public var invalid: Int
        /// `exportable` at the last successful export; nil when there was none.
        public var previous: Int?

        public init(exportable: Int, skipped: Int, invalid: Int, previous: Int?) {
            self.exportable = exportable
            self.skipped = skipped
            self.invalid = invalid
            self.previous = previous
        }

        /// The products the filter did not reject: exportable, skipped or invalid (a text
        /// that is not a product cannot be filtered, so it counts).
        public var considered: Int { exportable + skipped + invalid }
    }

    /// What the guard decided.
    public struct Verdict: Hashable, Sendable {
        /// Why the export is held, one reason per limit passed; empty when it may go.
        public var reasons: [String]
        /// Report lines giving both numbers against their limits, held or not.
        public var lines: [String]

        /// Whether nothing may be sent.
        public var held: Bool { !reasons.isEmpty }
    }

    /// Decides on `counts`. The drop is how many fewer products there are to export than at
    /// the last successful export, as a share of that export's; an export with nothing to
    /// compare (the first one, or one after an export of no product) is never held for it.
    /// The invalid share is invalid plus skipped products among those the filter did not
    /// reject (0 when there are none).
    public func check(_ counts: Counts) -> Verdict {
        var reasons: [String] = []
        var lines: [String] = []
        let exportable = "\(counts.exportable) product\(counts.exportable == 1 ? "" : "s") to export"
        if let previous = counts.previous, previous > 0 {
            let dropped = max(0, previous - counts.exportable)
            let share = Self.percent(dropped, of: previous)
            let change = dropped == 0 ? "no drop" : "\(share) fewer"
            lines.append("\(exportable), \(previous) at the last successful export: \(change) "
                         + Self.limit("maxDropPercent", maxDropPercent))
            if let limit = maxDropPercent, Self.isOver(dropped, of: previous, limit: limit) {
                reasons.append("it would export \(counts.exportable) product\(counts.exportable == 1 ? "" : "s"), "
                               + "\(share) fewer than the \(previous) of the last successful export "
                               + "(maxDropPercent \(limit))")
            }
        } else {
            lines.append("\(exportable), no earlier successful export to compare with "
                         + Self.limit("maxDropPercent", maxDropPercent))
        }
        let rejected = counts.invalid + counts.skipped
        let considered = counts.considered
        let share = Self.percent(rejected, of: considered)
        lines.append("\(rejected) invalid or skipped of \(considered) product\(considered == 1 ? "" : "s") that passed "
                     + "the filter: \(share) " + Self.limit("maxInvalidPercent", maxInvalidPercent))
        if let limit = maxInvalidPercent, Self.isOver(rejected, of: considered, limit: limit) {
            reasons.append("\(share) of the products that passed the filter are invalid or skipped "
                           + "(\(counts.invalid) invalid, \(counts.skipped) skipped of \(considered); "
                           + "maxInvalidPercent \(limit))")
        }
        return Verdict(reasons: reasons, lines: lines)
    }

    /// Whether `part` is more than `limit` percent of `whole` (exact, in integers).
    static func isOver(_ part: Int, of whole: Int, limit: Int) -> Bool {
        whole > 0 && part * 100 > limit * whole
    }

    /// `part` as a percentage of `whole`: `90%`, `12.5%` (one decimal, rounded up so that a
    /// share over its limit never shows as the limit itself); `0%` when `whole` is 0.
    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0%" }
        let tenths = (part * 1000 + whole - 1) / whole
        return tenths % 10 == 0 ? "\(tenths / 10)%" : "\(tenths / 10).\(tenths % 10)%"
    }

    /// `(maxDropPercent 50)`, or `(no maxDropPercent)`.
    private static func limit(_ name: String, _ value: Int?) -> String {
        value.map { "(\(name) \($0))" } ?? "(no \(name))"
    }
}
