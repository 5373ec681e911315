import Foundation
import SyndicTestSupport
import SyndicTransfer
import Testing

/// The Orders API does what its OpenAPI document says, seen from outside: schemathesis, a
/// fuzzer driven by the document (`scripts/install-deps` installs it), runs every one of
/// its checks against `syndic serve` over orders a real retrieval stored, one with a
/// shipment and one with an error. It sends what the document allows and what it does not,
/// other methods on the document's paths, requests without the token, and follows the
/// links between operations; any answer the document does not describe (a status, a
/// header, a body, a request refused that the document allows or served that it forbids,
/// a 404 instead of 405) fails the test with schemathesis's report.
@Suite struct OpenAPIConformanceTests {
    /// How schemathesis is run: through the `python3` that `scripts/install-deps` installed
    /// it with, whether or not pip's scripts folder is on the PATH.
    static let schemathesis = ["python3", "-c",
                               "import sys; from schemathesis.cli import schemathesis; sys.argv[0] = 'st'; schemathesis()"]

    static let installed: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import schemathesis"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// Test cases per operation and phase: about 1,300 requests, 40 seconds on two cores.
    static let examples = 100

    /// `POST /api/v1/shipments` answers 422 to a request the document allows when its
    /// `Idempotency-Key` came before with another body, as the document says: the fuzzer
    /// reuses keys, so 422 is an expected answer to a valid request there.
    static let configuration = """
        [[operations]]
        include-operation-id = "reportShipments"
        checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "404", "409", "422", "429", "5xx"]

        """

    @Test(.enabled(if: installed, "schemathesis is not installed (scripts/install-deps installs it with pip)"))
    func theServerAnswersAsItsDocumentSays() throws {
        let (workspace, simulator) = try OrdersCommandTests.retrieved()
        defer { kill(simulator.processIdentifier, SIGKILL); simulator.waitUntilExit(); workspace.remove() }
        let syndic = workspace.syndic
        let created = try syndic.run(["token", "create", "--name", "fuzzer"])
        #expect(created.status == 0, "\(created.stderr)")
        let token = created.stdout.trimmingCharacters(in: .newlines)
        try Self.recordAnError(workspace)

        let (server, port, log) = try ServeCommandTests.serve(workspace)
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let shipment = #"{"shipments": [{"order_id": "FR1002-A", "tracking_number": "1Z999", "carrier_code": "UPS", "shipping_date": "2026-03-28T10:00:00Z", "items": [{"line_number": 1, "quantity": 1}]}]}"#
        let posted = try HTTPClient(maxAttempts: 1).send(HTTPRequest(
            method: "POST", url: "http://127.0.0.1:\(port)/api/v1/shipments",
            headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")], body: Data(shipment.utf8)))
        #expect(posted.text.contains("\"accepted\":1"), "\(posted.text)")
        let withError = try ServeCommandTests.get(port, "/api/v1/orders/FR1001-A", token: token)
        #expect(withError.text.contains("has no order_state"), "the fuzzer sees an order with errors: \(withError.text)")

        try workspace.write("schemathesis.toml", Self.configuration)
        let started = Date()
        let (status, report) = try Self.run(Self.schemathesis + [
            "--config-file", "schemathesis.toml", "--no-color",
            "run", "http://127.0.0.1:\(port)/openapi.yaml", "--checks", "all",
            "--header", "Authorization: Bearer \(token)",
            "--max-examples", String(Self.examples), "--seed", "1", "--generation-database", "none",
            "--request-timeout", "10",
        ], in: workspace.root, timeout: 300)
        let seconds = Int(Date().timeIntervalSince(started))
        #expect(status == 0, "schemathesis found answers the document does not describe (\(seconds) s):\n\(Self.failures(report))")
        #expect(report.contains("No issues found"), "\(report)")
        server.terminate()
        server.waitUntilExit()
        _ = log.wait()
    }

    /// Has the simulator drop the state of order FR1001-A and retrieves again: the order
    /// keeps its stored state and gets an error.
    static func recordAnError(_ workspace: Workspace) throws {
        let channel = try String(contentsOf: workspace.root.appendingPathComponent("channels/shop.yaml"), encoding: .utf8)
        let endpoint = try #require(channel.split(separator: "\n").first { $0.contains("endpoint:") }?
            .split(separator: " ").last.map(String.init))
        let fixture = OrdersCommandTests.simulators.appendingPathComponent("mirakl_orders.json")
        let orders = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as? [[String: Any]])
        var order = try #require(orders.first { $0["order_id"] as? String == "FR1001-A" })
        order["order_state"] = nil
        order["last_updated_date"] = "2026-01-01T00:00:00Z"
        let replaced = try HTTPClient(maxAttempts: 1).send(HTTPRequest(
            method: "POST", url: "\(endpoint)/_sim/orders", headers: [("Content-Type", "application/json")],
            body: try JSONSerialization.data(withJSONObject: [order])))
        #expect(replaced.status == 200, "\(replaced.text)")
        let run = try workspace.syndic.run(["run", "shop", "order-retrieval", "--wait"], extra: ["SHOP_KEY": "shop-key", "TZ": "UTC"])
        #expect(run.stdout.contains("1 errors"), "\(run.stdout)\(run.stderr)")
    }

    /// Runs a command in `directory` (schemathesis keeps its files there), standard output
    /// and error together; killed after `timeout` seconds.
    static func run(_ arguments: [String], in directory: URL, timeout: TimeInterval) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let reader = ReadInBackground(output)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let text = String(decoding: reader.wait(), as: UTF8.self)
        return (process.terminationStatus, text)
    }

    /// The report from its failures on (each with the request that reproduces it), or all of
    /// it when it has none (schemathesis could not run).
    static func failures(_ report: String) -> String {
        guard let start = report.range(of: "FAILURES") ?? report.range(of: "ERRORS") else { return report }
        return String(report[start.lowerBound...])
    }
}
