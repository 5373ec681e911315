import Foundation
import SyndicTestSupport
import SyndicTransfer
import Testing

/// `syndic token` and `syndic serve` through the shipped binary: an ERP pulls the orders a
/// real retrieval stored, reports a shipment, and the worker's confirmation push sends it
/// to the Mirakl simulator; a revoked token is refused; SIGTERM stops the server.
@Suite struct ServeCommandTests {
    /// Starts `syndic serve --port 0` and reads the port it took.
    static func serve(_ workspace: Workspace) throws -> (Process, Int, ReadInBackground) {
        let (process, out, err) = try workspace.syndic.start(["serve", "--port", "0"])
        let log = ReadInBackground(err)
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while !text.contains("\n"), Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix("listening on http://127.0.0.1:"),
              let port = Int(line.split(separator: ":").last ?? "") else {
            process.terminate()
            throw TestSupportError("syndic serve did not start: \(text)")
        }
        return (process, port, log)
    }

    static func get(_ port: Int, _ path: String, token: String?) throws -> HTTPResponse {
        try HTTPClient(maxAttempts: 1).send(HTTPRequest(url: "http://127.0.0.1:\(port)\(path)",
                                                        headers: token.map { [("Authorization", "Bearer \($0)")] } ?? []))
    }

    @Test func anERPPullsOrdersAndReportsAShipmentThatIsConfirmed() throws {
        let (workspace, simulator) = try OrdersCommandTests.retrieved(confirmations: true)
        defer { kill(simulator.processIdentifier, SIGKILL); simulator.waitUntilExit(); workspace.remove() }
        let syndic = workspace.syndic
        let environment = ["SHOP_KEY": "shop-key", "TZ": "UTC"]

        let created = try syndic.run(["token", "create", "--name", "erp"])
        #expect(created.status == 0, "\(created.stderr)")
        let token = created.stdout.trimmingCharacters(in: .newlines)
        #expect(token.hasPrefix("syn_") && token.count == 68)
        #expect(created.stderr.contains("created token 1 \"erp\""))
        let taken = try syndic.run(["token", "create", "--name", "erp"])
        #expect(taken.status == 1)
        #expect(taken.stderr.contains("an access token named \"erp\" exists"))
        let listed = try syndic.run(["token", "list"])
        #expect(listed.stdout.contains("1   erp   \(token.prefix(12))…"))
        #expect(!listed.stdout.contains(token))
        let state = try workspace.stateBytes()
        #expect(state.range(of: Data(token.utf8)) == nil, "the state keeps only the hash")

        let (server, port, log) = try Self.serve(workspace)
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let page = try Self.get(port, "/api/v1/orders?status=WAITING_FOR_SHIPMENT,PARTIALLY_SHIPPED&limit=2", token: token)
        #expect(page.status == 200)
        let object = try #require(try JSONSerialization.jsonObject(with: page.body) as? [String: Any])
        #expect((object["orders"] as? [[String: Any]])?.count == 2)
        let next = try #require(object["next"] as? String)
        let rest = try #require(try JSONSerialization.jsonObject(with: try Self.get(port, next, token: token).body) as? [String: Any])
        let ids = ((object["orders"] as? [[String: Any]]) ?? []) + ((rest["orders"] as? [[String: Any]]) ?? [])
        #expect(Set(ids.compactMap { $0["order_id"] as? String }) == ["FR1002-A", "FR1003-A", "DE2001-A"])

        let body = #"{"shipments": [{"order_id": "FR1002-A", "tracking_number": "1Z999", "carrier_code": "UPS", "shipping_date": "2026-03-28T10:00:00Z"}]}"#
        let posted = try HTTPClient(maxAttempts: 1).send(HTTPRequest(
            method: "POST", url: "http://127.0.0.1:\(port)/api/v1/shipments",
            headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json"), ("Idempotency-Key", "k-1")],
            body: Data(body.utf8)))
        #expect(posted.status == 200, "\(posted.text)")
        #expect(posted.text.contains("\"accepted\":1"))

        let push = try syndic.run(["run", "shop", "confirmation-push", "--wait"], extra: environment)
        #expect(push.status == 0, "\(push.stdout)\(push.stderr)")
        #expect(push.stdout.contains("confirmed 1 shipments to mirakl"))
        let shown = try Self.get(port, "/api/v1/orders/FR1002-A", token: token)
        let detail = try #require(try JSONSerialization.jsonObject(with: shown.body) as? [String: Any])
        #expect((detail["shipments"] as? [[String: Any]])?.first?["status"] as? String == "confirmed")
        #expect((detail["shipments"] as? [[String: Any]])?.first?["source"] as? String == "api")

        let revoked = try syndic.run(["token", "revoke", "erp"])
        #expect(revoked.stdout == "revoked token 1 \"erp\"\n")
        #expect(try Self.get(port, "/api/v1/orders", token: token).status == 401)
        #expect(try syndic.run(["token", "revoke", "erp"]).status == 1)

        server.terminate()
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
        let logged = String(decoding: log.wait(), as: UTF8.self)
        // Text log lines by default: one per request, with the route and the token's name.
        #expect(logged.contains("POST /api/v1/shipments 2"))
        #expect(logged.contains(" route=/api/v1/shipments "))
        #expect(logged.contains(" token_name=erp"))
        #expect(!logged.contains(token))
    }
}
