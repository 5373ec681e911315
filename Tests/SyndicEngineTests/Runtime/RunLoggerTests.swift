import Foundation
import SyndicCore
import SyndicStore
import Testing
@testable import SyndicEngine

struct RunLoggerTests {
    /// A state with one queued run, whose own first log line is "queued (manual)".
    static func run() throws -> (RuntimeWorkspace, RunInfo) {
        let workspace = try RuntimeWorkspace()
        try workspace.apply([RuntimeWorkspace.channel("shop")])
        return (workspace, try workspace.enqueue("shop"))
    }

    static func logEveryLevel(_ logger: RunLogger) {
        logger.info("item 1 sent")
        logger.warning("item 2 has no price")
        logger.info("item 3 sent")
        logger.error("item 4 rejected: 400")
        logger.summary("3 sent, 1 rejected")
    }

    /// The lines the logger wrote, without the queue's own first line.
    static func written(_ workspace: RuntimeWorkspace, _ run: RunInfo) throws -> [String] {
        try workspace.lines(run.id).dropFirst().map { "\($0.level) \($0.message)" }
    }

    @Test func everyLineIsKeptWithoutMinimalLogs() throws {
        let (workspace, run) = try Self.run()
        let logger = RunLogger(queue: workspace.store, runID: run.id, minimal: false)
        Self.logEveryLevel(logger)
        logger.flush()
        #expect(try Self.written(workspace, run) == [
            "info item 1 sent", "warning item 2 has no price", "info item 3 sent", "error item 4 rejected: 400",
            "summary 3 sent, 1 rejected",
        ])
    }

    @Test func minimalLogsKeepOnlyWarningsErrorsAndTheSummary() throws {
        let (workspace, run) = try Self.run()
        let logger = RunLogger(queue: workspace.store, runID: run.id, minimal: true)
        Self.logEveryLevel(logger)
        logger.flush()
        #expect(try Self.written(workspace, run) == [
            "warning item 2 has no price", "error item 4 rejected: 400", "summary 3 sent, 1 rejected",
        ])
    }

    @Test func linesAreWrittenOnFlushAndOnlyOnce() throws {
        let (workspace, run) = try Self.run()
        let logger = RunLogger(queue: workspace.store, runID: run.id, minimal: false)
        logger.info("one")
        #expect(try Self.written(workspace, run).isEmpty)
        logger.flush()
        logger.flush()
        logger.info("two")
        logger.flush()
        #expect(try Self.written(workspace, run) == ["info one", "info two"])
        #expect(try workspace.lines(run.id).map(\.seq) == [1, 2, 3])
    }

    @Test func aFullBatchIsWrittenWithoutWaitingForAFlush() throws {
        let (workspace, run) = try Self.run()
        let logger = RunLogger(queue: workspace.store, runID: run.id, minimal: false)
        for item in 1..<500 { logger.info("item \(item)") }
        #expect(try Self.written(workspace, run).isEmpty)
        logger.info("item 500")
        let lines = try Self.written(workspace, run)
        #expect(lines.count == 500)
        #expect(lines.first == "info item 1")
        #expect(lines.last == "info item 500")
    }

    @Test func droppedLinesDoNotCountTowardsABatch() throws {
        let (workspace, run) = try Self.run()
        let logger = RunLogger(queue: workspace.store, runID: run.id, minimal: true)
        for item in 1...600 { logger.info("item \(item)") }
        logger.warning("kept")
        #expect(try Self.written(workspace, run).isEmpty)
        logger.flush()
        #expect(try Self.written(workspace, run) == ["warning kept"])
    }

    @Test func linesOfARunThatIsGoneAreDropped() throws {
        let (workspace, _) = try Self.run()
        let logger = RunLogger(queue: workspace.store, runID: 999, minimal: false)
        logger.error("nowhere")
        logger.flush()
        #expect(try workspace.store.run(id: 999) == nil)
    }
}
