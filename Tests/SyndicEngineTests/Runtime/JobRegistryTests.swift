import Foundation
import SyndicCore
import SyndicStore
import Testing
@testable import SyndicEngine

/// `JobRegistry`, `JobContext` and `WorkerOptions` (Job.swift, WorkerOptions.swift).
struct JobRegistryTests {
    @Test func aRegistryRunsTheKindsItHolds() {
        let registry = JobRegistry([TestJob(.productExport), TestJob(.orderRetrieval)])
        #expect(registry.kinds == [.productExport, .orderRetrieval])
        #expect(registry.job(.productExport)?.kind == .productExport)
        #expect(registry.job(.orderExport) == nil)
        #expect(JobRegistry().kinds.isEmpty)
    }

    @Test func theLastImplementationOfAKindWins() async throws {
        let registry = JobRegistry([TestJob(.productExport) { _ in JobResult(report: "first") },
                                    TestJob(.productExport) { _ in JobResult(report: "second") }])
        #expect(registry.kinds == [.productExport])
        let workspace = try RuntimeWorkspace()
        try workspace.apply([RuntimeWorkspace.channel("shop")])
        let run = try workspace.claim("shop")
        let finished = await RunExecutor(store: workspace.store, registry: registry, worker: "test-worker", lease: 60,
                                         workDirectory: workspace.workDirectory).execute(run)
        #expect(finished?.report == "second")
    }

    @Test func checkCancellationThrowsOnceTheJobIsCanceled() async throws {
        let workspace = try RuntimeWorkspace()
        try workspace.apply([RuntimeWorkspace.channel("shop")])
        let run = try workspace.claim("shop")
        let context = JobContext(run: run, channel: RuntimeWorkspace.channel("shop"), spec: .object([:]), connections: [:],
                                 log: RunLogger(queue: workspace.store, runID: run.id, minimal: false),
                                 progress: { _ in }, workDirectory: workspace.workDirectory, now: { Date() },
                                 exports: workspace.store, orders: workspace.store)
        #expect(throws: Never.self) { try context.checkCancellation() }
        let task = Task {
            while !Task.isCancelled { try? await Task.sleep(nanoseconds: 5_000_000) }
            return Result { try context.checkCancellation() }
        }
        task.cancel()
        let result = await task.value
        #expect(throws: CancellationError.self) { try result.get() }
    }

    @Test func workerOptionsDefaults() {
        let options = WorkerOptions()
        #expect(options.concurrency == 2)
        #expect(options.lease == 60)
        #expect(options.pollInterval == 1)
        #expect(options.grace == 30)
        #expect(options.once == false)
        #expect(options.defaultRetainDays == 30)
        #expect(options.purgeInterval == 3600)
    }
}
