import Foundation
import SyndicTestSupport
import Testing
@testable import SyndicTransfer

/// The HTTP client against a real local HTTP server.
@Suite struct HTTPClientTests {
    /// Records the pauses instead of sleeping.
    final class Pauses: @unchecked Sendable {
        private let lock = NSLock()
        private var recorded: [Double] = []
        var values: [Double] { lock.withLock { recorded } }
        func add(_ value: Double) { lock.withLock { recorded.append(value) } }
    }

    private func client(_ pauses: Pauses, attempts: Int = 4) -> HTTPClient {
        HTTPClient(maxAttempts: attempts, baseDelay: 0.5, maxDelay: 30, sleep: { pauses.add($0) })
    }

    @Test func sendsMethodHeadersAndBody() throws {
        let server = try LocalServer(script: "http_server.py")
        let response = try HTTPClient().send(HTTPRequest(
            method: "PATCH", url: "http://127.0.0.1:\(server.port)/echo?x=1",
            headers: [("Content-Type", "application/vnd.akeneo.collection+json"), ("Authorization", "Bearer t0k")],
            body: Data("{\"identifier\":\"a\"}\n{\"identifier\":\"b\"}".utf8)))
        #expect(response.status == 200)
        let echo = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        #expect(echo?["method"] as? String == "PATCH")
        #expect(echo?["path"] as? String == "/echo?x=1")
        #expect(echo?["body"] as? String == "{\"identifier\":\"a\"}\n{\"identifier\":\"b\"}")
        let headers = echo?["headers"] as? [String: String]
        #expect(headers?["content-type"] == "application/vnd.akeneo.collection+json")
        #expect(headers?["authorization"] == "Bearer t0k")
        #expect(response.header("content-type") == "application/json")
    }

    @Test func multipartCarriesFieldsAndTheFile() throws {
        let server = try LocalServer(script: "http_server.py")
        let request = HTTPRequest.multipart(url: "http://127.0.0.1:\(server.port)/echo", fields: [("import_mode", "NORMAL")],
                                            fileField: "file", fileName: "offers.csv", fileType: "text/csv",
                                            file: Data("sku;price\nA;1.00\n".utf8))
        let echo = try JSONSerialization.jsonObject(with: HTTPClient().send(request).body) as? [String: Any]
        let body = echo?["body"] as? String ?? ""
        #expect(echo?["method"] as? String == "POST")
        #expect(body.contains("name=\"import_mode\"\r\n\r\nNORMAL\r\n"))
        #expect(body.contains("filename=\"offers.csv\"\r\nContent-Type: text/csv\r\n\r\nsku;price\nA;1.00\n\r\n"))
    }

    @Test func tooManyRequestsIsRetriedAfterRetryAfter() throws {
        let server = try LocalServer(script: "http_server.py")
        let pauses = Pauses()
        let response = try client(pauses).send(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(server.port)/busy/2"))
        #expect(response.status == 200)
        #expect(response.text.contains("\"attempts\": 3"))
        #expect(pauses.values == [1, 1])
    }

    @Test func serverErrorsBackOffThenTheLastResponseIsReturned() throws {
        let server = try LocalServer(script: "http_server.py")
        let pauses = Pauses()
        let response = try client(pauses).send(HTTPRequest(url: "http://127.0.0.1:\(server.port)/down"))
        #expect(response.status == 500)
        #expect(pauses.values == [0.5, 1, 2])
        // A POST is not retried after a 5xx unless the caller says it is safe.
        let post = try client(pauses).send(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(server.port)/down"))
        #expect(post.status == 500)
        let count = try HTTPClient().send(HTTPRequest(url: "http://127.0.0.1:\(server.port)/count"))
        #expect(count.text.contains("\"down\": 5"))
    }

    @Test func timeoutsAndRefusedConnectionsFailClearly() throws {
        let server = try LocalServer(script: "http_server.py")
        let pauses = Pauses()
        do {
            _ = try client(pauses, attempts: 1).send(HTTPRequest(url: "http://127.0.0.1:\(server.port)/slow?token=secret",
                                                                 timeout: 1))
            Issue.record("a slow server did not time out")
        } catch let error as TransferError {
            #expect(error.message.hasPrefix("GET http://127.0.0.1:\(server.port)/slow failed: "))
            #expect(!error.message.contains("secret"))
        }
        let port = server.port
        server.kill()
        #expect(throws: TransferError.self) { try client(pauses, attempts: 2).send(HTTPRequest(url: "http://127.0.0.1:\(port)/echo")) }
        #expect(pauses.values == [0.5])
    }

    /// `file`, `ftp` and the other schemes libcurl knows are refused before anything is read
    /// or connected to, by the client (at once, not retried) and by a kept connection alike.
    @Test func onlyHTTPAndHTTPSAreFetched() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-scheme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("secret.txt")
        try Data("not-for-http-3b7c".utf8).write(to: file)
        let port = try TestPaths.closedPort()
        let pauses = Pauses()
        for url in [file.absoluteString, "ftp://127.0.0.1:\(port)/", "dict://127.0.0.1:\(port)/", "gopher://127.0.0.1:\(port)/"] {
            do {
                let response = try client(pauses).send(HTTPRequest(url: url))
                Issue.record("\(url) was fetched: \(response.text)")
            } catch let error as TransferError {
                #expect(error.code == 1, "\(error.message)")  // CURLE_UNSUPPORTED_PROTOCOL
                #expect(error.message.contains("only http and https URLs are allowed"), "\(error.message)")
                #expect(!error.message.contains("not-for-http"))
            }
            do {
                let response = try HTTPConnection().send(HTTPRequest(url: url))
                Issue.record("\(url) was fetched on a connection: \(response.text)")
            } catch let error as TransferError {
                #expect(error.code == 1, "\(error.message)")
            }
        }
        #expect(pauses.values.isEmpty)
    }

    @Test(arguments: [("3", 3.0), ("120", 30.0), ("-4", 0.0)])
    func retryAfterSecondsAreHonouredAndCapped(_ header: String, _ expected: Double) {
        #expect(HTTPClient(maxDelay: 30).delay(after: 1, retryAfter: header) == expected)
    }

    @Test func retryAfterMayBeAnHTTPDate() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let delay = HTTPClient(maxDelay: 60).delay(after: 1, retryAfter: formatter.string(from: Date().addingTimeInterval(10)))
        #expect(delay > 8 && delay <= 10)
    }
}
