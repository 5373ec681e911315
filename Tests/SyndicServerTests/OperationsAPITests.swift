import Foundation
import Prometheus
import SyndicCore
@testable import SyndicStore
import Testing
import Yams
@testable import SyndicServer

/// `/healthz`, `/metrics`, the access log, and the OpenAPI document against the routes.
@Suite struct OperationsAPITests {
    typealias F = APIFixtures

    @Test func healthSaysTheStateAnswers() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        let response = try await api.send("/healthz", token: .some(nil))
        #expect(response.status == 200)
        #expect(response.text == "{\"status\":\"ok\"}")
        #expect(response.header("X-Request-Id")?.count == 16)
    }

    /// A state that does not answer: `/healthz` says 503, a route that reads the state 500,
    /// each with its request id and nothing of the error, which only the log line of that id
    /// holds.
    @Test func failuresAnswerARequestIDAndOnlyTheLogHasTheDetails() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        try api.store.pool.close()
        let health = try await api.send("/healthz", token: .some(nil))
        #expect(health.status == 503)
        let healthID = try #require(health.header("X-Request-Id"))
        #expect(health.text == "{\"status\":\"unavailable\",\"request_id\":\"\(healthID)\"}")
        var failures = [(id: healthID, route: "/healthz")]
        // One before the token check (it reads no token) and one behind it (the token lookup fails).
        for path in ["/metrics", "/api/v1/orders"] {
            let token: String?? = path == "/metrics" ? .some(nil) : .none
            let response = try await api.send(path, token: token)
            #expect(response.status == 500, "\(path)")
            let id = try #require(response.header("X-Request-Id"))
            #expect(response.text == "{\"error\":\"internal error\",\"request_id\":\"\(id)\"}", "\(path)")
            #expect(response.header("Content-Type") == "application/json")
            failures.append((id: id, route: path))
        }
        #expect(Set(failures.map { $0.id }).count == 3)
        let entries = try api.accessLog.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        for failure in failures {
            let entry = try #require(entries.first(where: { $0["request_id"] as? String == failure.id }), "\(failure)")
            #expect(entry["path"] as? String == failure.route)
            let error = try #require(entry["error"] as? String, "\(entry)")
            #expect(error.contains("Connection is closed"), "\(error)")
        }
    }

    @Test func metricsCountRequestsAndReadTheState() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        try F.upsert(api.store, [F.order("A"), F.order("B")], channel: "fr")
        for _ in 0..<3 { _ = try await api.send("/api/v1/orders") }
        _ = try await api.send("/api/v1/orders", token: .some(nil))
        _ = try await api.send("/api/v1/orders/A")
        let response = try await api.send("/metrics", token: .some(nil))
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        let lines = Set(response.text.split(separator: "\n").map(String.init))
        #expect(lines.contains("syndic_http_requests_total{route=\"/api/v1/orders\",method=\"GET\",status=\"200\"} 3"))
        #expect(lines.contains("syndic_http_requests_total{route=\"/api/v1/orders\",method=\"GET\",status=\"401\"} 1"))
        #expect(lines.contains("syndic_http_requests_total{route=\"/api/v1/orders/{id}\",method=\"GET\",status=\"200\"} 1"))
        #expect(lines.contains("syndic_http_request_duration_seconds_count{route=\"/api/v1/orders\",method=\"GET\"} 4"))
        #expect(lines.contains("syndic_http_request_duration_seconds_bucket{route=\"/api/v1/orders\",method=\"GET\",le=\"+Inf\"} 4"))
        #expect(lines.contains("syndic_orders_ingested{channel=\"fr\"} 2.0"))
        #expect(lines.contains("# TYPE syndic_http_request_duration_seconds histogram"))
        #expect(lines.contains("syndic_http_request_duration_seconds_bucket{route=\"/api/v1/orders\",method=\"GET\",le=\"5.0\"} 4"))
        let buckets = lines.filter { $0.hasPrefix("syndic_http_request_duration_seconds_bucket{route=\"/api/v1/orders\",method=\"GET\",") }
        #expect(buckets.count == 13, "1 ms … 5 s and +Inf: \(buckets)")
        #expect(buckets.contains(where: { $0.contains("le=\"0.001\"} ") }) && buckets.contains(where: { $0.contains("le=\"0.0025\"} ") }))
        #expect(lines.contains("# HELP syndic_orders_ingested Orders retrieved from the marketplaces and stored, by channel."))
        #expect(lines.contains("# TYPE syndic_orders_ingested gauge"))
    }

    /// Two servers in one process keep their own counts: each has its own registry.
    @Test func eachServerCountsItsOwnRequests() async throws {
        let first = try await APIHarness()
        defer { Task { await first.stop() } }
        let second = try await APIHarness()
        defer { Task { await second.stop() } }
        for _ in 0..<2 { _ = try await first.send("/api/v1/orders") }
        let metrics = try await second.send("/metrics", token: .some(nil)).text
        #expect(!metrics.contains("route=\"/api/v1/orders\""), "\(metrics)")
        let own = try await first.send("/metrics", token: .some(nil)).text
        #expect(own.contains("syndic_http_requests_total{route=\"/api/v1/orders\",method=\"GET\",status=\"200\"} 2"))
    }

    @Test func jobGaugesComeFromTheRunsKept() {
        let registry = PrometheusCollectorRegistry()
        let gauges = OperationalGauges(registry: registry)
        gauges.update(OperationalCounts(
            runs: [.init(job: "order-retrieval", status: "succeeded"): 4, .init(job: "order-retrieval", status: "failed"): 1,
                   .init(job: "order-retrieval", status: "queued"): 1, .init(job: "confirmation-push", status: "succeeded"): 2],
            orders: ["fr": 7, "a\"b": 1], shipments: ["pending": 2, "confirmed": 5]))
        var lines = registry.emitToString().split(separator: "\n").map(String.init)
        #expect(lines.contains("syndic_jobs_run{job=\"order-retrieval\"} 5.0"), "finished runs only")
        #expect(lines.contains("syndic_jobs_failed{job=\"order-retrieval\"} 1.0"))
        #expect(lines.contains("syndic_jobs_run{job=\"confirmation-push\"} 2.0"))
        #expect(lines.contains("syndic_jobs_failed{job=\"confirmation-push\"} 0.0"))
        #expect(lines.contains("syndic_shipments{status=\"confirmed\"} 5.0"))
        #expect(lines.contains("syndic_orders_ingested{channel=\"a\\\"b\"} 1.0"), "label values are escaped")
        #expect(lines.contains("# HELP syndic_jobs_run Finished job runs kept in the state (logs.retainDays), by job kind."))

        // The next scrape: confirmation-push's runs were purged, a channel and its orders removed.
        gauges.update(OperationalCounts(
            runs: [.init(job: "order-retrieval", status: "succeeded"): 6],
            orders: ["fr": 9], shipments: [:]))
        lines = registry.emitToString().split(separator: "\n").map(String.init)
        #expect(lines.contains("syndic_jobs_run{job=\"order-retrieval\"} 6.0"))
        #expect(lines.contains("syndic_jobs_failed{job=\"order-retrieval\"} 0.0"))
        #expect(lines.contains("syndic_orders_ingested{channel=\"fr\"} 9.0"))
        #expect(!lines.contains(where: { $0.contains("confirmation-push") || $0.contains("a\\\"b") }),
                "gone from the state, gone from /metrics")
        #expect(!lines.contains(where: { $0.contains("syndic_shipments") }), "\(lines)")
    }

    @Test func accessLogsAreJSONLinesWithoutTokens() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        _ = try await api.send("/api/v1/orders?limit=3&access_token=leak")
        _ = try await api.send("/api/v1/orders", token: .some("syn_wrong"))
        let entries = try api.accessLog.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(entries.count == 2)
        #expect(entries[0]["method"] as? String == "GET")
        #expect(entries[0]["route"] as? String == "/api/v1/orders")
        #expect(entries[0]["status"] as? Int == 400, "access_token is not a parameter of the API")
        #expect(entries[0]["query"] as? String == "limit=3&access_token=[redacted]")
        #expect(entries[0]["token_name"] as? String == "erp")
        #expect(entries[0]["level"] as? String == "info")
        #expect(entries[0]["message"] as? String == "GET /api/v1/orders 400")
        #expect(entries[0]["timestamp"] is String)
        #expect(entries[0]["duration_ms"] is Double || entries[0]["duration_ms"] is Int)
        #expect(entries[1]["status"] as? Int == 401)
        #expect(entries[1]["token_name"] == nil)
        #expect(entries.allSatisfy { ($0["request_id"] as? String)?.count == 16 && $0["error"] == nil })
        let all = api.accessLog.joined(separator: "\n")
        #expect(!all.contains(api.token) && !all.contains("syn_wrong") && !all.contains("leak"))
    }

    /// The routes the server registers are the document's, and each documented route answers.
    @Test func theOpenAPIDocumentMatchesTheRoutesBothWays() async throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/SyndicServer/openapi.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect(document["openapi"] as? String == "3.0.3")
        let paths = try #require(document["paths"] as? [String: Any])
        var documented: Set<APIRoute> = []
        for (path, item) in paths {
            for method in (item as? [String: Any] ?? [:]).keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                documented.insert(APIRoute(method: method.uppercased(), path: path))
            }
        }
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        let registered = OrdersAPI(store: api.store).makeRouter().1
        #expect(Set(registered) == documented)
        #expect(registered.count == documented.count)

        try F.upsert(api.store, [F.order("A")])
        for route in documented {
            let path = route.path.replacingOccurrences(of: "{id}", with: "A")
            let body = route.method == "POST" ? Data("{\"shipments\": [{\"order_id\": \"A\", \"shipping_date\": 1}]}".utf8) : nil
            let response = try await api.send(route.method, path, body: body)
            #expect(response.status == 200, "\(route.method) \(route.path): \(response.status)")
        }
        for path in Set(documented.map(\.path)) {
            let methods = documented.filter { $0.path == path }.map(\.method).sorted()
            let other = ["GET", "POST", "PUT", "PATCH", "DELETE"].first { !methods.contains($0) }!
            let response = try await api.send(other, path.replacingOccurrences(of: "{id}", with: "A"))
            #expect(response.status == 405, "\(other) \(path)")
            #expect(response.header("Allow") == methods.joined(separator: ", "), "\(path)")
        }
        let served = try await api.send("/openapi.yaml", token: .some(nil))
        #expect(served.text == text, "the server serves the document kept in the repository")
        #expect(served.header("Content-Type") == "application/yaml")
    }

    /// A path of the document asked with a method it does not list: 405 with `Allow`, behind
    /// the token for `/api/v1` paths (401 without one), without a token for the others.
    @Test func knownPathsWithAnotherMethodAre405sWithAllow() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        for (method, path, allow) in [("DELETE", "/api/v1/orders", "GET"), ("POST", "/api/v1/orders", "GET"),
                                      ("PUT", "/api/v1/orders/A", "GET"), ("GET", "/api/v1/shipments", "POST"),
                                      ("OPTIONS", "/api/v1/shipments", "POST"), ("PATCH", "/api/v1/orders/", "GET")] {
            let response = try await api.send(method, path)
            #expect(response.status == 405, "\(method) \(path)")
            #expect(response.header("Allow") == allow, "\(method) \(path)")
            #expect(response.errorCode == "method_not_allowed")
            #expect(try await api.send(method, path, token: .some(nil)).status == 401, "\(method) \(path) without a token")
        }
        for path in ["/healthz", "/metrics", "/openapi.yaml"] {
            let response = try await api.send("POST", path, token: .some(nil))
            #expect(response.status == 405, "\(path)")
            #expect(response.header("Allow") == "GET")
            #expect(response.text == "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"\(path) takes GET, not POST\"}}")
        }
        let metrics = try await api.send("/metrics", token: .some(nil))
        #expect(metrics.text.contains("syndic_http_requests_total{route=\"/api/v1/orders\",method=\"DELETE\",status=\"405\"} 1"))
    }

    @Test func unknownRoutesAreJSON404sBehindTheToken() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        let response = try await api.send("/api/v2/orders")
        #expect(response.status == 404)
        #expect(response.errorCode == "not_found")
        #expect(try await api.send("/api/v2/orders", token: .some(nil)).status == 401)
    }
}
