import Foundation
import SyndicCore
import SyndicEngine
import SyndicStore

/// Reconcile benchmark: generates N channel files and times validate, a full
/// plan, a full apply and a no-op plan, in process, against a fresh SQLite state.
enum ReconcileBenchmark {
    static func run(count: Int) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-bench-\(getpid())").path
        let configDirectory = root + "/channels"
        try FileManager.default.createDirectory(atPath: configDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }

        say("generating \(count) channel files in \(configDirectory)")
        let bytes = BenchmarkFixtures.write(channels: count, into: configDirectory)
        say(String(format: "  %.1f MB of YAML", Double(bytes) / 1_048_576))
        setenv("BENCH_MIRAKL_KEY", "bench-secret-value", 1)

        let store = try SQLiteStateStore(path: root + "/state.sqlite")
        let reconciler = Reconciler(directory: ConfigDirectory(path: configDirectory), store: store,
                                    secrets: SecretResolver(), now: Date())
        let loaded = try time("validate (cold, no cache)") { try reconciler.load(useCache: false) }
        precondition(!loaded.validated.hasErrors, "generated configuration has errors: \(loaded.validated.diagnostics.prefix(3))")
        let full = try time("plan (empty state)") { try reconciler.plan() }
        say("  \(full.plan.changes.count) changes")
        _ = time("  of which the planner alone") { Planner(now: Date()).plan(desired: full.desired, actual: .empty) }
        let applyStart = DispatchTime.now().uptimeNanoseconds
        let planned = try time("  apply: plan") { try reconciler.plan() }
        _ = try time("  apply: commit") { try reconciler.apply(planned, confirmedDeletes: [], user: "bench") }
        say("apply (\(count) new channels)".padding(toLength: 36, withPad: " ", startingAt: 0)
            + String(format: "%8.3f s", Double(DispatchTime.now().uptimeNanoseconds - applyStart) / 1e9))
        let noop = try time("plan (no-op, after apply)") { try reconciler.plan() }
        precondition(!noop.plan.hasChanges, "the no-op plan has changes")

        let peer = Process()
        peer.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        peer.arguments = ["python3", "-c", """
            import glob, sys, time, yaml
            files = sorted(glob.glob(sys.argv[1] + '/**/*.yaml', recursive=True))
            start = time.time()
            for path in files:
                with open(path) as handle:
                    list(yaml.load_all(handle, Loader=yaml.CSafeLoader))
            print('%-36s %8.3f s' % ('peer: PyYAML CSafeLoader parse', time.time() - start))
            """, configDirectory]
        do {
            try peer.run()
            peer.waitUntilExit()
        } catch {
            say("peer: python3 with PyYAML not available (\(error))")
        }
    }
}
