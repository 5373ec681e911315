import Foundation
import SyndicCore
import SyndicEngine
import SyndicStore

/// Product export benchmark, per catalog shape (`--shape full|small|both`, default both): a
/// generated catalog of N products (scripts/generate-catalog), a flat-file channel with the
/// demo channel's filter and mapping, then — each through the released `syndic` binary, timed
/// with its peak resident memory — a full export and the straightforward python3 exporter
/// (Benchmarks/reference_exporter.py) on the same catalog as the peer, each twice, and a delta
/// export after 1% of the products changed, twice from the same state. Both exporters must
/// write the same bytes.
enum ExportBenchmark {
    /// How much each generated product carries (`generate-catalog --shape`).
    enum Shape: String, CaseIterable {
        /// About 1,510 bytes a product.
        case full
        /// About 900 bytes a product.
        case small
    }

    /// `export [PRODUCTS] [--shape full|small|both]`.
    static func run(arguments: [String]) throws {
        var products = 1_000_000
        var shapes = Shape.allCases
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            if argument == "--shape" {
                let value = rest.popFirst() ?? ""
                let named: [Shape]? = value == "both" ? Shape.allCases : Shape(rawValue: value).map { [$0] }
                guard let chosen = named else {
                    throw BenchmarkFailure("--shape takes full, small or both, not '\(value)'")
                }
                shapes = chosen
            } else if let count = Int(argument), count > 0 {
                products = count
            } else {
                throw BenchmarkFailure("usage: syndic-bench export [PRODUCTS] [--shape full|small|both]")
            }
        }
        for shape in shapes { try run(products: products, shape: shape) }
    }

    /// The figures of one shape.
    static func run(products: Int, shape: Shape) throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-bench-catalogs").path
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        // Full catalogs keep the names they always had, so cached ones stay valid.
        let suffix = shape == .full ? "" : "-\(shape.rawValue)"
        let catalog = "\(cache)/catalog-\(products)\(suffix).jsonl"
        let changed = "\(cache)/catalog-\(products)\(suffix)-changed1.jsonl"
        say("— \(shape.rawValue) products —")
        if !FileManager.default.fileExists(atPath: catalog) {
            try time("generate \(products) products") {
                try shell(["python3", "scripts/generate-catalog", "--count", "\(products)", "--seed", "1",
                           "--shape", shape.rawValue, "--out", catalog])
            }
        }
        if !FileManager.default.fileExists(atPath: changed) {
            try time("change 1% of them") {
                try shell(["python3", "scripts/generate-catalog", "--change-percent", "1", "--base", catalog, "--seed", "2",
                           "--out", changed])
            }
        }
        // Every run starts from the page cache, so that the disk's speed does not decide the figures.
        for file in [catalog, changed] { warm(file) }
        let size = (try FileManager.default.attributesOfItem(atPath: catalog)[.size] as? Int) ?? 0
        let megabytes = Double(size) / 1e6
        say(String(format: "catalog: %d products, %.0f MB (%.0f bytes per product)", products, megabytes,
                   Double(size) / Double(max(products, 1))))

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-bench-export-\(getpid())").path
        let config = root + "/channels"
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let current = root + "/current.jsonl"
        try FileManager.default.createSymbolicLink(atPath: current, withDestinationPath: catalog)
        try channelFile(catalog: current, out: root + "/out").write(toFile: config + "/bench.yaml", atomically: true, encoding: .utf8)
        let state = root + "/state.sqlite"
        do {
            // Closed before the runs: the state is copied and put back around the delta runs.
            let store = try SQLiteStateStore(path: state)
            let reconciler = Reconciler(directory: ConfigDirectory(path: config), store: store, secrets: SecretResolver(), now: Date())
            _ = try reconciler.apply(try reconciler.plan(), confirmedDeletes: [], user: "bench")
        }

        let syndic = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("syndic").path
        let feed = root + "/out/feed"
        let reference = root + "/reference.csv"
        var fulls: [Measured] = [], peers: [Measured] = []
        for _ in 0..<2 {
            try? FileManager.default.removeItem(atPath: feed)
            warm(catalog)
            fulls.append(try measure([syndic, "run", "bench_feed", "product-export", "--full", "--wait"], state: state))
            warm(catalog)
            peers.append(try measure(["python3", "Benchmarks/reference_exporter.py", catalog, reference], state: state))
        }
        let full = Spread(fulls), peer = Spread(peers)
        say(String(format: "full export                 %7.3f–%7.3f s  %9.0f products/s  %6.0f MB/s of JSON  peak RSS %4.0f MB "
                   + "(goal: under 256 MB)", full.best, full.worst, Double(products) / full.best, megabytes / full.best,
                   full.peakMB))
        say(String(format: "python3 reference exporter  %7.3f–%7.3f s  %9.0f products/s  %6.0f MB/s of JSON  peak RSS %4.0f MB",
                   peer.best, peer.worst, Double(products) / peer.best, megabytes / peer.best, peer.peakMB))
        say(String(format: "full export vs python3: %.1fx faster at worst (slowest export vs fastest python3), %.1fx at best "
                   + "(goal: at least 5x)", peer.best / full.worst, peer.worst / full.best))
        let files = (try? FileManager.default.contentsOfDirectory(atPath: feed)) ?? []
        guard files.count == 1, FileManager.default.contentsEqual(atPath: feed + "/" + files[0], andPath: reference) else {
            throw BenchmarkFailure("the full export's CSV (\(files)) differs from python3's \(reference)")
        }
        say("both wrote the same CSV, byte for byte")

        try FileManager.default.removeItem(atPath: current)
        try FileManager.default.createSymbolicLink(atPath: current, withDestinationPath: changed)
        // Twice from the same state: the snapshot of the last full export.
        let saved = state + ".before-delta"
        try OrdersBenchmark.copyState(state, to: saved)
        var deltas: [Measured] = []
        for _ in 0..<2 {
            try OrdersBenchmark.copyState(saved, to: state)
            warm(changed)
            deltas.append(try measure([syndic, "run", "bench_feed", "product-export", "--wait"], state: state))
        }
        let delta = Spread(deltas)
        say(String(format: "delta export after 1%% changed %7.3f–%7.3f s  %4.1f–%4.1f%% of the fastest full export  "
                   + "peak RSS %4.0f MB (goal: under 25%%)", delta.best, delta.worst, 100 * delta.best / full.best,
                   100 * delta.worst / full.best, delta.peakMB))
        say("  " + (deltas[0].output.split(separator: "\n").first { $0.contains("delta export from") }.map {
            $0.trimmingCharacters(in: .whitespaces) } ?? ""))
    }

    /// The best and worst time of repeated runs, and their highest peak memory.
    struct Spread {
        var best: Double
        var worst: Double
        var peakMB: Double

        init(_ runs: [Measured]) {
            best = runs.map(\.seconds).min() ?? 0
            worst = runs.map(\.seconds).max() ?? 0
            peakMB = runs.map(\.peakMB).max() ?? 0
        }
    }

    /// A flat-file channel with the demo channel's filter and mapping, delta on; its columns
    /// in name order, as the python3 reference exporter writes them.
    static func channelFile(catalog: String, out: String) -> String {
        """
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: bench_catalog}
        spec: {type: catalog-file, path: \(catalog)}
        ---
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: bench_outbox}
        spec: {type: local, path: \(out)}
        ---
        apiVersion: syndic/v1
        kind: Channel
        metadata: {name: bench_feed}
        spec:
          type: flat-file
          status: active
          source: {connection: bench_catalog, scope: ecommerce, locales: [fr_FR, en_GB]}
          products:
            filter:
              enabled: true
              families: [shoes, bags]
              categories: {notIn: [archived]}
            mapping:
              brand: {attribute: brand, default: unbranded}
              categories: {field: categories}
              description: description~fr_FR~ecommerce
              price: price@EUR
              price_label: price@currency
              sku: {field: identifier}
              title: name~fr_FR
              weight: weight@unit
            export:
              delta: true
              storage: {connection: bench_outbox, folder: /feed}

        """
    }

    struct Measured {
        var seconds: Double
        var peakMB: Double
        var output: String
    }

    /// Runs a command to the end; its wall time and peak resident memory (GNU time's `%M`:
    /// Foundation's Process may reap the child itself, so wait4's usage cannot be relied on).
    static func measure(_ command: [String], state: String) throws -> Measured {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-f", "syndic-bench-peak-rss-kb %M", "/usr/bin/env"] + command
        var environment = ProcessInfo.processInfo.environment
        environment["SYNDIC_STATE"] = state
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let start = DispatchTime.now().uptimeNanoseconds
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard process.terminationStatus == 0 else {
            throw BenchmarkFailure("\(command.joined(separator: " ")) failed:\n" + String(decoding: text, as: UTF8.self) + errorText)
        }
        let kilobytes = errorText.split(separator: "\n").last { $0.hasPrefix("syndic-bench-peak-rss-kb ") }
            .flatMap { Double($0.dropFirst("syndic-bench-peak-rss-kb ".count)) } ?? 0
        return Measured(seconds: seconds, peakMB: kilobytes / 1024, output: String(decoding: text, as: UTF8.self))
    }

    /// Reads a file once so that it is in the page cache.
    static func warm(_ path: String) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        while let block = try? handle.read(upToCount: 16 << 20), !block.isEmpty {}
    }

    static func shell(_ command: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchmarkFailure("\(command.joined(separator: " ")) failed") }
    }
}

/// A benchmark step that failed.
struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
