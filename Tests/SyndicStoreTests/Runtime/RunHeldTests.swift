import Foundation
import SyndicCore
import Testing
@testable import SyndicStore

private typealias Fixtures = RuntimeFixtures

/// Held runs and forced runs on both backends: a run queued with `force` carries it to the
/// worker that claims it; a held outcome finishes the run `held` (not retried) with its
/// counts and report, a warning line and an `export-held` alert.
struct RunHeldTests {
    static func shop(_ backend: StateBackend) throws -> StateWorkspace {
        let workspace = try StateWorkspace(backend)
        try Fixtures.apply(workspace.store, [Fixtures.channel("shop")], at: Fixtures.t0)
        return workspace
    }

    @Test(arguments: StateBackend.allCases)
    func theForceFlagTravelsWithTheRun(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let forced = try store.enqueue(RunRequest(channel: "shop", job: .productExport, trigger: .manual, full: true,
                                                  force: true), now: Fixtures.t0, retry: .standard)
        #expect(forced.force)
        #expect(try Fixtures.messages(store, forced.id) == ["queued (full, forced)"])
        let claimed = try #require(try store.claimRun(jobs: [.productExport], runID: nil, worker: "w1", lease: 60,
                                                      now: Fixtures.t0, retry: .standard))
        #expect(claimed.id == forced.id && claimed.force && claimed.full)
        // Another process reading the state sees it too.
        #expect(try workspace.reopen().run(id: forced.id)?.0.force == true)

        let plain = try Fixtures.enqueue(store, "shop", .requirementsSync, at: Fixtures.t0)
        #expect(!plain.force)
        #expect(try Fixtures.messages(store, plain.id) == ["queued (manual)"])
    }

    @Test(arguments: StateBackend.allCases)
    func aHeldRunIsFinishedNotRetriedAndRaisesAnAlert(_ backend: StateBackend) throws {
        let workspace = try Self.shop(backend)
        let store = workspace.store
        let run = try Fixtures.claimed(store, "shop", .productExport, at: Fixtures.t0)
        let later = Fixtures.t0.addingTimeInterval(5)
        let held = try #require(try store.finishRun(
            runID: run.id, worker: "w1",
            outcome: .held(counts: ["read": 1, "sent": 0, "to_send": 1], report: "held full export",
                           reason: "it would export 1 product, 90% fewer than the 10 of the last successful export"),
            now: later, retry: .standard))
        #expect(held.status == .held)
        #expect(held.status.isFinished)
        #expect(held.finishedAt == later)
        #expect(held.attempt == 1)
        #expect(held.error == nil)
        #expect(held.leaseOwner == nil)
        #expect(held.counts == ["read": 1, "sent": 0, "to_send": 1])
        #expect(held.report == "held full export")
        let reason = "it would export 1 product, 90% fewer than the 10 of the last successful export"
        #expect(try Fixtures.messages(store, run.id).last
                == "held: \(reason); nothing was sent (syndic run shop product-export --force sends it once)")
        let event = try #require(try store.events(channel: "shop", limit: 10).first)
        #expect(event.kind == "export-held")
        #expect(event.runID == run.id)
        #expect(event.at == later)
        #expect(event.message
                == "product-export of shop held: \(reason); nothing was sent (syndic run shop product-export --force sends it once)")

        // Not queued again; the job is free for the next run; listed by its status.
        #expect(try store.claimRun(jobs: [.productExport], runID: nil, worker: "w1", lease: 60,
                                   now: later.addingTimeInterval(3600), retry: .standard) == nil)
        #expect(try Fixtures.enqueue(store, "shop", .productExport, at: later).status == .queued)
        #expect(try store.runs(RunFilter(status: .held)).map(\.id) == [run.id])

        // Retention removes held runs like other finished ones.
        #expect(try store.purgeExpiredRuns(now: later.addingTimeInterval(31 * 86_400), defaultRetainDays: 30) == 1)
        #expect(try store.run(id: run.id) == nil)
    }
}
