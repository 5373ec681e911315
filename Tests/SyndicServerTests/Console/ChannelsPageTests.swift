import Foundation
import SyndicCore
@testable import SyndicServer
import Testing

/// The channels page and the channel facts it shares with a channel's page, built without HTTP.
@Suite struct ChannelsPageTests {
    /// Wednesday 2026-03-11 12:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_773_230_400)

    static func state(_ name: String, spec: String, suspended: Bool = false,
                      credentials: [CredentialState] = []) -> ChannelState {
        ChannelState(resource: AppliedResource(kind: .channel, name: name, type: "mirakl", specJSON: spec, labelsJSON: "{}",
                                               sourceFile: "channels/\(name).yaml"),
                     suspension: suspended ? Suspension(reason: "audit", by: "ops", at: now.addingTimeInterval(-3600)) : nil,
                     credentials: credentials)
    }

    static func run(_ id: Int64, _ job: JobKind, _ status: RunStatus, finished: Date? = nil) -> RunInfo {
        RunInfo(id: id, channel: "shop", job: job, trigger: .schedule, dryRun: false, full: false, status: status, attempt: 1,
                maxAttempts: 4, notBefore: now, queuedAt: now.addingTimeInterval(-600), finishedAt: finished,
                cancelRequested: false, counts: [:])
    }

    static let activeSpec = #"{"orders":{"retrieval":true},"products":{"export":{"schedule":{"at":"02:30"}}},"source":{"connection":"pim"},"status":"active","type":"mirakl"}"#

    @Test func jobsShowTheirNextFireAndLastRun() throws {
        let input = ChannelFacts.Input(
            state: Self.state("shop", spec: Self.activeSpec),
            runsByJob: [.productExport: [Self.run(9, .productExport, .running), Self.run(8, .productExport, .succeeded,
                                                                                          finished: Self.now.addingTimeInterval(-60))]])
        let page = ChannelsPage.build([input], now: Self.now, csrf: "token")
        let row = try #require(page.channels.first)
        #expect(row.status == "active" && !row.needsAttention && row.attention.isEmpty)
        #expect(page.summary == "1 channel; none needs attention.")
        #expect(row.jobs.map(\.job) == ["product-export", "requirements-sync", "order-retrieval"])
        let export = row.jobs[0]
        #expect(export.next == "2026-03-12T02:30:00Z")
        #expect(export.hasLastRun && export.lastRunText == "run 8" && export.lastRunHref == "/runs/8")
        #expect(export.lastRunStatus == "succeeded" && export.lastRunStatusClass == "badge ok")
        #expect(export.lastRunFinished == "2026-03-11T11:59:00Z")
        #expect(export.hasCurrent && export.current == "run 9 running")
        #expect(row.jobs[1].next == "not scheduled (run on demand)" && !row.jobs[1].hasLastRun && row.jobs[1].lastRunText == "never run")
        #expect(row.jobs[2].next == "2026-03-11T12:05:00Z")
        #expect(page.frame.channelsCurrent && !page.frame.ordersCurrent && page.frame.csrf == "token")
    }

    @Test func suspensionsRejectedCredentialsAndFailedRunsNeedAttention() throws {
        let rejected = CredentialState(path: "credentials.apiKey", status: "invalid", message: "401", changedAt: Self.now)
        let inputs = [
            ChannelFacts.Input(state: Self.state("a_suspended", spec: Self.activeSpec, suspended: true), runsByJob: [:]),
            ChannelFacts.Input(state: Self.state("b_rejected", spec: Self.activeSpec, credentials: [rejected]), runsByJob: [:]),
            ChannelFacts.Input(state: Self.state("c_failed", spec: Self.activeSpec),
                               runsByJob: [.orderRetrieval: [Self.run(3, .orderRetrieval, .failed), Self.run(2, .orderRetrieval, .succeeded)],
                                           .productExport: [Self.run(4, .productExport, .held)]]),
            ChannelFacts.Input(state: Self.state("d_inactive", spec: Self.activeSpec.replacingOccurrences(of: "\"active\"", with: "\"inactive\"")),
                               runsByJob: [:]),
        ]
        let page = ChannelsPage.build(inputs, now: Self.now, csrf: "t")
        #expect(page.summary == "3 of 4 channels need attention.")
        let rows = Dictionary(uniqueKeysWithValues: page.channels.map { ($0.name, $0) })
        let suspended = try #require(rows["a_suspended"])
        #expect(suspended.suspended && suspended.status == "active, suspended")
        #expect(suspended.suspension == "since 2026-03-11T11:00:00Z by ops: audit")
        #expect(suspended.attention == "suspended: audit")
        #expect(suspended.jobs.first?.next == "none while suspended")
        let credentials = try #require(rows["b_rejected"])
        #expect(credentials.credentialsInvalid && credentials.credentials == "rejected" && credentials.attention == "credentials rejected")
        let failed = try #require(rows["c_failed"])
        #expect(failed.attention == "last product-export held; last order-retrieval failed")
        let inactive = try #require(rows["d_inactive"])
        #expect(!inactive.needsAttention && inactive.status == "inactive")
        #expect(inactive.jobs.first?.next == "none while inactive")
        #expect(ChannelsPage.build([], now: Self.now, csrf: "t").summary.hasPrefix("No channels applied yet"))
    }
}
