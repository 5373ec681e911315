import Foundation
import SyndicCore
@testable import SyndicServer
import Testing

/// The runs page and a run's page, built without HTTP.
@Suite struct RunsPageTests {
    typealias C = ChannelsPageTests

    @Test func filtersPagesAndLinks() throws {
        let query = try RunsPage.Query(ConsoleQuery(parsing: "channel=shop&job=order-retrieval&status=failed&page=2"))
        #expect(query.filter == RunFilter(channel: "shop", job: .orderRetrieval, status: .failed, limit: 51, offset: 50))
        // The store gives page 2's runs (offset 50) and one more.
        let runs = (51...101).map { C.run(Int64(200 - $0), .orderRetrieval, .failed) }
        let page = RunsPage.build(query, runs: runs, channels: ["shop"], csrf: "t")
        #expect(page.runs.count == 50)
        #expect(page.runs.first?.runID == "149" && page.runs.last?.runID == "100")
        #expect(page.summary == "Runs 51–100, newest first; more on the next page.")
        #expect(page.previous.map(\.href) == ["/runs?channel=shop&job=order-retrieval&status=failed"])
        #expect(page.next.map(\.href) == ["/runs?channel=shop&job=order-retrieval&status=failed&page=3"])
        #expect(page.jobOptions.filter(\.selected).map(\.value) == ["order-retrieval"])
        #expect(page.statusOptions.filter(\.selected).map(\.value) == ["failed"])
        #expect(page.frame.runsCurrent)

        let first = RunsPage.build(try RunsPage.Query(ConsoleQuery()), runs: [C.run(1, .productExport, .succeeded)], channels: [],
                                   csrf: "t")
        #expect(first.previous.isEmpty && first.next.isEmpty && first.summary == "Runs 1–1, newest first.")
        #expect(first.channelOptions.map(\.label) == ["All channels"] && first.channelOptions[0].selected)
        #expect(RunsPage.build(try RunsPage.Query(ConsoleQuery()), runs: [], channels: [], csrf: "t").summary == "No runs match.")
        #expect(try RunsPage.Query(ConsoleQuery(parsing: "page=1000")).filter.offset == 49_950)
        for bad in ["job=nothing", "status=done", "page=0", "page=-1", "page=x"] {
            #expect(throws: ConsoleError.self, "\(bad)") { try RunsPage.Query(ConsoleQuery(parsing: bad)) }
        }
    }

    @Test func aRunRowNamesItsFlags() {
        var run = C.run(7, .productExport, .held)
        run.dryRun = true
        run.force = true
        let row = RunRow(run)
        #expect(row.runJob == "product-export (dry run, forced)" && row.runStatusClass == "badge warn")
        #expect(row.runHref == "/runs/7" && row.runChannelHref == "/channels/shop" && row.runAttempt == "1/4")
        #expect(row.runFinished == "-")
    }

    @Test func aRunShowsItsFactsReportFilesAndLog() {
        var run = C.run(12, .productExport, .succeeded, finished: C.now)
        run.startedAt = C.now.addingTimeInterval(-12.34)
        run.counts = ["sent": 3, "invalid": 1]
        run.report = "3 sent"
        let export = ProductExportRecord(channel: "shop", runID: 12, mode: "delta", at: C.now, sent: 25, file: "out.csv",
                                         products: (1...25).map { "P\($0)" })
        let page = RunPage.build(RunPage.Input(run: run, lines: [RunLogLine(seq: 1, at: C.now, level: "warning", message: "<b>x</b>")],
                                               exports: [export], files: [("feedback file.csv", 2048), ("e.txt", 12)]), csrf: "t")
        #expect(page.heading == "Run 12: shop product-export")
        #expect(page.facts.contains(PageFact(label: "Duration", value: "12.3 s")))
        #expect(page.counts == [PageFact(label: "invalid", value: "1"), PageFact(label: "sent", value: "3")])
        #expect(page.hasReport && page.report == "3 sent" && !page.hasError)
        #expect(page.files.map(\.fileHref) == ["/runs/12/files/feedback%20file.csv", "/runs/12/files/e.txt"])
        #expect(page.files.map(\.size) == ["2.0 KB", "12 bytes"])
        #expect(page.logs == [RunPage.LogLine(at: "2026-03-11T12:00:00Z", level: "warning", levelClass: "level-warning", message: "<b>x</b>")])
        let text = RunPage.exportText(export)
        #expect(text.hasPrefix("delta export recorded 2026-03-11T12:00:00Z: 25 products sent to out.csv (P1, P2,"))
        #expect(text.hasSuffix("P20, … 5 more)"))
    }
}
