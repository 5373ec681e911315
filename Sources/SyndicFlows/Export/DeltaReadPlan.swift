import Foundation
import SyndicCore

/// What a product export reads from its source: every product, or — a delta export from
/// Akeneo whose last successful export recorded when it started reading — only the products
/// updated since then (less a safety overlap), the rest of the snapshot kept as it was.
///
/// Every product is read when: the export is full; the source is not Akeneo; there is no
/// successful export yet; the channel's source, filter or mapping (its spec digest) changed
/// since; the last export recorded no watermark (a catalog file, or an older syndic); the
/// destination refused products last time (they are read again with every product); or the
/// count says more products changed than `changedLimit` (a full read costs no more then, and
/// it keeps the merge's memory bounded).
enum DeltaReadPlan: Hashable, Sendable {
    /// Read every product; `reason`, for a delta export from Akeneo, says why (report).
    case full(reason: String?)
    /// Read only the products updated since the watermark.
    case updatedSince(SourceWatermark)

    /// The plan before anything is asked of the source.
    static func decide(delta: Bool, fromAkeneo: Bool, header: SnapshotHeader?, specDigest: String,
                       origin: String?) -> DeltaReadPlan {
        guard delta, fromAkeneo else { return .full(reason: nil) }
        guard let header, header.generation != nil else {
            return .full(reason: "read every product: no earlier successful export")
        }
        guard header.specDigest == specDigest else {
            return .full(reason: "read every product: the channel's source, filter or mapping changed since the last "
                         + "successful export")
        }
        guard let since = header.sourceSince else {
            return .full(reason: "read every product: the last successful export did not record when it read from "
                         + "Akeneo (it read another source, or was made by an earlier syndic)")
        }
        guard let offset = header.sourceOffset, let origin, header.sourceOrigin == origin else {
            return .full(reason: "read every product: the last successful export read another PIM, or did not "
                         + "record where it read from")
        }
        guard header.refused.isEmpty else {
            return .full(reason: "read every product: the destination refused \(header.refused.count) product(s) at the "
                         + "last export, they are read again with every product")
        }
        return .updatedSince(SourceWatermark(since: since, utcOffset: offset, origin: origin))
    }

    /// The most products an updated-since read takes before the export reads every product
    /// instead: a quarter of the previous snapshot, at least 262,144.
    static func changedLimit(previous: Int) -> Int { max(previous / 4, 1 << 18) }

    /// The plan once the source counted what an updated-since read selects (`changed`; nil
    /// when it could not tell): a full read when that is more than `changedLimit`.
    func checked(changed: Int?, previous: Int) -> DeltaReadPlan {
        guard case .updatedSince = self, let changed else { return self }
        let limit = Self.changedLimit(previous: previous)
        guard changed > limit else { return self }
        return .full(reason: "read every product: \(changed) products changed since the last export, more than "
                     + "\(limit): reading them all costs no more")
    }

    /// The report's line about the read, if any.
    var note: String? {
        switch self {
        case .full(let reason):
            return reason
        case .updatedSince(let watermark):
            let offset = watermark.utcOffset
            let from = AkeneoTime.deltaStart(watermark)
            let started = AkeneoTime.searchText(watermark.since, utcOffset: offset)
            let minutes = Int(AkeneoTime.overlap) / 60
            return "read only the products updated since \(from) (the PIM's time, UTC\(Self.offsetText(offset))): "
                + "the last successful export started reading at \(started), less \(minutes) minutes"
        }
    }

    /// `+02:00`, `-05:30`, `+00:00`.
    static func offsetText(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        let hours = String(minutes / 60), rest = String(minutes % 60)
        return sign + (hours.count < 2 ? "0" + hours : hours) + ":" + (rest.count < 2 ? "0" + rest : rest)
    }
}
