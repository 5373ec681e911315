import Foundation
import Hummingbird
import SyndicCore

/// The outermost middleware: turns errors into JSON answers, counts every request and its
/// latency, and writes the access log. Every answer carries the request's id in
/// `X-Request-Id`; a failure of the server itself is a generic 500 with that id, its details
/// in the request's log line only.
struct ObservationMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let metrics: RequestMetrics
    let log: AccessLog

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.answer(error, notes: context.notes)
        }
        response.headers[named: "X-Request-Id"] = context.notes.requestID
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        metrics.record(route: route, method: request.method.rawValue, status: response.status.code, seconds: seconds)
        log.write(AccessLog.Entry(requestID: context.notes.requestID, method: request.method.rawValue,
                                  path: request.uri.path, query: request.uri.query, route: route,
                                  status: response.status.code, seconds: seconds, token: context.notes.tokenName,
                                  failure: context.notes.failure))
        return response
    }

    /// The answer to a thrown error: an API error as it is, Hummingbird's own errors as JSON,
    /// anything else (and any 500) the generic 500, its details kept in `notes` for the log.
    private static func answer(_ error: any Error, notes: RequestNotes) -> Response {
        if let error = error as? APIError, error.status != .internalServerError { return error.response }
        if let error = error as? any HTTPResponseError, error.status != .internalServerError { return answer(error) }
        notes.failure = (error as? APIError)?.message ?? String(describing: error)
        return internalError(requestID: notes.requestID)
    }

    /// `{"error": "internal error", "request_id": "<id>"}` with status 500.
    static func internalError(requestID: String) -> Response {
        var json = JSONWriter(capacity: 64)
        json.beginObject()
        json.key("error"); json.string("internal error")
        json.key("request_id"); json.string(requestID)
        json.endObject()
        return APIResponse.json(json, status: .internalServerError)
    }

    /// Hummingbird's own errors (no route, a body too large) as JSON.
    private static func answer(_ error: any HTTPResponseError) -> Response {
        switch error.status {
        case .notFound: return APIError(.notFound, code: "not_found", message: "no such route").response
        case .contentTooLarge: return APIError(.contentTooLarge, code: "too_large", message: "the request body is too large",
                                               field: "body").response
        default: return APIError(error.status, code: "error", message: (error as? HTTPError)?.body ?? error.status.reasonPhrase).response
        }
    }
}
