import Foundation
import SyndicCore
import SyndicEngine
import SyndicStore

/// Order flows benchmark, each step through the released `syndic` binary, timed
/// with its peak resident memory: retrieval of N generated orders from the Mirakl simulator
/// into the state (orders/s), the order export of their lines to CSV (rows/s), and the
/// import of a shipment file of up to N rows (rows/s, beside the goal of 50,000 and the
/// store's peer, one row at a time).
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
        let syndic = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("syndic").path
        let file = root + "/inbox/shipments/shipments.csv"
        let written: Int
        do {
            let store = try SQLiteStateStore(path: state)
            let reconciler = Reconciler(directory: ConfigDirectory(path: config), store: store, secrets: SecretResolver(), now: Date())
            _ = try reconciler.apply(try reconciler.plan(), confirmedDeletes: [], user: "bench")

            let retrieval = try ExportBenchmark.measure([syndic, "run", "bench_shop", "order-retrieval", "--wait"], state: state)
            let stored = try store.orders(OrderFilter()).total
            say(String(format: "retrieval (OR11 pages of 100)        %8.3f s  %9.0f orders/s  peak RSS %4.0f MB  (%d orders stored)",
                       retrieval.seconds, Double(stored) / retrieval.seconds, retrieval.peakMB, stored))

            let export = try ExportBenchmark.measure([syndic, "run", "bench_shop", "order-export", "--wait"], state: state)
            let rows = count("lines", in: export.output)
            say(String(format: "order export to CSV                  %8.3f s  %9.0f rows/s    peak RSS %4.0f MB  (%d rows)",
                       export.seconds, Double(rows) / export.seconds, export.peakMB, rows))

            written = try shipmentFile(store: store, rows: orders, to: file)
        }
        // The store is closed: the state's files can be copied whole, and put back before each import.
        try shipmentImport(state: state, file: file, rows: written, syndic: syndic)
    }

    /// The goal of the shipment import, in rows per second.
    static let importGoal = 50_000.0

    /// The import of the shipment file, from the same state each time: twice the job through
    /// the released binary (process start, reading and checking the file, applying it, deleting
    /// it), then the store alone — batches of 500 rows, and its peer, one row at a time with a
    /// statement per rule — twice each; each with its rows/s and the spread of the two runs.
    static func shipmentImport(state: String, file: String, rows: Int, syndic: String) throws {
        let saved = state + ".before-import"
        try copyState(state, to: saved)
        if let keep = ProcessInfo.processInfo.environment["BENCH_KEEP_IMPORT"] {
            // For profiling the import outside the benchmark: the state before it and the file.
            try FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            try copyState(state, to: keep + "/state.sqlite")
            try? FileManager.default.removeItem(atPath: keep + "/shipments.csv")
            try FileManager.default.copyItem(atPath: file, toPath: keep + "/shipments.csv")
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        var jobRates: [Double] = []
        for _ in 0..<2 {
            try copyState(saved, to: state)
            try bytes.write(to: URL(fileURLWithPath: file))
            let run = try ExportBenchmark.measure([syndic, "run", "bench_shop", "shipment-import", "--wait"], state: state)
            jobRates.append(Double(rows) / run.seconds)
            say(String(format: "shipment import (job)                %8.3f s  %9.0f rows/s    peak RSS %4.0f MB  (%d rows, %d applied)",
                       run.seconds, Double(rows) / run.seconds, run.peakMB, rows, count("applied", in: run.output)))
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let requests = try shipmentRequests([UInt8](bytes))
        let reading = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        say(String(format: "  of which reading and checking      %8.3f s  %9.0f rows/s    (CSV and template, one thread)",
                   reading, Double(requests.count) / reading))
        var storeRates: [Int: [Double]] = [:]
        for (label, size) in [("batches of 500", 500), ("one row at a time", 0)] {
            for _ in 0..<2 {
                try copyState(saved, to: state)
                let (seconds, applied) = try applyInStore(requests, state: state, batchSize: size)
                storeRates[size, default: []].append(Double(requests.count) / seconds)
                say("  store alone, " + label.padding(toLength: 22, withPad: " ", startingAt: 0)
                    + String(format: "%8.3f s  %9.0f rows/s    (%d applied)", seconds, Double(requests.count) / seconds, applied))
            }
        }
        let batched = storeRates[500] ?? [], single = storeRates[0] ?? []
        let verdict = (jobRates.min() ?? 0) >= importGoal ? "met" : "not met"
        say(String(format: "shipment import: job %.0f–%.0f rows/s (goal %.0f: ", jobRates.min() ?? 0, jobRates.max() ?? 0, importGoal)
            + verdict + String(format: ") · store in batches %.0f–%.0f rows/s · one row at a time %.0f–%.0f rows/s "
                               + "(batches %.1f× faster, worst pair)", batched.min() ?? 0, batched.max() ?? 0,
                               single.min() ?? 0, single.max() ?? 0, (batched.min() ?? 0) / max(single.max() ?? 1, 1)))
        try? FileManager.default.removeItem(atPath: saved)
        try? FileManager.default.removeItem(atPath: saved + "-wal")
    }

    /// The valid rows of a shipment file as requests, as the job reads them.
    static func shipmentRequests(_ bytes: [UInt8]) throws -> [ShipmentRequest] {
        let rows = CSVReader.read(bytes)
        guard let header = rows.first, case .success(let columns) = ShipmentTemplate.Header.read(header.fields) else {
            throw BenchmarkFailure("the shipment file has no valid header")
        }
        return rows.dropFirst().compactMap { row in
            if case .success(let request) = ShipmentTemplate.request(row.fields, line: row.line, header: columns) { return request }
            return nil
        }
    }

    /// Applies `requests` to the state at `state` in one transaction, as the job does; the
    /// seconds it took and how many applied. The store is closed on return.
    static func applyInStore(_ requests: [ShipmentRequest], state: String, batchSize: Int) throws -> (Double, Int) {
        let store = try SQLiteStateStore(path: state)
        let start = DispatchTime.now().uptimeNanoseconds
        let outcomes = try store.applyShipments(requests, channel: "bench_shop", source: "ftp:shipments.csv", at: Date(),
                                                batchSize: batchSize)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let applied = outcomes.filter { if case .applied = $0 { return true } else { return false } }.count
        return (seconds, applied)
    }

    /// Copies a SQLite state (its database and write-ahead log) that no connection holds open.
    static func copyState(_ source: String, to target: String) throws {
        let files = FileManager.default
        for suffix in ["", "-wal", "-shm"] { try? files.removeItem(atPath: target + suffix) }
        try files.copyItem(atPath: source, toPath: target)
        if files.fileExists(atPath: source + "-wal") { try files.copyItem(atPath: source + "-wal", toPath: target + "-wal") }
        // On disk before the run: its first commit would otherwise wait for the copy's pages
        // (the file system flushes them with the log's first sync).
        for suffix in ["", "-wal"] where files.fileExists(atPath: target + suffix) {
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: target + suffix))
            try handle.synchronize()
            try handle.close()
        }
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
