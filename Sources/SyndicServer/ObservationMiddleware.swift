import Foundation
import Hummingbird

/// The outermost middleware: turns errors into JSON answers, counts every request and its
/// latency, and writes the access log.
struct ObservationMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let metrics: RequestMetrics
    let log: AccessLog

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = error.response
        } catch let error as any HTTPResponseError {
            response = Self.answer(error)
        } catch {
            response = APIError(.internalServerError, code: "internal", message: "the request failed: \(error)").response
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        metrics.record(route: route, method: request.method.rawValue, status: response.status.code, seconds: seconds)
        log.write(AccessLog.Entry(at: Date(), method: request.method.rawValue, path: request.uri.path,
                                  query: request.uri.query, route: route, status: response.status.code, seconds: seconds,
                                  token: context.notes.tokenName))
        return response
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
