import Foundation
import SyndicCore
import SyndicEngine
import SyndicStore
import SyndicTestSupport

/// Akeneo delta benchmark (`syndic-bench akeneo-delta [PRODUCTS]`, default 20,000): a
/// generated catalog served by Tests/Simulators/akeneo_sim.py, a delta flat-file channel
/// without a filter, a first export through the released `syndic` binary, then twice: 1% of
/// the products updated in the PIM (`/_sim/update-products`) and a delta export that asks
/// only for the products updated since the last export; beside it, as the peer, 1% more
/// updated and the same delta reading every product (the snapshot's watermark forgotten, as
/// before deltas read by `updated`). Prints each one's time, its products-uuid requests
/// (goal: at most 5) and the products it sent (goal: exactly those updated).
enum AkeneoDeltaBenchmark {
    /// One delta export, measured.
    struct Delta {
        var seconds: Double
        /// Every products-uuid request (the count, the pages).
        var requests: Int
        /// The search_after pages among them.
        var pages: Int
        var sent: Int
        var changed: Int
    }

    static func run(products: Int) throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-bench-catalogs").path
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        let catalog = "\(cache)/catalog-\(products).jsonl"
        if !FileManager.default.fileExists(atPath: catalog) {
            try time("generate \(products) products") {
                try ExportBenchmark.shell(["python3", "scripts/generate-catalog", "--count", "\(products)", "--seed", "1",
                                           "--out", catalog])
            }
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-bench-akeneo-delta-\(getpid())").path
        try? FileManager.default.removeItem(atPath: root)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let config = root + "/channels", secrets = root + "/secrets"
        for directory in [config, secrets] { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let credentials = ["client_id": "bench-client", "secret": "bench-secret", "username": "bench-user",
                           "password": "bench-password"]
        for (name, value) in credentials {
            try Data((value + "\n").utf8).write(to: URL(fileURLWithPath: "\(secrets)/\(name)"))
            chmod("\(secrets)/\(name)", 0o600)
        }
        let server = try time("start akeneo_sim on the catalog") {
            try LocalServer(simulator: "akeneo_sim.py", arguments: [
                "--catalog", catalog, "--client-id", credentials["client_id"]!, "--secret", credentials["secret"]!,
                "--username", credentials["username"]!, "--password", credentials["password"]!,
            ])
        }
        defer { server.kill() }
        try channelFile(url: server.baseURL, out: root + "/out").write(toFile: config + "/bench.yaml", atomically: true,
                                                                       encoding: .utf8)
        let state = root + "/state.sqlite"
        let store = try SQLiteStateStore(path: state)
        let reconciler = Reconciler(directory: ConfigDirectory(path: config), store: store, secrets: SecretResolver(), now: Date())
        _ = try reconciler.apply(try reconciler.plan(), confirmedDeletes: [], user: "bench")
        let syndic = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("syndic").path
        let command = [syndic, "run", "bench_pim", "product-export", "--wait"]

        let first = try ExportBenchmark.measure(command, state: state)
        let exported = try store.productExports(channel: "bench_pim", limit: 1).first?.sent ?? 0
        say(String(format: "first export (every product)    %8.3f s  %d products sent", first.seconds, exported))

        let changeCount = max(1, products / 100)
        var sinceRuns: [Delta] = [], scanRuns: [Delta] = []
        for round in 0..<2 {
            let changed = try update(server, count: changeCount, seed: 10 + round)
            sinceRuns.append(try delta(command, state: state, store: store, server: server, changed: changed))
            let more = try update(server, count: changeCount, seed: 20 + round)
            try forgetWatermark(store)
            scanRuns.append(try delta(command, state: state, store: store, server: server, changed: more))
        }
        report("updated-since delta", sinceRuns, goal: "goal: at most 5")
        report("full-scan delta (peer)", scanRuns, goal: "every page")
        let since = sinceRuns.map(\.seconds), scan = scanRuns.map(\.seconds)
        say(String(format: "updated-since delta vs full scan: %.1fx faster at worst (slowest since vs fastest scan), "
                   + "%.1fx at best", (scan.min() ?? 0) / max(since.max() ?? 1, 1e-9),
                   (scan.max() ?? 0) / max(since.min() ?? 1, 1e-9)))
        let exact = (sinceRuns + scanRuns).allSatisfy { $0.sent == $0.changed }
        say(exact ? "every delta sent exactly the updated products"
                  : "a delta did not send exactly the updated products (see the figures above)")
    }

    /// Two hours pass on the PIM, `count` products are updated there, and two more hours pass
    /// before the next export; returns how many it updated. (Exports four hours apart, the
    /// changes in between: an export does not re-read, through the 70-minute overlap, the
    /// changes made just before the previous one started.)
    static func update(_ server: LocalServer, count: Int, seed: Int) throws -> Int {
        _ = try server.control.post("clock", .object(["advance": .int(7200)]))
        let answer = try server.control.post("update-products", .object(["count": .int(count), "seed": .int(seed)]))
        _ = try server.control.post("clock", .object(["advance": .int(7200)]))
        return answer["updated"]?.listValue?.count ?? 0
    }

    /// Runs one delta export and reads what it asked and sent.
    static func delta(_ command: [String], state: String, store: SQLiteStateStore, server: LocalServer,
                      changed: Int) throws -> Delta {
        let start = try server.control.requests().count
        let measured = try ExportBenchmark.measure(command, state: state)
        let calls = try server.control.requests().dropFirst(start)
            .filter { $0.method == "GET" && $0.path == "/api/rest/v1/products-uuid" }
        let sent = try store.productExports(channel: "bench_pim", limit: 1).first?.sent ?? 0
        return Delta(seconds: measured.seconds, requests: calls.count,
                     pages: calls.filter { $0.params["pagination_type"] == "search_after" }.count, sent: sent,
                     changed: changed)
    }

    /// Records the channel's snapshot again without its watermark: the next delta reads every
    /// product, as deltas did before they read by `updated`.
    static func forgetWatermark(_ store: SQLiteStateStore) throws {
        guard let header = try store.snapshotHeader(channel: "bench_pim"), let generation = header.generation else {
            throw BenchmarkFailure("no snapshot to forget the watermark of")
        }
        let record = ProductExportRecord(channel: "bench_pim", runID: nil, mode: "delta", at: Date(), sent: 0, file: nil,
                                         products: [])
        try store.recordProductExport(record, generation: generation, specDigest: header.specDigest, count: header.count,
                                      refused: header.refused.sorted())
    }

    static func report(_ label: String, _ runs: [Delta], goal: String) {
        let seconds = runs.map(\.seconds)
        say(label.padding(toLength: 24, withPad: " ", startingAt: 0)
            + String(format: "%7.3f–%7.3f s", seconds.min() ?? 0, seconds.max() ?? 0)
            + "  products-uuid requests " + runs.map { "\($0.requests) (\($0.pages) pages)" }.joined(separator: ", ")
            + " (\(goal))  sent " + runs.map { "\($0.sent)" }.joined(separator: ", ")
            + " of " + runs.map { "\($0.changed)" }.joined(separator: ", ") + " updated")
    }

    /// An akeneo connection to the simulator (secrets in ../secrets), a local outbox and a
    /// delta flat-file channel reading every product.
    static func channelFile(url: String, out: String) -> String {
        """
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: bench_akeneo}
        spec:
          type: akeneo
          url: \(url)
          clientId: {file: ../secrets/client_id}
          secret: {file: ../secrets/secret}
          username: {file: ../secrets/username}
          password: {file: ../secrets/password}
        ---
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: bench_outbox}
        spec: {type: local, path: \(out)}
        ---
        apiVersion: syndic/v1
        kind: Channel
        metadata: {name: bench_pim}
        spec:
          type: flat-file
          status: active
          source: {connection: bench_akeneo, scope: ecommerce, locales: [fr_FR, en_GB]}
          products:
            mapping:
              brand: {attribute: brand, default: unbranded}
              categories: {field: categories}
              price: price@EUR
              sku: {field: identifier}
              title: name~fr_FR
              title_en: name~en_GB
            export:
              delta: true
              storage: {connection: bench_outbox, folder: /feed}

        """
    }
}
