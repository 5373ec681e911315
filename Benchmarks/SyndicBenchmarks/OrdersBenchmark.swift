import Foundation
import SyndicCore
import SyndicEngine
import SyndicStore

/// Order flows benchmark, each step through the released `syndic` binary, timed
/// with its peak resident memory: retrieval of N generated orders from the Mirakl simulator
/// into the state (orders/s), the order export of their lines to CSV (rows/s), and the
/// import of a shipment file of up to N rows (rows/s).
enum OrdersBenchmark {
    static func run(orders: Int) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-bench-orders-\(getpid())").path
        let config = root + "/channels"
        for folder in [config, root + "/outbox", root + "/inbox/shipments"] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(atPath: root) }
        let simulator = try time("start the Mirakl simulator (\(orders) orders)") {
            try Simulator(["python3", "Tests/Simulators/mirakl_sim.py", "--api-key", "bench-key", "--generate", "\(orders)",
                           "--seed", "1"])
        }
        defer { simulator.stop() }
        setenv("BENCH_MIRAKL_KEY", "bench-key", 1)
        try channelFile(endpoint: "http://127.0.0.1:\(simulator.port)", root: root)
            .write(toFile: config + "/bench.yaml", atomically: true, encoding: .utf8)
        let state = root + "/state.sqlite"
        let store = try SQLiteStateStore(path: state)
        let reconciler = Reconciler(directory: ConfigDirectory(path: config), store: store, secrets: SecretResolver(), now: Date())
        _ = try reconciler.apply(try reconciler.plan(), confirmedDeletes: [], user: "bench")
        let syndic = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("syndic").path

        let retrieval = try ExportBenchmark.measure([syndic, "run", "bench_shop", "order-retrieval", "--wait"], state: state)
        let stored = try store.orders(OrderFilter()).total
        say(String(format: "retrieval (OR11 pages of 100)        %8.3f s  %9.0f orders/s  peak RSS %4.0f MB  (%d orders stored)",
                   retrieval.seconds, Double(stored) / retrieval.seconds, retrieval.peakMB, stored))

        let export = try ExportBenchmark.measure([syndic, "run", "bench_shop", "order-export", "--wait"], state: state)
        let rows = count("lines", in: export.output)
        say(String(format: "order export to CSV                  %8.3f s  %9.0f rows/s    peak RSS %4.0f MB  (%d rows)",
                   export.seconds, Double(rows) / export.seconds, export.peakMB, rows))

        let file = root + "/inbox/shipments/shipments.csv"
        let written = try shipmentFile(store: store, rows: orders, to: file)
        let importRun = try ExportBenchmark.measure([syndic, "run", "bench_shop", "shipment-import", "--wait"], state: state)
        let applied = count("applied", in: importRun.output)
        say(String(format: "shipment import                      %8.3f s  %9.0f rows/s    peak RSS %4.0f MB  (%d rows, %d applied)",
                   importRun.seconds, Double(written) / importRun.seconds, importRun.peakMB, written, applied))
    }

    /// The count `name` from the `counts:` line `syndic run --wait` prints (`name N, …`).
    static func count(_ name: String, in output: String) -> Int {
        guard let line = output.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("counts:") })
        else { return 0 }
        for part in line.drop(while: { $0 != ":" }).dropFirst().split(separator: ",") {
            let words = part.split(separator: " ")
            if words.count == 2, words[0] == Substring(name), let value = Int(words[1]) { return value }
        }
        return 0
    }

    /// One shipment row per line still to ship, up to `rows`.
    static func shipmentFile(store: SQLiteStateStore, rows: Int, to path: String) throws -> Int {
        var writer = CSVWriter(header: ShipmentTemplate.columns)
        var written = 0
        _ = try store.forEachChangedOrder(channel: "bench_shop", after: 0, statuses: []) { stored in
            guard ![.canceled, .refused].contains(stored.order.status) else { return }
            for line in stored.order.lines where written < rows {
                let left = line.quantityOrdered - line.quantityShipped - line.quantityCanceled
                guard left > 0 else { continue }
                writer.writeRow(["", stored.order.marketplaceID, "1", "TRK\(written)", "1744187335000", "UPS",
                                 String(line.number), "", String(left)])
                written += 1
            }
        }
        try Data(writer.takeBytes()).write(to: URL(fileURLWithPath: path))
        return written
    }

    static func channelFile(endpoint: String, root: String) -> String {
        """
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: bench_outbox}
        spec: {type: local, path: \(root)/outbox}
        ---
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: bench_inbox}
        spec: {type: local, path: \(root)/inbox}
        ---
        apiVersion: syndic/v1
        kind: Channel
        metadata: {name: bench_shop}
        spec:
          type: mirakl
          status: active
          endpoint: \(endpoint)
          credentials: {apiKey: {env: BENCH_MIRAKL_KEY}}
          orders:
            retrieval: true
            lookbackDays: 3650
            export:
              storage: {connection: bench_outbox, folder: /orders}
              splitBy: [fulfillment, country]
            shipmentImport:
              storage: {connection: bench_inbox, folder: /shipments}
              settleSeconds: 0

        """
    }
}

/// A simulator process that prints `port N` once listening.
final class Simulator {
    let process = Process()
    let port: Int

    init(_ command: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix("port "), let port = Int(line.dropFirst(5)) else {
            process.terminate()
            throw BenchmarkFailure("\(command.joined(separator: " ")) did not start: \(text)")
        }
        self.port = port
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
