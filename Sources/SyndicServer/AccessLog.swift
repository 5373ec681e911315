import Foundation
import SyndicCore

/// Structured access logs: one JSON object per line per request, with the request's id
/// (its `X-Request-Id`) and, for a request that failed on the server's side, the error the
/// answer leaves out. Tokens are never written (the access token's name is), nor query
/// values that look like secrets.
public struct AccessLog: Sendable {
    private let sink: @Sendable (String) -> Void
    /// Where the lines of requests with a failure go.
    private let failureSink: @Sendable (String) -> Void

    /// Lines go to `sink` (each without its line feed).
    public init(sink: @escaping @Sendable (String) -> Void) {
        self.sink = sink
        self.failureSink = sink
    }

    private init(sink: @escaping @Sendable (String) -> Void, failures: @escaping @Sendable (String) -> Void) {
        self.sink = sink
        self.failureSink = failures
    }

    private static let writeStandardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Lines go to standard error.
    public static let standardError = AccessLog(sink: writeStandardError)

    /// No access log, but for the lines of requests that failed on the server's side (a 500,
    /// an unavailable `/healthz`): they alone say what went wrong. To standard error.
    public static let off = AccessLog(sink: { _ in }, failures: writeStandardError)

    /// Query parameters whose values are never logged.
    static let secretParameters: Set<String> = ["token", "access_token", "api_key", "key", "password", "secret", "code"]

    struct Entry {
        var at: Date
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
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.key("at"); json.date(entry.at)
        json.key("event"); json.string("request")
        json.key("request_id"); json.string(entry.requestID)
        json.key("method"); json.string(entry.method)
        json.key("path"); json.string(entry.path)
        if let query = entry.query, !query.isEmpty { json.key("query"); json.string(Self.redacted(query)) }
        json.key("route"); json.string(entry.route)
        json.key("status"); json.int(entry.status)
        json.key("duration_ms"); json.double((entry.seconds * 100_000).rounded() / 100)
        json.key("token"); json.string(entry.token)
        if let failure = entry.failure { json.key("error"); json.string(failure) }
        json.endObject()
        let line = String(decoding: json.bytes, as: UTF8.self)
        if entry.failure == nil {
            sink(line)
        } else {
            failureSink(line)
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
