import Foundation
import SyndicCore

/// Structured access logs: one JSON object per line per request. Tokens are never
/// written (the access token's name is), nor query values that look like secrets.
public struct AccessLog: Sendable {
    private let sink: @Sendable (String) -> Void

    /// Lines go to `sink` (each without its line feed).
    public init(sink: @escaping @Sendable (String) -> Void) {
        self.sink = sink
    }

    /// Lines go to standard error.
    public static let standardError = AccessLog { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// No access log.
    public static let off = AccessLog { _ in }

    /// Query parameters whose values are never logged.
    static let secretParameters: Set<String> = ["token", "access_token", "api_key", "key", "password", "secret"]

    struct Entry {
        var at: Date
        var method: String
        var path: String
        var query: String?
        var route: String
        var status: Int
        var seconds: Double
        var token: String?
    }

    func write(_ entry: Entry) {
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.key("at"); json.date(entry.at)
        json.key("event"); json.string("request")
        json.key("method"); json.string(entry.method)
        json.key("path"); json.string(entry.path)
        if let query = entry.query, !query.isEmpty { json.key("query"); json.string(Self.redacted(query)) }
        json.key("route"); json.string(entry.route)
        json.key("status"); json.int(entry.status)
        json.key("duration_ms"); json.double((entry.seconds * 100_000).rounded() / 100)
        json.key("token"); json.string(entry.token)
        json.endObject()
        sink(String(decoding: json.bytes, as: UTF8.self))
    }

    /// A query string with the values of secret-looking parameters replaced.
    static func redacted(_ query: String) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { pair in
            let name = pair.split(separator: "=", maxSplits: 1).first.map { String($0).lowercased() } ?? ""
            return secretParameters.contains(name) ? name + "=[redacted]" : String(pair)
        }.joined(separator: "&")
    }
}
