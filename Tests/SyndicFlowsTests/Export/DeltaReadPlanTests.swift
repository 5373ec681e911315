import Foundation
import SyndicCore
import Testing
@testable import SyndicFlows

/// When a delta export from Akeneo reads only the products updated since the last successful
/// export, and why it reads every product otherwise.
@Suite struct DeltaReadPlanTests {
    static let since = Date(timeIntervalSince1970: 1_760_000_000)  // 2025-10-09 08:53:20 UTC
    static let origin = "https://pim.example.com"

    static func header(digest: String = "d1", generation: Int64? = 4, refused: Set<UInt64> = [],
                       since: Date? = DeltaReadPlanTests.since, offset: Int? = 7200,
                       origin: String? = DeltaReadPlanTests.origin) -> SnapshotHeader {
        SnapshotHeader(specDigest: digest, generation: generation, count: 1000, refused: refused, sourceSince: since,
                       sourceOffset: offset, sourceOrigin: origin)
    }

    static func reason(_ plan: DeltaReadPlan) -> String? {
        if case .full(let reason) = plan { return reason }
        return nil
    }

    @Test func aDeltaFromAkeneoWithAWatermarkAndTheSameSpecReadsTheUpdatedProducts() {
        let plan = DeltaReadPlan.decide(delta: true, fromAkeneo: true, header: Self.header(), specDigest: "d1",
                                        origin: Self.origin)
        #expect(plan == .updatedSince(SourceWatermark(since: Self.since, utcOffset: 7200, origin: Self.origin)))
        let note = plan.note ?? ""
        // 08:53:20 UTC is 10:53:20 at +02:00; less 70 minutes (10, and 1 h for daylight saving).
        #expect(note.contains("updated since 2025-10-09 09:43:20"), "\(note)")
        #expect(note.contains("UTC+02:00"), "\(note)")
        #expect(note.contains("10:53:20"), "\(note)")
    }

    @Test func everythingElseReadsEveryProductAndSaysWhy() {
        #expect(DeltaReadPlan.decide(delta: false, fromAkeneo: true, header: Self.header(), specDigest: "d1",
                                     origin: Self.origin)
                == .full(reason: nil), "a full export says nothing")
        #expect(DeltaReadPlan.decide(delta: true, fromAkeneo: false, header: Self.header(), specDigest: "d1", origin: nil)
                == .full(reason: nil), "a catalog file is always read whole")
        let cases: [(SnapshotHeader?, String)] = [
            (nil, "no earlier successful export"),
            (Self.header(generation: nil), "no earlier successful export"),
            (Self.header(digest: "d0"), "source, filter or mapping changed"),
            (Self.header(since: nil), "did not record when it read from Akeneo"),
            (Self.header(refused: [42]), "refused 1 product(s)"),
            (Self.header(origin: "https://staging.example.com"), "read another PIM"),
            (Self.header(origin: nil), "did not record where it read from"),
            (Self.header(offset: nil), "did not record where it read from"),
        ]
        for (header, expected) in cases {
            let plan = DeltaReadPlan.decide(delta: true, fromAkeneo: true, header: header, specDigest: "d1",
                                            origin: Self.origin)
            let reason = Self.reason(plan) ?? ""
            #expect(reason.hasPrefix("read every product: ") && reason.contains(expected), "\(reason)")
            #expect(plan.note == reason)
        }
    }

    @Test func tooManyChangesReadEveryProduct() {
        let plan = DeltaReadPlan.updatedSince(SourceWatermark(since: Self.since, utcOffset: 0, origin: Self.origin))
        #expect(DeltaReadPlan.changedLimit(previous: 100) == 262_144)
        #expect(DeltaReadPlan.changedLimit(previous: 4_000_000) == 1_000_000)
        #expect(plan.checked(changed: 262_144, previous: 100) == plan)
        #expect(plan.checked(changed: nil, previous: 100) == plan)
        #expect(plan.checked(changed: 1_000_000, previous: 4_000_000) == plan)
        let full = plan.checked(changed: 1_000_001, previous: 4_000_000)
        #expect(Self.reason(full)?.contains("1000001 products changed") == true, "\(full)")
        #expect(DeltaReadPlan.full(reason: "x").checked(changed: 9_999_999, previous: 1) == .full(reason: "x"))
    }

    @Test func offsetsAreShownSignedInHoursAndMinutes() {
        #expect(DeltaReadPlan.offsetText(0) == "+00:00")
        #expect(DeltaReadPlan.offsetText(7200) == "+02:00")
        #expect(DeltaReadPlan.offsetText(-19_800) == "-05:30")
    }
}
