import Testing
@testable import SyndicCore

/// The export guard's decision: counts in, held or not with both numbers in its lines.
struct ExportGuardTests {
    static func counts(_ exportable: Int, previous: Int?, skipped: Int = 0, invalid: Int = 0) -> ExportGuard.Counts {
        ExportGuard.Counts(exportable: exportable, skipped: skipped, invalid: invalid, previous: previous)
    }

    @Test(arguments: [
        // exportable, previous, maxDropPercent, held
        (1, 10 as Int?, 50, true),       // 90% fewer
        (5, 10 as Int?, 50, false),      // exactly the limit: not over it
        (4, 10 as Int?, 50, true),       // 60% fewer
        (10, 10 as Int?, 0, false),      // no drop at all
        (9, 10 as Int?, 0, true),        // any drop is over 0
        (0, 10 as Int?, 99, true),       // everything gone
        (0, 10 as Int?, 100, false),     // 100 never holds
        (20, 10 as Int?, 10, false),     // a catalog that grew
        (0, nil as Int?, 0, false),      // the first export: nothing to compare with
        (0, 0 as Int?, 0, false),        // the last export exported nothing
    ])
    func theDropIsComparedWithTheLastSuccessfulExport(_ exportable: Int, _ previous: Int?, _ limit: Int, _ held: Bool) {
        let verdict = ExportGuard(maxDropPercent: limit).check(Self.counts(exportable, previous: previous))
        #expect(verdict.held == held, "\(verdict)")
        #expect(verdict.reasons.count == (held ? 1 : 0))
    }

    @Test(arguments: [
        // [exportable, skipped, invalid], maxInvalidPercent, held
        ([90, 5, 5], 10, false),    // 10 of 100: at the limit
        ([89, 6, 5], 10, true),     // 11 of 100
        ([0, 0, 0], 0, false),      // nothing passed the filter: no share
        ([0, 1, 0], 99, true),      // the only product was skipped
        ([3, 0, 1], 25, false),     // an invalid text counts among the products considered
        ([3, 0, 1], 24, true),
    ])
    func theInvalidShareCountsInvalidAndSkippedProducts(_ found: [Int], _ limit: Int, _ held: Bool) {
        let verdict = ExportGuard(maxInvalidPercent: limit)
            .check(Self.counts(found[0], previous: nil, skipped: found[1], invalid: found[2]))
        #expect(verdict.held == held, "\(verdict)")
    }

    @Test func aHeldExportSaysBothNumbersAndWhy() {
        let rule = ExportGuard(maxDropPercent: 50, maxInvalidPercent: 10)
        let verdict = rule.check(Self.counts(1, previous: 10, skipped: 1, invalid: 0))
        #expect(verdict.held)
        #expect(verdict.reasons == [
            "it would export 1 product, 90% fewer than the 10 of the last successful export (maxDropPercent 50)",
            "50% of the products that passed the filter are invalid or skipped (0 invalid, 1 skipped of 2; maxInvalidPercent 10)",
        ])
        #expect(verdict.lines == [
            "1 product to export, 10 at the last successful export: 90% fewer (maxDropPercent 50)",
            "1 invalid or skipped of 2 products that passed the filter: 50% (maxInvalidPercent 10)",
        ])
    }

    @Test func anExportThatPassesStillShowsTheNumbers() {
        let verdict = ExportGuard(maxDropPercent: 50).check(Self.counts(12, previous: 10))
        #expect(!verdict.held)
        #expect(verdict.lines == [
            "12 products to export, 10 at the last successful export: no drop (maxDropPercent 50)",
            "0 invalid or skipped of 12 products that passed the filter: 0% (no maxInvalidPercent)",
        ])
        let first = ExportGuard(maxDropPercent: 50).check(Self.counts(3, previous: nil))
        #expect(first.lines.first == "3 products to export, no earlier successful export to compare with (maxDropPercent 50)")
    }

    @Test(arguments: [
        (1, 3, "33.4%"),   // rounded up: a share over its limit never shows as the limit
        (1, 8, "12.5%"),
        (9, 10, "90%"),
        (0, 7, "0%"),
        (3, 0, "0%"),
        (1001, 1000, "100.1%"),
    ])
    func percentagesHaveOneDecimalAtMost(_ part: Int, _ whole: Int, _ expected: String) {
        #expect(ExportGuard.percent(part, of: whole) == expected)
    }

    @Test func aChannelWithoutLimitsHasNoGuard() {
        #expect(ExportGuard(nil) == nil)
        #expect(ExportGuard(ChannelSpec.Products.Export.Guard()) == nil)
        #expect(ExportGuard(ChannelSpec.Products.Export.Guard(maxInvalidPercent: 5))
                == ExportGuard(maxDropPercent: nil, maxInvalidPercent: 5))
    }
}
