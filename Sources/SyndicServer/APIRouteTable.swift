import Hummingbird

/// Registers routes by their OpenAPI paths (`{id}`) and remembers them, so that the tests
/// compare the routes served with the document and a known path asked with another method
/// gets 405 with the methods it takes.
struct APIRouteTable {
    let router: Router<APIRequestContext>
    private(set) var registered: [APIRoute] = []

    init(router: Router<APIRequestContext>) {
        self.router = router
    }

    mutating func on(_ method: HTTPRequest.Method, _ path: String,
                     _ handler: @escaping @Sendable (Request, APIRequestContext) async throws -> Response) {
        registered.append(APIRoute(method: method.rawValue, path: path))
        let hummingbirdPath = path.split(separator: "/").map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : part
        }.joined(separator: "/")
        router.on(RouterPath("/" + hummingbirdPath), method: method, use: handler)
    }
}
