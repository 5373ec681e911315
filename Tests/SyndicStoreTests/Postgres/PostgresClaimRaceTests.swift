import Foundation
import SyndicCore
import Testing
@testable import SyndicStore

private typealias Fixtures = RuntimeFixtures

/// The run queue of a shared PostgreSQL state while workers claim at once, each with
/// connections of its own, as on several hosts: a run goes to one worker, and the same job
/// of a channel never runs twice.
struct PostgresClaimRaceTests {
    /// The runs each worker claimed, and the errors they met, gathered from their threads.
    final class Claims: @unchecked Sendable {
        private let lock = NSLock()
        private var claimed: [String: [Int64]] = [:]
        private var failures: [String] = []

        func record(_ id: Int64, by worker: String) { lock.withLock { claimed[worker, default: []].append(id) } }
        func fail(_ error: any Error, worker: String) { lock.withLock { failures.append("\(worker): \(error)") } }
        var byWorker: [String: [Int64]] { lock.withLock { claimed } }
        var errors: [String] { lock.withLock { failures } }
    }

    /// Four workers, each on a store of its own, claim every job until none is left, all
    /// at once on threads of their own; returns what each claimed.
    static func claimAll(_ workspace: StateWorkspace) throws -> Claims {
        let workers = try (0..<4).map { _ in try workspace.reopen() }
        let claims = Claims()
        let group = DispatchGroup()
        for (index, worker) in workers.enumerated() {
            group.enter()
            Thread {
                let name = "w\(index)"
                do {
                    while let run = try worker.claimRun(jobs: Set(JobKind.allCases), runID: nil, worker: name,
                                                        lease: 600, now: Fixtures.t0 + 1, retry: .standard) {
                        claims.record(run.id, by: name)
                    }
                } catch {
                    claims.fail(error, worker: name)
                }
                group.leave()
            }.start()
        }
        group.wait()
        return claims
    }

    @Test func concurrentClaimsTakeEveryRunExactlyOnce() throws {
        let workspace = try StateWorkspace(.postgres)
        let store = workspace.store
        let channels = (1...10).map { "c\($0)" }
        try Fixtures.apply(store, channels.map { Fixtures.channel($0) }, at: Fixtures.t0)
        let queued = try channels.flatMap { channel in
            try [JobKind.orderExport, .orderRetrieval, .productExport].map {
                try Fixtures.enqueue(store, channel, $0, at: Fixtures.t0).id
            }
        }
        #expect(queued.count == 30)

        let claims = try Self.claimAll(workspace)
        #expect(claims.errors.isEmpty, "\(claims.errors)")
        let claimed = claims.byWorker.values.flatMap { $0 }
        #expect(claimed.count == queued.count, "no run is claimed twice")
        #expect(Set(claimed) == Set(queued), "every run is claimed")
        for (worker, ids) in claims.byWorker {
            for id in ids {
                #expect(try store.run(id: id)?.0.leaseOwner == worker, "run \(id)")
            }
        }
    }

    /// Two processes could each queue a run of the same job; however many workers claim at
    /// once, only one of them runs.
    @Test func concurrentClaimsNeverRunTheSameJobOfAChannelTwice() throws {
        let workspace = try StateWorkspace(.postgres)
        let store = workspace.store
        let channels = (1...8).map { "c\($0)" }
        try Fixtures.apply(store, channels.map { Fixtures.channel($0) }, at: Fixtures.t0)
        for channel in channels {
            try Fixtures.insertQueued(store, channel, .productExport, at: Fixtures.t0)
            try Fixtures.insertQueued(store, channel, .productExport, full: true, at: Fixtures.t0)
            try Fixtures.insertQueued(store, channel, .productExport, at: Fixtures.t0)
        }

        let claims = try Self.claimAll(workspace)
        #expect(claims.errors.isEmpty, "\(claims.errors)")
        #expect(claims.byWorker.values.flatMap { $0 }.count == channels.count)
        let running = try store.runs(RunFilter(status: .running, limit: 100))
        #expect(running.map(\.channel).sorted() == channels.sorted(), "one export running per channel")
        #expect(try store.runs(RunFilter(status: .queued, limit: 100)).count == 2 * channels.count)
    }
}
