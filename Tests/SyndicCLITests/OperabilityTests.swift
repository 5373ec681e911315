import Foundation
import SyndicTestSupport
import SyndicTransfer
import Testing

/// A long-running `syndic worker` as operators run it: JSON log lines on standard error,
/// `/metrics` read by Prometheus' own parser (the Python `prometheus-client`), `/healthz`.
@Suite(.serialized) struct OperabilityTests {
    struct ParseFailure: Error, CustomStringConvertible {
        var description: String
    }

    static let catalog = (1...5).map { #"{"identifier":"sku-\#($0)","enabled":true,"values":{}}"# }.joined(separator: "\n") + "\n"

    /// Prometheus text parsed by prometheus-client: `name{label=value,...}` → value, for
    /// every sample; and each family's type.
    static func parse(_ text: String) throws -> (samples: [String: Double], types: [String: String]) {
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            samples, types = {}, {}
            for family in text_string_to_metric_families(sys.stdin.read()):
                types[family.name] = family.type
                for s in family.samples:
                    labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
                    samples[f"{s.name}{{{labels}}}"] = s.value
            print(json.dumps({"samples": samples, "types": types}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ParseFailure(description: "prometheus-client refused the metrics (pip install prometheus-client): \(problems)\n\(text)")
        }
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let samples = try #require(object["samples"] as? [String: Double])
        let types = try #require(object["types"] as? [String: String])
        return (samples, types)
    }

    @Test func aWorkerServesMetricsAndHealthAndLogsJSONLines() throws {
        let workspace = try RuntimeScenario.applied(1)
        defer { workspace.remove() }
        try workspace.write("channels/catalog.jsonl", Self.catalog)
        #expect(try workspace.syndic.run(["run", "shop_00", "product-export"]).status == 0)
        let (process, out, err) = try workspace.syndic.start(
            ["worker", "--metrics-address", "127.0.0.1:0", "--log-format", "json", "--poll", "0.2"])
        let stdout = ReconcileWatchTests.Lines(out)
        let stderr = ReconcileWatchTests.Lines(err)
        defer { if process.isRunning { process.terminate() } }
        var port = 0
        #expect(RuntimeScenario.eventually(timeout: 30) {
            let text = stdout.value
            guard let range = text.range(of: "metrics: listening on http://127.0.0.1:") else { return false }
            port = Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
            return port > 0
        }, "\(stderr.value)")
        let http = HTTPClient(maxAttempts: 1)
        #expect(RuntimeScenario.eventually(timeout: 30) {
            ((try? workspace.syndic.run(["runs", "show", "1"]).stdout) ?? "").contains("status:   succeeded")
        })
        let health = try http.send(HTTPRequest(url: "http://127.0.0.1:\(port)/healthz"))
        #expect(health.status == 200)
        #expect(health.text == #"{"status":"ok"}"#)

        let metrics = try http.send(HTTPRequest(url: "http://127.0.0.1:\(port)/metrics"))
        #expect(metrics.status == 200)
        let (samples, types) = try Self.parse(metrics.text)
        #expect(samples["syndic_runs_started_total{kind=product-export}"] == 1, "\(samples)")
        #expect(samples["syndic_runs_finished_total{kind=product-export,status=succeeded}"] == 1)
        #expect(samples["syndic_run_duration_seconds_count{kind=product-export}"] == 1)
        #expect(types["syndic_run_duration_seconds"] == "histogram")
        #expect(samples["syndic_products_exported_total{channel=shop_00}"] == 5)
        #expect(samples["syndic_queue_depth{kind=product-export}"] == 0)
        #expect(types["syndic_queue_depth"] == "gauge")
        #expect(try http.send(HTTPRequest(url: "http://127.0.0.1:\(port)/nothing")).status == 404)

        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = stderr.value.split(separator: "\n").map(String.init)
        #expect(lines.count >= 4, "\(stderr.value)")
        var runLines = 0
        for line in lines {
            let object = try #require(try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            #expect(object["timestamp"] is String && object["level"] is String && object["message"] is String, "\(line)")
            if object["run"] as? Int == 1 {
                runLines += 1
                #expect(object["channel"] as? String == "shop_00" && object["job"] as? String == "product-export", "\(line)")
            }
        }
        #expect(runLines >= 2, "the start, the summary and the end of run 1: \(stderr.value)")
    }

    @Test func aBadMetricsAddressIsALocatedError() throws {
        let workspace = try RuntimeScenario.applied(1)
        defer { workspace.remove() }
        let result = try workspace.syndic.run(["worker", "--metrics-address", "127.0.0.1:99999", "--once"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("column 11") && result.stderr.contains("65535"), "\(result.stderr)")
        let format = try workspace.syndic.run(["worker", "--once"], extra: ["SYNDIC_LOG_FORMAT": "xml"])
        #expect(format.status == 1)
        #expect(format.stderr.contains("SYNDIC_LOG_FORMAT=xml is not a log format: use text or json"), "\(format.stderr)")
    }

    @Test func aWatchingReconcileServesItsCycles() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("channels/all.yaml", RuntimeScenario.channels(1))
        let (process, out, err) = try workspace.syndic.start(
            ["reconcile", "--watch", "--interval", "1s", "--metrics-address", "127.0.0.1:0", "--log-format", "json"])
        let stdout = ReconcileWatchTests.Lines(out)
        let stderr = ReconcileWatchTests.Lines(err)
        defer { if process.isRunning { process.terminate() } }
        var port = 0
        #expect(RuntimeScenario.eventually(timeout: 30) {
            guard let range = stdout.value.range(of: "metrics: listening on http://127.0.0.1:") else { return false }
            port = Int(stdout.value[range.upperBound...].prefix { $0.isNumber }) ?? 0
            return port > 0 && stderr.value.contains("cycle: serial 0 -> 1")
        }, "\(stderr.value)")
        let http = HTTPClient(maxAttempts: 1)
        let (samples, types) = try Self.parse(try http.send(HTTPRequest(url: "http://127.0.0.1:\(port)/metrics")).text)
        #expect((samples["syndic_reconcile_cycles_total{result=ok}"] ?? 0) >= 1, "\(samples)")
        #expect(types["syndic_reconcile_cycles"] == "counter" || types["syndic_reconcile_cycles_total"] == "counter", "\(types)")
        #expect((samples["syndic_reconcile_last_success_timestamp_seconds{}"] ?? 0) > 1_700_000_000)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        for line in stderr.value.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "\(line)")
        }
    }
}
