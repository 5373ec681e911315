import CCurl
import Foundation

/// HTTP(S) through libcurl, retrying 429 and 5xx responses (and failed connections) with
/// exponential backoff, honouring `Retry-After`. Only `http` and `https` URLs are fetched:
/// libcurl refuses every other scheme (`file`, `ftp`, …) it knows.
public struct HTTPClient: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// Delay before the second attempt when the server gives none; doubles each time.
    public var baseDelay: Double
    /// Longest delay, also the cap on a server's `Retry-After`.
    public var maxDelay: Double
    /// How the client waits between attempts (tests count instead of sleeping).
    public var sleep: @Sendable (Double) -> Void
    /// Whether a 429 is retried here; off for APIs whose callers pace themselves from usage
    /// plans and handle a 429 with what they know of the quota.
    public var retriesRateLimits = true
    /// Told of each attempt as it ends, for metrics: the request, the status it got (nil when
    /// no answer came) and, when another attempt follows, the seconds waited before it.
    /// Nothing by default; it changes nothing of what is sent.
    public var onAttempt: (@Sendable (_ request: HTTPRequest, _ status: Int?, _ retryDelay: Double?) -> Void)?

    public init(maxAttempts: Int = 4, baseDelay: Double = 1, maxDelay: Double = 60,
                sleep: @escaping @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.sleep = sleep
    }

    /// Sends `request`; returns the final response (which may still be an error status once
    /// the attempts are used up). `retryUnsafe` allows retrying a POST after a 5xx or a
    /// connection failure (a 429 is always retried: the server did not process it).
    public func send(_ request: HTTPRequest, retryUnsafe: Bool = false) throws -> HTTPResponse {
        let idempotent = ["GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"].contains(request.method) || retryUnsafe
        var attempt = 1
        while true {
            do {
                let response = try perform(request)
                let retryable = (response.status == 429 && retriesRateLimits) || (response.status >= 500 && idempotent)
                guard retryable, attempt < maxAttempts else {
                    onAttempt?(request, response.status, nil)
                    return response
                }
                let pause = delay(after: attempt, retryAfter: response.header("Retry-After"))
                onAttempt?(request, response.status, pause)
                sleep(pause)
            } catch let failure as TransferError {
                // A failed connection or a timeout: retried like a 5xx (a refused scheme is not).
                guard idempotent, attempt < maxAttempts, failure.code != Int(CURLE_UNSUPPORTED_PROTOCOL.rawValue) else {
                    onAttempt?(request, nil, nil)
                    throw failure
                }
                let pause = delay(after: attempt, retryAfter: nil)
                onAttempt?(request, nil, pause)
                sleep(pause)
            }
            attempt += 1
        }
    }

    /// The pause before the attempt after `attempt`: the server's `Retry-After` (seconds or
    /// an HTTP date) when given, capped by `maxDelay`; otherwise exponential backoff.
    public func delay(after attempt: Int, retryAfter: String?) -> Double {
        if let retryAfter {
            if let seconds = Double(retryAfter.trimmingCharacters(in: .whitespaces)) { return min(maxDelay, max(0, seconds)) }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            if let date = formatter.date(from: retryAfter) { return min(maxDelay, max(0, date.timeIntervalSinceNow)) }
        }
        return min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
    }

    /// One attempt.
    private func perform(_ request: HTTPRequest) throws -> HTTPResponse {
        try Self.perform(request, on: CurlEasy())
    }

    /// One attempt on `easy` (a fresh handle, or a reset one that keeps its connections).
    static func perform(_ request: HTTPRequest, on easy: CurlEasy) throws -> HTTPResponse {
        easy.set(CURLOPT_URL, request.url)
        easy.set(CURLOPT_PROTOCOLS_STR, allowedSchemes)
        easy.set(CURLOPT_REDIR_PROTOCOLS_STR, allowedSchemes)
        easy.set(CURLOPT_CONNECTTIMEOUT, min(30, request.timeout))
        easy.set(CURLOPT_TIMEOUT, request.timeout)
        easy.set(CURLOPT_CUSTOMREQUEST, request.method)
        if request.method == "HEAD" { easy.set(CURLOPT_NOBODY, 1) }
        easy.set(CURLOPT_HTTPHEADER, lines: request.headers.map { "\($0.name): \($0.value)" } + ["Expect:"])
        if let body = request.body {
            easy.setOffset(CURLOPT_POSTFIELDSIZE_LARGE, Int64(body.count))
            easy.set(CURLOPT_POST, 1)  // the body comes from the read callback; the method stays custom
        }
        let outcome = easy.perform(upload: request.body)
        guard outcome.result == CURLE_OK else {
            let hint = outcome.result == CURLE_UNSUPPORTED_PROTOCOL ? " (only http and https URLs are allowed)" : ""
            throw TransferError(code: Int(outcome.result.rawValue),
                                message: "\(request.method) \(HTTPClient.redacted(request.url)) failed: \(outcome.error)\(hint)")
        }
        var headers: [(name: String, value: String)] = []
        for line in outcome.headers {
            if line.hasPrefix("HTTP/") { headers.removeAll() }  // keep the last response's headers
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return HTTPResponse(status: easy.responseCode, headers: headers, body: outcome.body)
    }

    /// The schemes libcurl may use, for a request and for any redirect it follows.
    static let allowedSchemes = "http,https"

    /// A URL without user info or query, for messages.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(url)" }
        components.user = nil
        components.password = nil
        components.query = nil
        return components.string ?? "(url)"
    }
}
