import Foundation
import SyndicTestSupport
import Testing

/// The state on a real PostgreSQL server, through the commands as a user runs them: the same
/// plans as on SQLite, several worker processes sharing one queue, a killed worker's run
/// taken back, concurrent applies, a server restart under a worker, moving a SQLite state.
@Suite(.serialized) struct PostgresStateTests {
    /// A workspace whose commands use a new database of the test server.
    static func workspace() throws -> (Workspace, String) {
        var workspace = try Workspace()
        let url = try PostgresServer.shared().makeDatabase()
        workspace.syndic.environment["SYNDIC_STATE"] = url
        return (workspace, url)
    }

    @Test(arguments: ["text", "json", "markdown"])
    func plansMatchTheGoldenFilesOfSQLite(format: String) throws {
        let (workspace, _) = try Self.workspace()
        defer { workspace.remove() }
        try workspace.use(fixture: "v1")
        let syndic = Scenario.syndic(workspace)
        let initial = try syndic.run(["plan", "--format", format])
        #expect(initial.status == 0, "\(initial.stderr)")
        let suffix = format == "markdown" ? "md" : format
        try Golden.check(initial.stdout, "plan-v1.\(suffix)")
        #expect(try syndic.run(["apply"]).status == 0)
        try Scenario.moveToV2(workspace)
        let changed = try Scenario.syndic(workspace, extra: ["MIRAKL_FR_KEY": "mirakl-key-2"])
            .run(["plan", "--format", format])
        #expect(changed.status == 0, "\(changed.stderr)")
        try Golden.check(changed.stdout, "plan-v1-to-v2.\(suffix)")
    }

    @Test func threeWorkersRunThirtyRunsExactlyOnce() throws {
        let url = try PostgresServer.shared().makeDatabase()
        let workspace = try RuntimeScenario.applied(30, state: url)
        defer { workspace.remove() }
        var ids: [String] = []
        for index in 0..<30 {
            let queued = try workspace.syndic.run(["run", String(format: "shop_%02d", index), "product-export"])
            #expect(queued.status == 0, "\(queued.stderr)")
            ids.append(String(queued.stdout.split(separator: " ")[2].dropLast()))
        }
        let journal = workspace.root.appendingPathComponent("journal.txt")
        let workers = try (0..<3).map { _ in
            try RuntimeScenario.startWorker(workspace, arguments: ["--concurrency", "2", "--poll", "0.05"],
                                            environment: ["PROBE_JOURNAL": journal.path, "PROBE_SLEEP_MS": "100"])
        }
        let finished = RuntimeScenario.eventually {
            RuntimeScenario.journal(journal).filter { $0.first == "end" }.count >= 30
        }
        for (process, _) in workers { process.terminate() }
        for (process, err) in workers {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(String(decoding: err.wait(), as: UTF8.self))")
        }
        #expect(finished)
        let starts = RuntimeScenario.journal(journal).filter { $0.first == "start" }
        #expect(starts.map { $0[1] }.sorted() == ids.sorted())
        #expect(Set(starts.map { $0[5] }).count >= 2)
        let succeeded = try workspace.syndic.run(["runs", "--status", "succeeded", "--limit", "100"])
        #expect(succeeded.stdout.split(separator: "\n").count == 31, "\(succeeded.stdout)")
    }

    @Test func aKilledWorkersRunIsRetriedAfterItsLease() throws {
        let url = try PostgresServer.shared().makeDatabase()
        let workspace = try RuntimeScenario.applied(1, state: url)
        defer { workspace.remove() }
        #expect(try workspace.syndic.run(["run", "shop_00", "product-export"]).status == 0)
        let journal = workspace.root.appendingPathComponent("journal.txt")
        let (doomed, _) = try RuntimeScenario.startWorker(
            workspace, arguments: ["--lease", "2", "--poll", "0.05"],
            environment: ["PROBE_JOURNAL": journal.path, "PROBE_SLEEP_MS": "60000"])
        #expect(RuntimeScenario.eventually(timeout: 20) { RuntimeScenario.journal(journal).contains { $0.first == "start" } })
        kill(doomed.processIdentifier, SIGKILL)
        doomed.waitUntilExit()
        let (rescuer, _) = try RuntimeScenario.startWorker(
            workspace, arguments: ["--lease", "2", "--poll", "0.1"],
            environment: ["PROBE_JOURNAL": journal.path, "PROBE_SLEEP_MS": "50"])
        let recovered = try RuntimeScenario.eventually(timeout: 30) {
            try workspace.syndic.run(["runs", "show", "1"]).stdout.contains("status:   succeeded")
        }
        rescuer.terminate()
        rescuer.waitUntilExit()
        #expect(recovered)
        let lines = RuntimeScenario.journal(journal)
        // The killed attempt started and never ended; the second ran once, to the end.
        #expect(lines.filter { $0.first == "start" }.map { $0[4] } == ["1", "2"])
        #expect(lines.filter { $0.first == "end" }.map { $0[4] } == ["2"])
    }

    @Test func twoAppliesAtOnceOneFailsFastAndOneWaits() throws {
        let (workspace, _) = try Self.workspace()
        defer { workspace.remove() }
        try workspace.use(fixture: "v1")
        let syndic = Scenario.syndic(workspace)
        let (first, _, firstErr) = try syndic.start(["apply"], extra: ["SYNDIC_FAULT_APPLY_PAUSE_MS": "3000"])
        let firstErrors = ReadInBackground(firstErr)
        // The first apply holds the lock while its transaction pauses.
        Thread.sleep(forTimeInterval: 1.5)
        let fast = try syndic.run(["apply"])
        #expect(fast.status == 1)
        #expect(fast.stderr.contains("another syndic process holds the state lock"), "\(fast.stderr)")
        #expect(fast.stderr.contains("syndic apply by tester"), "\(fast.stderr)")
        let waiting = try syndic.run(["apply", "--lock-timeout", "30"])
        first.waitUntilExit()
        #expect(first.terminationStatus == 0, "\(String(decoding: firstErrors.wait(), as: UTF8.self))")
        #expect(waiting.status == 0, "\(waiting.stderr)")
        #expect(waiting.stdout.contains("No changes"), "\(waiting.stdout)")
    }

    @Test func aWorkerGoesOnAfterTheServerRestarts() throws {
        let server = try PostgresServer.shared()
        let url = try server.makeDatabase()
        let workspace = try RuntimeScenario.applied(2, state: url)
        defer { workspace.remove() }
        let journal = workspace.root.appendingPathComponent("journal.txt")
        let (worker, output) = try RuntimeScenario.startWorker(
            workspace, arguments: ["--poll", "0.1"], environment: ["PROBE_JOURNAL": journal.path, "PROBE_SLEEP_MS": "50"])
        defer { worker.terminate(); worker.waitUntilExit() }
        #expect(try workspace.syndic.run(["run", "shop_00", "product-export"]).status == 0)
        #expect(RuntimeScenario.eventually(timeout: 30) {
            RuntimeScenario.journal(journal).filter { $0.first == "end" }.count == 1
        })
        server.stop()
        Thread.sleep(forTimeInterval: 1)
        try server.start()
        let queued = try workspace.syndic.run(["run", "shop_01", "product-export"])
        #expect(queued.status == 0, "\(queued.stderr)")
        let resumed = RuntimeScenario.eventually(timeout: 60) {
            RuntimeScenario.journal(journal).filter { $0.first == "end" }.count == 2
        }
        worker.terminate()
        worker.waitUntilExit()
        #expect(resumed, "\(String(decoding: output.wait(), as: UTF8.self))")
    }

    @Test func aSQLiteStateMovesToPostgreSQLWithEverything() throws {
        let workspace = try Scenario.appliedV1()
        defer { workspace.remove() }
        let sqlite = Scenario.syndic(workspace)
        #expect(try sqlite.run(["suspend", "mirakl_fr", "--reason", "stock audit"]).status == 0)
        let url = try PostgresServer.shared().makeDatabase()
        let migrated = try sqlite.run(["state", "migrate", "--to", url])
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(migrated.stdout.contains("every table's count matches"), "\(migrated.stdout)")
        var postgres = sqlite
        postgres.environment["SYNDIC_STATE"] = url
        for command in [["status"], ["history"], ["plan"]] {
            let before = try sqlite.run(command)
            let after = try postgres.run(command)
            #expect(after.status == before.status, "\(command): \(after.stderr)")
            #expect(after.stdout == before.stdout, "\(command) differs after the move")
        }
        // The target is no longer empty: a second move is refused and changes nothing.
        let again = try sqlite.run(["state", "migrate", "--to", url])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already holds a state"), "\(again.stderr)")
    }

    @Test func anUnreachableServerIsNamedWithoutThePassword() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let port = try PostgresServer.freePort()
        let result = try workspace.syndic.run(["status", "--state", "postgres://merchant@127.0.0.1:\(port)/syndic"],
                                             extra: ["PGPASSWORD": "s3cret-pass"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("127.0.0.1:\(port)"), "\(result.stderr)")
        #expect(!result.stderr.contains("s3cret-pass"))
        let withPassword = try workspace.syndic.run(["status", "--state", "postgres://merchant:s3cret-pass@127.0.0.1/db"])
        #expect(withPassword.status == 1)
        #expect(withPassword.stderr.contains("PGPASSWORD"), "\(withPassword.stderr)")
        #expect(!withPassword.stderr.contains("s3cret-pass"))
    }
}

/// Two hosts sharing one PostgreSQL state: the delta snapshot lives in the database, not in
/// a host's work folder.
@Suite(.serialized) struct PostgresSharedStateTests {
    static func product(_ sku: String, name: String) -> String {
        #"{"identifier":"\#(sku)","enabled":true,"family":"bags","categories":[],"values":{"name":[{"locale":null,"scope":null,"data":"\#(name)"}]}}"#
    }

    @Test func aDeltaExportOnAnotherHostSendsOnlyWhatChanged() throws {
        let url = try PostgresServer.shared().makeDatabase()
        var hostA = try Workspace()
        defer { hostA.remove() }
        hostA.syndic.environment["SYNDIC_STATE"] = url
        let channels = RuntimeScenario.channels(1)
            .replacingOccurrences(of: "    export:\n", with: "    export:\n      delta: true\n")
        try hostA.write("channels/all.yaml", channels)
        let applied = try hostA.syndic.run(["apply"])
        #expect(applied.status == 0, "\(applied.stderr)")
        let catalog = hostA.root.appendingPathComponent("channels/catalog.jsonl")
        let products = (1...5).map { Self.product("SKU-\($0)", name: "Bag \($0)") }
        try Data((products.joined(separator: "\n") + "\n").utf8).write(to: catalog)
        let full = try hostA.syndic.run(["run", "shop_00", "product-export", "--full", "--wait"])
        #expect(full.status == 0, "\(full.stdout)\(full.stderr)")
        #expect(full.stdout.contains("full export from catalog file"), "\(full.stdout)")
        #expect(full.stdout.contains("5 read, 5 sent"), "\(full.stdout)")

        var changed = products
        changed[2] = Self.product("SKU-33", name: "Bag 3")
        try Data((changed.joined(separator: "\n") + "\n").utf8).write(to: catalog)
        // Host B: another working directory, so another work folder; the same database.
        var hostB = try Workspace()
        defer { hostB.remove() }
        hostB.syndic.environment["SYNDIC_STATE"] = url
        let delta = try hostB.syndic.run(["run", "shop_00", "product-export", "--wait"])
        #expect(delta.status == 0, "\(delta.stdout)\(delta.stderr)")
        #expect(delta.stdout.contains("delta export from catalog file"), "\(delta.stdout)")
        #expect(delta.stdout.contains("5 read, 1 sent, 4 unchanged"), "\(delta.stdout)")
        #expect(!FileManager.default.fileExists(atPath: hostB.root.appendingPathComponent(".syndic/state.sqlite").path))
    }
}
