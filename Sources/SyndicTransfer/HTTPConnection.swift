import Foundation

/// One HTTP client connection kept open between requests (keep-alive), for a caller that
/// sends many requests in a row to one server: one attempt each, no retries; `http` and
/// `https` only, as `HTTPClient`. Not shared between threads.
public final class HTTPConnection {
    private let easy = CurlEasy()

    public init() {}

    /// Sends `request` on the kept connection (reopened by libcurl when the server closed it).
    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        easy.reset()
        return try HTTPClient.perform(request, on: easy)
    }
}
