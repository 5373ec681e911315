import Foundation
import Testing

/// Several worker processes on one SQLite state: no run twice, crashes recovered by leases,
/// clean shutdowns.
@Suite(.serialized) struct WorkerProcessTests {
    @Test func severalWorkersNeverRunARunTwice() throws {
        let workspace = try RuntimeScenario.applied(12)
        defer { workspace.remove() }
        var ids: [String] = []
        for index in 0..<12 {
            let queued = try workspace.syndic.run(["run", String(format: "shop_%02d", index), "product-export"])
            #expect(queued.status == 0, "\(queued.stderr)")
            ids.append(String(queued.stdout.split(separator: " ")[2].dropLast()))
        }
        let journal = workspace.root.appendingPathComponent("journal.txt")
        let environment = ["PROBE_JOURNAL": journal.path, "PROBE_SLEEP_MS": "300"]
        let workers = try (0..<3).map { _ in
            try RuntimeScenario.startWorker(workspace, arguments: ["--concurrency", "2", "--poll", "0.05"],
                                            environment: environment)
        }
        let finished = RuntimeScenario.eventually {
            RuntimeScenario.journal(journal).filter { $0.first == "end" }.count >= 12
        }
        for (process, _) in workers { process.terminate() }
        for (process, err) in workers {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(String(decoding: err.wait(), as: UTF8.self))")
        }
        #expect(finished)
        let lines = RuntimeScenario.journal(journal)
        let starts = lines.filter { $0.first == "start" }
        // Every run ran exactly once.
        #expect(starts.map { $0[1] }.sorted() == ids.sorted())
        // More than one process took part.
        #expect(Set(starts.map { $0[5] }).count >= 2)
        let succeeded = try workspace.syndic.run(["runs", "--status", "succeeded"])
        #expect(succeeded.stdout.split(separator: "\n").count == 13)
    }

    @Test func aKilledWorkersRunIsRetriedWhenItsLeaseExpires() throws {
        let workspace = try RuntimeScenario.applied(1)
        defer { workspace.remove() }
        let queued = try workspace.syndic.run(["run", "shop_00", "product-export"])
        #expect(queued.stdout == "Queued run 1: shop_00 product-export.\n")
        let journal = workspace.root.appendingPathComponent("journal.txt")
        let (doomed, _) = try RuntimeScenario.startWorker(
            workspace, arguments: ["--lease", "2", "--poll", "0.05"],
            environment: ["PROBE_JOURNAL": journal.path, "PROBE_SLEEP_MS": "60000"])
        #expect(RuntimeScenario.eventually(timeout: 20) { RuntimeScenario.journal(journal).contains { $0.first == "start" } })
        kill(doomed.processIdentifier, SIGKILL)
        doomed.waitUntilExit()

        let (rescuer, rescuerOutput) = try RuntimeScenario.startWorker(
            workspace, arguments: ["--lease", "2", "--poll", "0.1"],
            environment: ["PROBE_JOURNAL": journal.path, "PROBE_SLEEP_MS": "50"])
        let recovered = try RuntimeScenario.eventually(timeout: 30) {
            try workspace.syndic.run(["runs", "show", "1"]).stdout.contains("status:   succeeded")
        }
        rescuer.terminate()
        rescuer.waitUntilExit()
        #expect(recovered, "\(String(decoding: rescuerOutput.wait(), as: UTF8.self))")
        let show = try workspace.syndic.run(["runs", "show", "1"])
        #expect(show.stdout.contains("attempt:  2 of 4"))
        #expect(show.stdout.contains("stopped during attempt 1 (lease expired at"))
        #expect(show.stdout.contains("attempt 2 of 4 started by"))
        let starts = RuntimeScenario.journal(journal).filter { $0.first == "start" }
        #expect(starts.map { $0[4] } == ["1", "2"])
        #expect(starts[0][5] == String(doomed.processIdentifier))
    }

    @Test func sigtermLetsRunningJobsFinish() throws {
        let workspace = try RuntimeScenario.applied(1)
        defer { workspace.remove() }
        #expect(try workspace.syndic.run(["run", "shop_00", "product-export"]).status == 0)
        let journal = workspace.root.appendingPathComponent("journal.txt")
        let (worker, output) = try RuntimeScenario.startWorker(
            workspace, arguments: ["--grace", "20", "--poll", "0.05"],
            environment: ["PROBE_JOURNAL": journal.path, "PROBE_SLEEP_MS": "1500"])
        #expect(RuntimeScenario.eventually(timeout: 20) { RuntimeScenario.journal(journal).contains { $0.first == "start" } })
        worker.terminate()
        worker.waitUntilExit()
        let log = String(decoding: output.wait(), as: UTF8.self)
        #expect(worker.terminationStatus == 0, "\(log)")
        #expect(log.contains("waiting up to 20 s for 1 running job"))
        #expect(try workspace.syndic.run(["runs", "show", "1"]).stdout.contains("status:   succeeded"))
    }

    @Test func sigtermAfterTheGracePeriodGivesTheRunBack() throws {
        let workspace = try RuntimeScenario.applied(1)
        defer { workspace.remove() }
        #expect(try workspace.syndic.run(["run", "shop_00", "product-export"]).status == 0)
        let journal = workspace.root.appendingPathComponent("journal.txt")
        let (worker, output) = try RuntimeScenario.startWorker(
            workspace, arguments: ["--grace", "0.3", "--poll", "0.05"],
            environment: ["PROBE_JOURNAL": journal.path, "PROBE_SLEEP_MS": "60000"])
        #expect(RuntimeScenario.eventually(timeout: 20) { RuntimeScenario.journal(journal).contains { $0.first == "start" } })
        worker.terminate()
        worker.waitUntilExit()
        let log = String(decoding: output.wait(), as: UTF8.self)
        #expect(worker.terminationStatus == 0, "\(log)")
        #expect(log.contains("run 1: giving it back to the queue"))
        let show = try workspace.syndic.run(["runs", "show", "1"])
        #expect(show.stdout.contains("status:   queued"))
        #expect(show.stdout.contains("while shutting down; it will run again"))
    }

    @Test func failedAttemptsAreRetriedThenRaiseAnAlert() throws {
        let workspace = try RuntimeScenario.applied(1)
        defer { workspace.remove() }
        #expect(try workspace.syndic.run(["run", "shop_00", "product-export"]).status == 0)
        let (worker, _) = try RuntimeScenario.startWorker(
            workspace, arguments: ["--once"], environment: ["PROBE_SLEEP_MS": "10", "PROBE_FAIL_ATTEMPTS": "9"])
        worker.waitUntilExit()
        #expect(worker.terminationStatus == 0)
        let show = try workspace.syndic.run(["runs", "show", "1"])
        #expect(show.stdout.contains("status:   queued"))
        #expect(show.stdout.contains("attempt 1 failed: probe failure on attempt 1; retrying at"))
        #expect(show.stdout.contains("next attempt not before"))
    }

    @Test func deletingAChannelStopsItsRunningJobFirst() throws {
        let workspace = try RuntimeScenario.applied(2)
        defer { workspace.remove() }
        #expect(try workspace.syndic.run(["run", "shop_01", "product-export"]).status == 0)
        let journal = workspace.root.appendingPathComponent("journal.txt")
        let (worker, output) = try RuntimeScenario.startWorker(
            workspace, arguments: ["--lease", "1", "--poll", "0.05"],
            environment: ["PROBE_JOURNAL": journal.path, "PROBE_SLEEP_MS": "60000"])
        #expect(RuntimeScenario.eventually(timeout: 20) { RuntimeScenario.journal(journal).contains { $0.first == "start" } })
        let status = try workspace.syndic.run(["status", "shop_01"])
        #expect(status.stdout.contains("running: run 1 product-export (manual, attempt 1 of 4)"))

        try workspace.write("channels/all.yaml", RuntimeScenario.channels(1))
        let started = Date()
        let applied = try workspace.syndic.run(["apply", "--confirm-delete", "shop_01"])
        #expect(applied.status == 0, "\(applied.stderr)")
        // The job stopped at its next lease renewal instead of running its 60 seconds.
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(try workspace.syndic.run(["runs"]).stdout == "No runs.\n")
        worker.terminate()
        worker.waitUntilExit()
        let log = String(decoding: output.wait(), as: UTF8.self)
        #expect(log.contains("run 1: shop_01 product-export canceled"), "\(log)")
        #expect(!RuntimeScenario.journal(journal).contains { $0.first == "end" })
    }
}
