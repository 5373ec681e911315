import Foundation
import Logging
import SyndicCore
import SyndicLogging

/// The access log: one line per request, through the process's log (text or JSON), with
/// the request's id (its `X-Request-Id`), method, path, query, route, status, duration and
/// the access token's name, and for a request that failed on the server's side the error
/// the answer leaves out (at error level). Tokens are never written, nor query values
/// that look like secrets.
public struct AccessLog: Sendable {
    private let logger: Logger
    /// Whether answered requests are logged (failures on the server's side always are).
    private let requests: Bool

    /// Lines go to `logger`; with `requests` false only the failures on the server's side.
    public init(logger: Logger, requests: Bool = true) {
        self.logger = logger
        self.requests = requests
    }

    /// Lines go to `sink` as JSON objects (each without its line feed).
    public init(sink: @escaping @Sendable (String) -> Void) {
        let handler = LineLogHandler(format: .json, level: .info, sink: LogSink(sink))
        self.init(logger: Logger(label: "syndic.access", factory: { _ in handler }))
    }

    /// JSON lines to standard error.
    public static let standardError = AccessLog(logger: Logger(label: "syndic.access", factory: { _ in
        LineLogHandler(format: .json, level: .info, sink: .standardError)
    }))

    /// Query parameters whose values are never logged.
    static let secretParameters: Set<String> = ["token", "access_token", "api_key", "key", "password", "secret", "code"]

    struct Entry {
        var requestID: String
        var method: String
        var path: String
        var query: String?
        var route: String
        var status: Int
        var seconds: Double
        var token: String?
        /// What failed on the server's side; never in the answer.
        var failure: String?
    }

    func write(_ entry: Entry) {
        guard requests || entry.failure != nil else { return }
        var metadata: Logger.Metadata = [
            "request_id": .string(entry.requestID),
            "method": .string(entry.method),
            "path": .string(entry.path),
            "route": .string(entry.route),
            "status": .stringConvertible(entry.status),
            "duration_ms": .stringConvertible((entry.seconds * 100_000).rounded() / 100),
        ]
        if let query = entry.query, !query.isEmpty { metadata["query"] = .string(Self.redacted(query)) }
        if let token = entry.token { metadata["token_name"] = .string(token) }
        let message: Logger.Message = "\(entry.method) \(entry.path) \(entry.status)"
        if let failure = entry.failure {
            metadata["error"] = .string(failure)
            logger.error(message, metadata: metadata)
        } else {
            logger.info(message, metadata: metadata)
        }
    }

    /// A query string with the values of secret-looking parameters replaced.
    static func redacted(_ query: String) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { pair in
            let name = pair.split(separator: "=", maxSplits: 1).first.map { String($0).lowercased() } ?? ""
            return secretParameters.contains(name) ? name + "=[redacted]" : String(pair)
        }.joined(separator: "&")
    }
}
