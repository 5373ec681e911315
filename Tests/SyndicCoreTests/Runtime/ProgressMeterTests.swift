import Foundation
import Testing
@testable import SyndicCore

/// The progress line of `syndic run --wait`, fed reports at fixed times.
struct ProgressMeterTests {
    let start = Date(timeIntervalSince1970: 1_750_000_000)

    func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    static func bytes(_ done: Int, of total: Int?, products: Int) -> RunProgress {
        RunProgress(done: done, total: total, unit: .bytes, items: products, noun: "products")
    }

    // MARK: - Lines

    @Test func aCatalogFileShowsBytesOfItsSizeTheProductsTheRateAndTheTimeLeft() {
        var meter = ProgressMeter(label: "acme_fr product-export")
        meter.record(Self.bytes(4_700_000, of: 120_000_000, products: 1_200), at: at(0))
        // One report: no rate yet, so no time left.
        #expect(meter.line() == "acme_fr product-export  4.7 MB / 120.0 MB  3%  1,200 products")
        meter.record(Self.bytes(45_200_000, of: 120_000_000, products: 12_340), at: at(5))
        // 40.5 MB in 5 s; 74.8 MB left at 8.1 MB/s.
        #expect(meter.line() == "acme_fr product-export  45.2 MB / 120.0 MB  37%  12,340 products  8.1 MB/s  ~9 s left")
    }

    @Test func anOrderRetrievalShowsPagesOrdersTheirRateAndTheQuotaWait() {
        var meter = ProgressMeter(label: "amazon_de order-retrieval")
        meter.record(RunProgress(done: 2, unit: .pages, items: 920, noun: "orders"), at: at(0))
        meter.record(RunProgress(done: 12, unit: .pages, items: 1_150, noun: "orders",
                                 waiting: RunProgress.Wait(seconds: 3.6, reason: "quota (getOrders)")), at: at(10))
        // No total: no percentage and no time left; the wait's seconds are rounded up.
        #expect(meter.line() == "amazon_de order-retrieval  page 12  1,150 orders  23 orders/s  waiting 4 s for quota (getOrders)")
        meter.record(RunProgress(done: 12, unit: .pages, items: 1_150, noun: "orders"), at: at(11))
        #expect(!meter.line().contains("waiting"))
    }

    @Test func beforeItsFirstPageARetrievalShowsOrdersOnly() {
        var meter = ProgressMeter(label: "amazon_de order-retrieval")
        meter.record(RunProgress(done: 0, unit: .pages, items: 0, noun: "orders",
                                 waiting: RunProgress.Wait(seconds: 0.2, reason: "quota (getOrderItems)")), at: at(0))
        #expect(meter.line() == "amazon_de order-retrieval  0 orders  waiting 1 s for quota (getOrderItems)")
    }

    @Test func itemsWithATotalShowThePercentageAndTheTimeLeft() {
        var meter = ProgressMeter(label: "pim_feed product-export")
        meter.record(RunProgress(done: 200, total: 5_000, noun: "products"), at: at(0))
        meter.record(RunProgress(done: 1_200, total: 5_000, noun: "products"), at: at(4))
        #expect(meter.rate == 250)
        #expect(meter.line() == "pim_feed product-export  1,200 / 5,000 products  24%  250 products/s  ~15 s left")
    }

    @Test func withoutATotalThereIsNoPercentageNorTimeLeft() {
        var meter = ProgressMeter(label: "shop order-export")
        meter.record(RunProgress(done: 1_000, noun: "orders"), at: at(0))
        meter.record(RunProgress(done: 6_000, noun: "orders"), at: at(2))
        #expect(meter.percent == nil)
        #expect(meter.secondsLeft == nil)
        #expect(meter.line() == "shop order-export  6,000 orders  2,500 orders/s")
    }

    @Test func theStepShowsAfterTheLabel() {
        var meter = ProgressMeter(label: "acme_fr product-export")
        meter.record(RunProgress(done: 500, total: 1_000, unit: .bytes, items: 3, noun: "products",
                                 step: "counting for the export guard"), at: at(0))
        #expect(meter.line() == "acme_fr product-export (counting for the export guard)  500 B / 1.0 KB  50%  3 products")
    }

    @Test func aFinishedRunShowsAHundredPercentAndNoTimeLeft() {
        var meter = ProgressMeter(label: "x")
        meter.record(Self.bytes(0, of: 2_000, products: 0), at: at(0))
        meter.record(Self.bytes(1_999, of: 2_000, products: 9), at: at(1))
        #expect(meter.percent == 99)
        #expect(meter.secondsLeft != nil)
        meter.record(Self.bytes(2_000, of: 2_000, products: 10), at: at(2))
        #expect(meter.percent == 100)
        #expect(meter.secondsLeft == nil)
        #expect(meter.line() == "x  2.0 KB / 2.0 KB  100%  10 products  1.0 KB/s")
        // An empty file is done at once.
        var empty = ProgressMeter(label: "x")
        empty.record(Self.bytes(0, of: 0, products: 0), at: at(0))
        #expect(empty.percent == 100)
    }

    // MARK: - Rate

    @Test func theRateIsTheAverageOverTheLastTenSeconds() throws {
        var meter = ProgressMeter(label: "x")
        // 1,000 a second for 10 s, then 100 a second for 10 s.
        for second in 0...20 {
            let done = second <= 10 ? 1_000 * second : 10_000 + 100 * (second - 10)
            meter.record(RunProgress(done: done, total: 100_000), at: at(Double(second)))
        }
        let rate = try #require(meter.rate)
        #expect(abs(rate - 100) < 1e-6)
        let left = try #require(meter.secondsLeft)
        #expect(abs(left - 890) < 1e-3)
    }

    @Test func noRateUntilTheReportsSpanHalfASecond() throws {
        var meter = ProgressMeter(label: "x")
        meter.record(RunProgress(done: 0, total: 10), at: at(0))
        meter.record(RunProgress(done: 5, total: 10), at: at(0.3))
        #expect(meter.rate == nil)
        #expect(meter.secondsLeft == nil)
        meter.record(RunProgress(done: 6, total: 10), at: at(0.6))
        let rate = try #require(meter.rate)
        #expect(abs(rate - 10) < 1e-3)
    }

    @Test func reportsInQuickSuccessionKeepTheRateRight() throws {
        var meter = ProgressMeter(label: "x")
        // A report every millisecond for 2 s at 1,000 a second.
        for tick in 0...2_000 {
            meter.record(RunProgress(done: tick), at: at(Double(tick) / 1_000))
        }
        let rate = try #require(meter.rate)
        #expect(abs(rate - 1_000) < 1e-3)
    }

    @Test func aReportThatGoesBackStartsTheRateAfresh() {
        var meter = ProgressMeter(label: "x")
        meter.record(RunProgress(done: 0, total: 10_000), at: at(0))
        meter.record(RunProgress(done: 5_000, total: 10_000), at: at(5))
        #expect(meter.rate == 1_000)
        // A new attempt starts from the beginning.
        meter.record(RunProgress(done: 100, total: 10_000), at: at(6))
        #expect(meter.rate == nil)
        #expect(meter.line() == "x  100 / 10,000 items  1%")
    }

    @Test func anotherStepStartsTheRateAfresh() {
        var meter = ProgressMeter(label: "x")
        meter.record(RunProgress(done: 0, step: "counting"), at: at(0))
        meter.record(RunProgress(done: 5_000, step: "counting"), at: at(5))
        #expect(meter.rate == 1_000)
        meter.record(RunProgress(done: 6_000), at: at(6))
        #expect(meter.rate == nil)
    }

    // MARK: - Formats

    @Test func countsGroupThousandsWithCommas() {
        #expect(ProgressMeter.count(0) == "0")
        #expect(ProgressMeter.count(999) == "999")
        #expect(ProgressMeter.count(1_000) == "1,000")
        #expect(ProgressMeter.count(12_340) == "12,340")
        #expect(ProgressMeter.count(1_234_567) == "1,234,567")
        #expect(ProgressMeter.count(-1_234) == "-1,234")
    }

    @Test func sizesAreInThousandBasedUnits() {
        #expect(ProgressMeter.size(0) == "0 B")
        #expect(ProgressMeter.size(950) == "950 B")
        #expect(ProgressMeter.size(1_500) == "1.5 KB")
        #expect(ProgressMeter.size(45_200_000) == "45.2 MB")
        #expect(ProgressMeter.size(1_300_000_000) == "1.3 GB")
        // Rounding never shows 1000.0 of a unit: the next unit instead.
        #expect(ProgressMeter.size(999_960) == "1.0 MB")
        #expect(ProgressMeter.size(999.7) == "1.0 KB")
    }

    @Test func durationsReadInSecondsMinutesAndHours() {
        #expect(ProgressMeter.duration(0) == "0 s")
        #expect(ProgressMeter.duration(9.4) == "9 s")
        #expect(ProgressMeter.duration(59.6) == "1 min 00 s")
        #expect(ProgressMeter.duration(185) == "3 min 05 s")
        #expect(ProgressMeter.duration(3_720) == "1 h 02 min")
        #expect(ProgressMeter.duration(-5) == "0 s")
        #expect(ProgressMeter.duration(.infinity) == "0 s")
    }

    @Test func ratesOfItemsHaveADecimalUnderTen() {
        #expect(ProgressMeter.perSecond(2.46) == "2.5")
        #expect(ProgressMeter.perSecond(23.2) == "23")
        #expect(ProgressMeter.perSecond(1_150.4) == "1,150")
    }
}
