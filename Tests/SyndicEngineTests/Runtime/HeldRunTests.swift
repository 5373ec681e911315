import Foundation
import GRDB
import SyndicCore
import Testing
@testable import SyndicEngine
@testable import SyndicStore

/// A job that holds its output (a guarded product export) ends its run `held`, and `--force`
/// reaches the job through the run.
@Suite(.serialized)
struct HeldRunTests {
    static func executor(_ workspace: RuntimeWorkspace, _ jobs: [any Job]) -> RunExecutor {
        RunExecutor(store: workspace.store, registry: JobRegistry(jobs), worker: "test-worker", lease: 60,
                    workDirectory: workspace.workDirectory)
    }

    @Test func aJobThatHeldItsOutputFinishesTheRunHeld() async throws {
        let workspace = try RuntimeWorkspace()
        try workspace.apply([RuntimeWorkspace.channel("shop")])
        let job = TestJob(.productExport) { _ in
            JobResult(counts: ["read": 1, "to_send": 1], report: "held full export", heldBecause: "too few products")
        }
        let run = try workspace.claim("shop")
        let finished = try #require(await Self.executor(workspace, [job]).execute(run))
        #expect(finished.status == .held)
        #expect(finished.counts == ["read": 1, "to_send": 1])
        #expect(finished.report == "held full export")
        #expect(finished.error == nil)
        #expect(try workspace.messages(run.id).suffix(2) == [
            "held full export",
            "held: too few products; nothing was sent (syndic run shop product-export --force sends it once)",
        ])
        #expect(try workspace.store.events(channel: "shop", limit: 5).map(\.kind) == ["export-held"])
    }

    @Test func aForcedManualRunCarriesTheFlagToTheJob() async throws {
        let workspace = try RuntimeWorkspace()
        try workspace.apply([RuntimeWorkspace.channel("shop")])
        let seen = Locked<Bool?>(nil)
        let job = TestJob(.productExport) { context in
            seen.update { $0 = context.run.force }
            return JobResult(report: "done")
        }
        let runs = ManualRuns(store: workspace.store, registry: JobRegistry([job]))
        let queued = try runs.enqueue(channel: "shop", job: .productExport, dryRun: false, full: false, force: true,
                                      now: Date())
        #expect(queued.force)
        let finished = try await runs.runToCompletion(queued, workDirectory: workspace.workDirectory, progress: { _, _ in })
        #expect(finished.status == .succeeded)
        #expect(seen.value == true)
    }

    @Test(arguments: [
        (JobKind.orderRetrieval, false, "--force applies to product-export only"),
        (.productExport, true, "--force applies to a real export: a dry run sends nothing and is never held"),
    ])
    func forceIsRefusedWhereItMeansNothing(_ job: JobKind, _ dryRun: Bool, _ message: String) throws {
        let workspace = try RuntimeWorkspace()
        try workspace.apply([RuntimeWorkspace.channel("shop")])
        let runs = ManualRuns(store: workspace.store, registry: JobRegistry())
        #expect {
            _ = try runs.enqueue(channel: "shop", job: job, dryRun: dryRun, full: false, force: true, now: Date())
        } throws: { error in
            (error as? ManualRuns.Refused)?.description == message
        }
        #expect(try workspace.store.runs(RunFilter()).isEmpty)
    }
}
