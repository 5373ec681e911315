import Foundation
import SyndicCore
import Testing
@testable import SyndicStore

private typealias Fixtures = RuntimeFixtures

/// A store fenced by a run attempt (`fenced(by:)`), on either backend: its writes go through
/// while the attempt holds the run, and are refused once another worker took the run back
/// or the run finished, so that two copies of a job never both act.
struct RunFenceTests {
    @Test(arguments: StateBackend.allCases)
    func aFencedWriteIsRefusedOnceAnotherWorkerTookTheRunBack(_ backend: StateBackend) throws {
        let workspace = try StateWorkspace(backend)
        let store = workspace.store
        try Fixtures.apply(store, [Fixtures.channel("shop")], at: Fixtures.t0)
        let run = try Fixtures.claimed(store, "shop", .orderRetrieval, worker: "w1", lease: 60, at: Fixtures.t0)
        let first = store.fenced(by: RunFence(runID: run.id, attempt: run.attempt, worker: "w1"))
        try first.setOrderCursor(channel: "shop", name: "retrieval", value: "held")
        #expect(try store.orderCursor(channel: "shop", name: "retrieval") == "held")

        // w1 stopped renewing its lease: once it expired, w2 takes the run back.
        let retaken = try #require(try store.claimRun(jobs: [.orderRetrieval], runID: nil, worker: "w2", lease: 60,
                                                      now: Fixtures.t0 + 61, retry: .standard))
        #expect(retaken.id == run.id)
        #expect(retaken.attempt == 2)
        #expect(throws: StoreError.fenced(runID: run.id, attempt: 1)) {
            try first.setOrderCursor(channel: "shop", name: "retrieval", value: "stale")
        }
        #expect(try first.orderCursor(channel: "shop", name: "retrieval") == "held", "reads still go through")

        // The new attempt writes until its run is finished.
        let second = store.fenced(by: RunFence(runID: run.id, attempt: 2, worker: "w2"))
        try second.setOrderCursor(channel: "shop", name: "retrieval", value: "new")
        _ = try store.finishRun(runID: run.id, worker: "w2", outcome: .succeeded(counts: [:], report: "done"),
                                now: Fixtures.t0 + 90, retry: .standard)
        #expect(throws: StoreError.fenced(runID: run.id, attempt: 2)) {
            try second.setOrderCursor(channel: "shop", name: "retrieval", value: "late")
        }
        #expect(try store.orderCursor(channel: "shop", name: "retrieval") == "new")
    }
}
