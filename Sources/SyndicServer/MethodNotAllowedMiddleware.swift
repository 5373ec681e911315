import Hummingbird

/// Answers a request for a known path with a method the path does not take: 405 with
/// `Allow` listing the methods it takes. Added after every route, it sees only the requests
/// no route took; the others go on to the 404 of an unknown path.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let routes: [APIRoute]

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let matching = routes.filter { $0.matches(path) }
        guard let route = matching.first else { return try await next(request, context) }
        // The metrics and the access log name the route, as for the methods it takes.
        context.coreContext.endpointPath.value = route.path
        throw APIError.methodNotAllowed(request.method.rawValue, path: route.path, allowed: matching.map(\.method))
    }
}
