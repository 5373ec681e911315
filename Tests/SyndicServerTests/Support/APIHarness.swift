import Foundation
import SyndicCore
import SyndicServer
import SyndicStore
import SyndicTestSupport
import SyndicTransfer

/// An Orders API server on a free 127.0.0.1 port over a scratch state, called over real
/// HTTP (libcurl). The access log is kept for the tests to read.
final class APIHarness: @unchecked Sendable {
    let directory: String
    let store: SQLiteStateStore
    private(set) var port = 0
    /// The token `erp`, created with the harness.
    private(set) var token = ""
    private let task: Task<Void, any Error>
    private let logBox = LogBox()

    init(options configure: (inout APIServerOptions) -> Void = { _ in }) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-api-\(UUID().uuidString)").path
        store = try SQLiteStateStore(path: directory + "/state.sqlite")
        var options = APIServerOptions()
        options.port = 0
        configure(&options)
        let box = logBox
        let api = OrdersAPI(store: store, options: options, log: AccessLog { box.append($0) })
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        task = Task { try await api.run { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw TestSupportError("the server did not start") }
        self.port = port
        token = try createToken(name: "erp")
    }

    deinit {
        task.cancel()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Stops the server and waits for it.
    func stop() async {
        task.cancel()
        _ = await task.result
    }

    /// A new token (as `syndic token create` makes it).
    func createToken(name: String) throws -> String {
        let (token, prefix, hash) = APIToken.generate()
        _ = try store.createAccessToken(name: name, hash: hash, prefix: prefix, at: Date())
        return token
    }

    /// The access log lines so far.
    var accessLog: [String] { logBox.lines }

    var base: String { "http://127.0.0.1:\(port)" }

    /// A GET of `path`.
    func send(_ path: String, token: String?? = .none, headers: [(name: String, value: String)] = []) async throws
        -> HTTPResponse {
        try await send("GET", path, token: token, headers: headers)
    }

    /// Sends a request off the cooperative pool with the harness's token, or `token`
    /// (`.some(nil)`: no Authorization header).
    func send(_ method: String, _ path: String, token: String?? = .none, body: Data? = nil,
              headers: [(name: String, value: String)] = []) async throws -> HTTPResponse {
        var all = headers
        let bearer: String? = switch token {
        case .none: self.token
        case .some(let explicit): explicit
        }
        if let bearer { all.append(("Authorization", "Bearer \(bearer)")) }
        if body != nil, !all.contains(where: { $0.name == "Content-Type" }) { all.append(("Content-Type", "application/json")) }
        let request = HTTPRequest(method: method, url: base + path, headers: all, body: body)
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try HTTPClient(maxAttempts: 1).send(request) })
            }
        }
    }

    /// A POST of JSON text.
    func post(_ path: String, json: String, headers: [(name: String, value: String)] = []) async throws -> HTTPResponse {
        try await send("POST", path, body: Data(json.utf8), headers: headers)
    }
}

/// The access log lines, appended from the server's tasks.
final class LogBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func append(_ line: String) {
        lock.lock()
        stored.append(line)
        lock.unlock()
    }

    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

extension HTTPResponse {
    /// The body as a JSON object.
    var object: [String: Any] {
        get throws {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw TestSupportError("not a JSON object: \(text)")
            }
            return object
        }
    }

    /// `error.field` and `error.code` of an error answer.
    var errorField: String? { (try? object)?["error"].flatMap { ($0 as? [String: Any])?["field"] as? String } }
    var errorCode: String? { (try? object)?["error"].flatMap { ($0 as? [String: Any])?["code"] as? String } }
}
