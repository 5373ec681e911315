import Foundation
import SyndicCore
import SyndicEngine
import SyndicStore

/// Product export benchmark: a generated catalog of N products (scripts/generate-catalog),
/// a flat-file channel with the demo channel's filter and mapping, then — each through the
/// released `syndic` binary, timed with its peak resident memory — a full export, a delta
/// export after 1% of the products changed, and the straightforward python3 exporter
/// (Benchmarks/reference_exporter.py) on the same catalog as the peer.
enum ExportBenchmark {
    static func run(products: Int) throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-bench-catalogs").path
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        let catalog = "\(cache)/catalog-\(products).jsonl"
        let changed = "\(cache)/catalog-\(products)-changed1.jsonl"
        if !FileManager.default.fileExists(atPath: catalog) {
            try time("generate \(products) products") {
                try shell(["python3", "scripts/generate-catalog", "--count", "\(products)", "--seed", "1", "--out", catalog])
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
        say(String(format: "catalog: %d products, %.0f MB (%.0f bytes per product)", products, Double(size) / 1e6,
                   Double(size) / Double(max(products, 1))))

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-bench-export-\(getpid())").path
        let config = root + "/channels"
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let current = root + "/current.jsonl"
        try FileManager.default.createSymbolicLink(atPath: current, withDestinationPath: catalog)
        try channelFile(catalog: current, out: root + "/out").write(toFile: config + "/bench.yaml", atomically: true, encoding: .utf8)
        let state = root + "/state.sqlite"
        let store = try SQLiteStateStore(path: state)
        let reconciler = Reconciler(directory: ConfigDirectory(path: config), store: store, secrets: SecretResolver(), now: Date())
        _ = try reconciler.apply(try reconciler.plan(), confirmedDeletes: [], user: "bench")

        let syndic = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("syndic").path
        warm(catalog)
        let full = try measure([syndic, "run", "bench_feed", "product-export", "--full", "--wait"], state: state)
        say(String(format: "full export                          %8.3f s  %9.0f products/s  peak RSS %4.0f MB",
                   full.seconds, Double(products) / full.seconds, full.peakMB))
        try FileManager.default.removeItem(atPath: current)
        try FileManager.default.createSymbolicLink(atPath: current, withDestinationPath: changed)
        warm(changed)
        let delta = try measure([syndic, "run", "bench_feed", "product-export", "--wait"], state: state)
        say(String(format: "delta export after 1%% changed        %8.3f s  %8.1f%% of the full export  peak RSS %4.0f MB",
                   delta.seconds, 100 * delta.seconds / full.seconds, delta.peakMB))
        say("  " + (delta.output.split(separator: "\n").first { $0.contains("delta export from") }.map {
            $0.trimmingCharacters(in: .whitespaces) } ?? ""))
        warm(catalog)
        let peer = try measure(["python3", "Benchmarks/reference_exporter.py", catalog, root + "/reference.csv"], state: state)
        say(String(format: "python3 reference exporter           %8.3f s  %9.0f products/s  peak RSS %4.0f MB",
                   peer.seconds, Double(products) / peer.seconds, peer.peakMB))
        say(String(format: "full export vs python3: %.1fx faster (goal: at least 5x)", peer.seconds / full.seconds))
    }

    /// A flat-file channel with the demo channel's filter and mapping, delta on.
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
              sku: {field: identifier}
              title: name~fr_FR
              description: description~fr_FR~ecommerce
              price: price@EUR
              price_label: price@currency
              weight: weight@unit
              brand: {attribute: brand, default: unbranded}
              categories: {field: categories}
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
