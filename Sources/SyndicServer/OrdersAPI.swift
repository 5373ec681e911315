import Foundation
import Hummingbird
import Prometheus
import SyndicCore

/// The Orders API (`syndic serve`): ERPs pull orders and report shipments over HTTP,
/// with access tokens, over the same state the worker uses; with a `Console`, the web
/// console under `/` beside it.
public struct OrdersAPI: Sendable {
    let store: any APIStore
    let options: APIServerOptions
    let log: AccessLog
    /// Where the server's metrics live: `/metrics` emits it.
    let registry: PrometheusCollectorRegistry
    /// The request counter and latency histogram, on `registry`.
    let metrics: RequestMetrics
    /// The gauges read from the state at each scrape, on `registry`.
    let gauges: OperationalGauges
    let usage = TokenUsage()
    /// The web console under `/`, when served.
    let console: Console?

    public init(store: any APIStore, options: APIServerOptions = APIServerOptions(), log: AccessLog = .standardError,
                console: Console? = nil, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.store = store
        self.registry = registry
        self.metrics = RequestMetrics(registry: registry)
        self.gauges = OperationalGauges(registry: registry)
        self.options = options
        self.log = log
        self.console = console
    }

    /// Serves until SIGTERM/SIGINT (or the task is cancelled); `onListening` gets the port
    /// taken once the server listens.
    public func run(onListening: @escaping @Sendable (Int) async -> Void) async throws {
        // The console's templates are read once, before listening: one missing fails the start.
        var views: ConsoleViews?
        if console != nil { views = try await ConsoleViews.load() }
        let (router, _) = makeRouter(consoleViews: views)
        var app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: "syndic"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) })
        // The access log says what happened; the framework's own notices only when they matter.
        app.logger.logLevel = .warning
        try await app.runService()
    }

    /// The router with every route, and the routes registered (method, OpenAPI path). The
    /// console's routes are there when the API has a console and its views are given.
    func makeRouter(consoleViews: ConsoleViews? = nil) -> (Router<APIRequestContext>, [APIRoute]) {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: ObservationMiddleware(metrics: metrics, log: log))
        var routes = APIRouteTable(router: router)
        routes.on(.get, "/healthz", health)
        routes.on(.get, "/metrics", prometheus)
        routes.on(.get, "/openapi.yaml", openAPIDocument)
        // Before the token check: console pages take a session cookie, never an access token.
        if let console, let consoleViews {
            ConsoleRoutes(console: console, views: consoleViews, maxBodyBytes: options.maxBodyBytes).register(on: &routes)
        }
        router.add(middleware: TokenMiddleware(store: store, usage: usage, open: routes.registered))
        routes.on(.get, "/api/v1/orders", listOrders)
        routes.on(.get, "/api/v1/orders/{id}", showOrder)
        routes.on(.post, "/api/v1/shipments", reportShipments)
        // Added after every route, so it wraps only the answer to a request no route took.
        router.add(middleware: MethodNotAllowedMiddleware(routes: routes.registered))
        return (router, routes.registered)
    }
}
