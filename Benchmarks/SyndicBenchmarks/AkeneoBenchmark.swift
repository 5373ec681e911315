import Foundation
import SyndicCore
import SyndicEngine
import SyndicStore
import SyndicTestSupport

/// Parallel full reads from Akeneo: the Akeneo simulator serving a generated catalog of N
/// products, 50 ms added to every products request and 429 above 4 requests in flight
/// (Akeneo's limit per connection), then a full export to a flat file through the released
/// `syndic` binary from two connections to it: one with the default `maxConcurrentRequests`
/// (4 readers over `created` partitions) and one with `maxConcurrentRequests: 1` (one
/// cursor, the peer). Each twice, in turn. Both must write the same products, each once.
enum AkeneoBenchmark {
    /// Milliseconds the simulator adds to each products request (a PIM's time to build a page).
    static let pageDelay = 50
    /// Requests in flight above which the simulator answers 429.
    static let maxConcurrent = 4

    /// `akeneo [PRODUCTS]`.
    static func run(products: Int) throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-bench-catalogs").path
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        // The same file as the export benchmark's full shape.
        let catalog = "\(cache)/catalog-\(products).jsonl"
        if !FileManager.default.fileExists(atPath: catalog) {
            try time("generate \(products) products") {
                try ExportBenchmark.shell(["python3", "scripts/generate-catalog", "--count", "\(products)", "--seed", "1",
                                           "--out", catalog])
            }
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-bench-akeneo-\(getpid())").path
        let config = root + "/channels"
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }

        let simulator = try time("start the Akeneo simulator") {
            try Simulator(["python3", "Tests/Simulators/akeneo_sim.py", "--catalog", catalog,
                           "--page-delay", "\(pageDelay)", "--max-concurrent", "\(maxConcurrent)"])
        }
        defer { simulator.stop() }
        let baseURL = "http://127.0.0.1:\(simulator.port)"
        let control = SimulatorControl(baseURL: baseURL)
        for (name, value) in ["BENCH_AKENEO_CLIENT_ID": "syndic_client", "BENCH_AKENEO_SECRET": "syndic_secret",
                              "BENCH_AKENEO_USER": "syndic", "BENCH_AKENEO_PASSWORD": "syndic_password"] {
            setenv(name, value, 1)
        }
        try channelFile(url: baseURL, out: root + "/out").write(toFile: config + "/bench.yaml", atomically: true, encoding: .utf8)
        let state = root + "/state.sqlite"
        let store = try SQLiteStateStore(path: state)
        let reconciler = Reconciler(directory: ConfigDirectory(path: config), store: store, secrets: SecretResolver(), now: Date())
        _ = try reconciler.apply(try reconciler.plan(), confirmedDeletes: [], user: "bench")
        let syndic = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("syndic").path

        say(String(format: "catalog: %d products; the simulator adds %d ms to each products request and refuses (429) "
                   + "more than %d at once", products, pageDelay, maxConcurrent))
        // A first read, not measured, has the simulator render each product once (it keeps
        // the JSON text of each product for the view asked): what is measured is then the
        // reading, not the Python simulator's rendering.
        let warm = try time("warm-up read (not measured)") {
            try read("bench_parallel", syndic: syndic, state: state, root: root, control: control)
        }
        say("warm-up read: \(warm.rows.count) products")
        var parallel: [Read] = [], single: [Read] = []
        for _ in 0..<2 {
            parallel.append(try read("bench_parallel", syndic: syndic, state: state, root: root, control: control))
            single.append(try read("bench_single", syndic: syndic, state: state, root: root, control: control))
        }
        for (label, reads) in [("full read, 4 readers", parallel), ("one cursor (maxConcurrentRequests: 1)", single)] {
            let seconds = reads.map(\.seconds)
            say(label.padding(toLength: 40, withPad: " ", startingAt: 0)
                + String(format: "%7.3f–%7.3f s  %7.0f products/s", seconds.min() ?? 0, seconds.max() ?? 0,
                         Double(products) / (seconds.min() ?? 1))
                + "  429s: " + reads.map { String($0.refused) }.joined(separator: ", ")
                + "  most requests in flight: " + reads.map { String($0.maxInFlight) }.joined(separator: ", "))
        }
        let fastParallel = parallel.map(\.seconds).min() ?? 0, slowParallel = parallel.map(\.seconds).max() ?? 0
        let fastSingle = single.map(\.seconds).min() ?? 0, slowSingle = single.map(\.seconds).max() ?? 0
        say(String(format: "4 readers vs one cursor: %.1fx faster at worst (slowest parallel vs fastest single), %.1fx at best "
                   + "(goal: at least 3x)", fastSingle / slowParallel, slowSingle / fastParallel))
        let rows = parallel.map(\.rows) + single.map(\.rows)
        guard Set(rows).count == 1, let written = rows.first else {
            throw BenchmarkFailure("the four exports wrote different products")
        }
        guard written.count == products, Set(written).count == products else {
            throw BenchmarkFailure("an export wrote \(written.count) rows (\(Set(written).count) different) for \(products) products")
        }
        say("every export wrote each of the \(products) products once, the same rows")
    }

    /// One timed export and what the simulator saw.
    struct Read {
        var seconds: Double
        var refused: Int
        var maxInFlight: Int
        /// The CSV's data rows, sorted.
        var rows: [Substring]
    }

    /// `syndic run CHANNEL product-export --full --wait`, timed; the simulator's 429s and
    /// most requests in flight meanwhile; the rows written.
    static func read(_ channel: String, syndic: String, state: String, root: String,
                     control: SimulatorControl) throws -> Read {
        let folder = root + "/out/" + channel
        try? FileManager.default.removeItem(atPath: folder)
        try control.post("stats/reset")
        let run = try ExportBenchmark.measure([syndic, "run", channel, "product-export", "--full", "--wait"], state: state)
        let stats = try control.get("stats")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        guard files.count == 1 else { throw BenchmarkFailure("\(channel) wrote \(files), not one file") }
        let text = try String(contentsOfFile: folder + "/" + files[0], encoding: .utf8)
        let rows = text.split(whereSeparator: \.isNewline).dropFirst().sorted()  // CRLF is one Character
        return Read(seconds: run.seconds, refused: stats["refused_429"]?.intValue ?? -1,
                    maxInFlight: stats["max_in_flight"]?.intValue ?? -1, rows: rows)
    }

    /// Two connections to the simulator, one limited to one request at a time, and a
    /// flat-file channel reading every product from each (no filter: the whole catalog).
    static func channelFile(url: String, out: String) -> String {
        let credentials = """
              url: \(url)
              clientId: {env: BENCH_AKENEO_CLIENT_ID}
              secret: {env: BENCH_AKENEO_SECRET}
              username: {env: BENCH_AKENEO_USER}
              password: {env: BENCH_AKENEO_PASSWORD}
            """
        func channel(_ name: String, _ connection: String) -> String {
            """
            apiVersion: syndic/v1
            kind: Channel
            metadata: {name: \(name)}
            spec:
              type: flat-file
              status: active
              source: {connection: \(connection), scope: ecommerce, locales: [fr_FR, en_GB]}
              products:
                mapping:
                  sku: {field: identifier}
                  created: {field: created}
                  price: price@EUR
                export:
                  storage: {connection: bench_outbox, folder: /\(name)}

            """
        }
        return """
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: pim_parallel}
            spec:
              type: akeneo
            \(credentials)
            ---
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: pim_single}
            spec:
              type: akeneo
            \(credentials)
              maxConcurrentRequests: 1
            ---
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: bench_outbox}
            spec: {type: local, path: \(out)}
            ---

            """ + channel("bench_parallel", "pim_parallel") + "---\n" + channel("bench_single", "pim_single")
    }
}
