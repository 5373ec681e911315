import Foundation
import SyndicCore
import SyndicTransfer

/// The control routes every simulator serves under `/_sim/` (Tests/Simulators/README.md):
/// injected faults, the request log, received data. JSON in, JSON out, no authentication.
public struct SimulatorControl: Sendable {
    public let baseURL: String
    private let http = HTTPClient(maxAttempts: 1)

    public init(baseURL: String) {
        self.baseURL = baseURL
    }

    /// One API request as the simulator logged it.
    public struct LoggedRequest: Sendable, CustomStringConvertible {
        public var method: String
        public var path: String
        /// The query parameters (the last value of each).
        public var params: [String: String]
        /// The status answered; nil for a connection reset on purpose.
        public var status: Int?
        public var bodySize: Int
        /// The request's headers (lower-case names), without `Authorization`.
        public var headers: [String: String] = [:]

        public var description: String { "\(method) \(path) \(params) -> \(status.map(String.init) ?? "reset")" }
    }

    // MARK: - Routes

    /// `GET /_sim/<name>` as JSON.
    public func get(_ name: String) throws -> Value {
        try json(HTTPRequest(url: "\(baseURL)/_sim/\(name)", timeout: 30))
    }

    /// `POST /_sim/<name>` with a JSON body; the JSON answer.
    @discardableResult
    public func post(_ name: String, _ body: Value = .object([:])) throws -> Value {
        try json(HTTPRequest(method: "POST", url: "\(baseURL)/_sim/\(name)", headers: [("Content-Type", "application/json")],
                             body: Data(CanonicalJSON.string(body).utf8), timeout: 30))
    }

    /// Fails the next `count` requests whose path starts with `pathPrefix` (and whose query
    /// contains `queryContains`, when given) with `status`.
    public func fail(_ pathPrefix: String, status: Int, count: Int = 1, retryAfter: Int = 1,
                     queryContains: String? = nil) throws {
        var body: [String: Value] = ["path_prefix": .string(pathPrefix), "status": .int(status), "count": .int(count),
                                     "retry_after": .int(retryAfter)]
        if let queryContains { body["query_contains"] = .string(queryContains) }
        try post("fail", .object(body))
    }

    /// The API requests served so far, in order.
    public func requests() throws -> [LoggedRequest] {
        guard let entries = try get("requests").listValue else { throw TestSupportError("/_sim/requests is not a list") }
        return entries.map { entry in
            LoggedRequest(method: entry["method"]?.stringValue ?? "",
                          path: entry["path"]?.stringValue ?? "",
                          params: (entry["params"]?.objectValue ?? [:]).compactMapValues(\.stringValue),
                          status: entry["status"]?.intValue,
                          bodySize: entry["body_size"]?.intValue ?? 0,
                          headers: (entry["headers"]?.objectValue ?? [:]).compactMapValues(\.stringValue))
        }
    }

    /// Clears faults, the request log and the simulator's data.
    public func reset() throws { try post("reset") }

    private func json(_ request: HTTPRequest) throws -> Value {
        let response = try http.send(request)
        guard (200..<300).contains(response.status) else {
            throw TestSupportError("\(request.method) \(request.url): HTTP \(response.status) \(response.text)")
        }
        return try CanonicalJSON.parse(response.text)
    }
}
