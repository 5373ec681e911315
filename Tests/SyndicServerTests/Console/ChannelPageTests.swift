import Foundation
import SyndicCore
@testable import SyndicServer
import Testing

/// A channel's page built without HTTP: settings with the commit that set them, schedules,
/// the actions offered, and the outcome of the last action.
@Suite struct ChannelPageTests {
    typealias C = ChannelsPageTests

    static func entry(_ serial: Int, commit: String?, _ changes: [HistoryChange], hoursAgo: Double) -> HistoryEntry {
        HistoryEntry(serial: serial, operation: "apply", at: C.now.addingTimeInterval(-hoursAgo * 3600),
                     user: "ci", gitCommit: commit, changes: changes)
    }

    static func input(spec: String = C.activeSpec, suspended: Bool = false, history: [HistoryEntry] = [],
                      query: ConsoleQuery = ConsoleQuery()) -> ChannelPage.Input {
        var state = C.state("shop", spec: spec, suspended: suspended)
        state.resource.labelsJSON = #"{"team":"emea"}"#
        return ChannelPage.Input(channel: ChannelFacts.Input(state: state, runsByJob: [:]), history: history,
                                 recentRuns: [C.run(5, .productExport, .failed)], query: query)
    }

    @Test func eachSettingNamesTheRevisionThatSetIt() throws {
        let history = [
            Self.entry(3, commit: nil, [HistoryChange(address: "channel.shop", action: "suspend", field: "suspension", before: nil,
                                                      after: "x")], hoursAgo: 1),
            // Apply records a schedule change under `schedule.JOB` (see Applier.history).
            Self.entry(2, commit: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
                       [HistoryChange(address: "channel.shop", action: "schedule", field: "schedule.product-export",
                                      before: "daily at 01:00", after: "daily at 02:30")], hoursAgo: 24),
            Self.entry(1, commit: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                       [HistoryChange(address: "channel.shop", action: "create", field: nil, before: nil, after: "6 fields")],
                       hoursAgo: 48),
            // A channel of the same name that was deleted before: its revisions are not this one's.
            Self.entry(0, commit: "cccccccccccccccccccccccccccccccccccccccc",
                       [HistoryChange(address: "channel.shop", action: "update", field: "status", before: "inactive",
                                      after: "active")], hoursAgo: 72),
        ]
        let page = ChannelPage.build(Self.input(history: history), now: C.now, csrf: "t")
        let settings = Dictionary(uniqueKeysWithValues: page.settings.map { ($0.path, $0) })
        #expect(page.settings.map(\.path) == ["orders.retrieval", "products.export.schedule.at", "source.connection", "status", "type",
                                              "labels.team"])
        let at = try #require(settings["products.export.schedule.at"])
        #expect(at.value == "02:30" && at.commit == "bbbbbbbbbbbb" && at.commitTitle == String(repeating: "b", count: 40))
        #expect(at.revision == "serial 2, apply by ci at 2026-03-10T12:00:00Z")
        #expect(settings["type"]?.commit == "aaaaaaaaaaaa", "fields never changed since come from the create")
        #expect(settings["status"]?.commit == "aaaaaaaaaaaa", "revisions before the newest create are not this channel's")
        #expect(settings["labels.team"]?.value == "emea")

        let noHistory = ChannelPage.build(Self.input(), now: C.now, csrf: "t")
        #expect(noHistory.settings.allSatisfy { $0.commit == "-" && $0.revision == "not in the history kept" })
        let uncommitted = ChannelPage.build(Self.input(history: [Self.entry(1, commit: nil, [HistoryChange(
            address: "channel.shop", action: "create", field: nil, before: nil, after: nil)], hoursAgo: 1)]), now: C.now, csrf: "t")
        #expect(uncommitted.settings.first?.commit == "no commit recorded")
    }

    @Test func schedulesListTheNextThreeFireTimesAndWhetherTheyFire() {
        let page = ChannelPage.build(Self.input(), now: C.now, csrf: "t")
        #expect(page.schedules.map(\.scheduleJob) == ["product-export", "order-retrieval"])
        #expect(page.schedules[0].schedule == "daily at 02:30" && page.schedules[0].zone == "UTC")
        #expect(page.schedules[0].fireTimes == ["2026-03-12T02:30:00Z", "2026-03-13T02:30:00Z", "2026-03-14T02:30:00Z"])
        #expect(page.schedules[1].fireTimes == ["2026-03-11T12:05:00Z", "2026-03-11T12:10:00Z", "2026-03-11T12:15:00Z"])
        #expect(!page.hasScheduleNote)
        let suspended = ChannelPage.build(Self.input(suspended: true), now: C.now, csrf: "t")
        #expect(suspended.hasScheduleNote && suspended.scheduleNote.hasPrefix("While the channel is suspended"))
        #expect(suspended.schedules[0].fireTimes.count == 3, "the times it would fire are still shown")
    }

    @Test func actionsPostToTheChannelAndOfferItsJobs() {
        let page = ChannelPage.build(Self.input(), now: C.now, csrf: "t")
        #expect(page.suspendAction == "/channels/shop/suspend" && page.resumeAction == "/channels/shop/resume")
        #expect(page.runAction == "/channels/shop/run")
        #expect(page.jobOptions.map(\.value) == ["product-export", "requirements-sync", "order-retrieval"])
        #expect(page.canDryRun && !page.suspended)
        #expect(page.sourceFile == "channels/shop.yaml")
        #expect(page.runs.map(\.runID) == ["5"] && page.runsHref == "/runs?channel=shop")
        let retrievalOnly = ChannelPage.build(Self.input(spec: #"{"orders":{"retrieval":true},"status":"active","type":"amazon"}"#),
                                              now: C.now, csrf: "t")
        #expect(!retrievalOnly.canDryRun && retrievalOnly.jobOptions.map(\.value) == ["order-retrieval"])
    }

    @Test func theOutcomeOfAnActionShowsOnce() {
        #expect(ChannelPage.flash(ConsoleQuery()) == nil)
        #expect(ChannelPage.flash(ConsoleQuery(parsing: "done=suspended"))?.flashText.hasPrefix("Channel suspended") == true)
        #expect(ChannelPage.flash(ConsoleQuery(parsing: "done=resumed"))?.flashText.hasPrefix("Channel resumed") == true)
        let queued = ChannelPage.flash(ConsoleQuery(parsing: "done=queued&run=42"))
        #expect(queued?.flashHref == "/runs/42" && queued?.hasFlashLink == true)
        #expect(ChannelPage.flash(ConsoleQuery(parsing: "done=queued&run=x"))?.hasFlashLink == false)
        #expect(ChannelPage.flash(ConsoleQuery(parsing: "done=<script>")) == nil, "only known outcomes are shown")
    }
}
