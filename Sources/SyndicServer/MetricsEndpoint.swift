import Hummingbird
import Prometheus

/// A small HTTP server for a process that has no other (`syndic worker`,
/// `syndic reconcile --watch`): `GET /metrics` answers a registry in Prometheus text (format
/// 0.0.4), after `refresh` has set what is read at scrape time (such as the queue depth);
/// `GET /healthz` answers 200 `{"status":"ok"}` when `healthy` says so, else 503
/// `{"status":"unavailable"}`; anything else is a 404. It installs no signal handler: it
/// serves until the task running it is cancelled.
public struct MetricsEndpoint: Sendable {
    /// Where it listens.
    public let address: MetricsAddress
    let registry: PrometheusCollectorRegistry
    let refresh: (@Sendable () async -> Void)?
    let healthy: @Sendable () async -> Bool

    public init(address: MetricsAddress, registry: PrometheusCollectorRegistry,
                refresh: (@Sendable () async -> Void)? = nil,
                healthy: @escaping @Sendable () async -> Bool = { true }) {
        self.address = address
        self.registry = registry
        self.refresh = refresh
        self.healthy = healthy
    }

    /// Serves until the task running it is cancelled; `onListening` gets the port taken once
    /// it listens (the one asked, or the free port picked for port 0). Throws when it cannot
    /// listen, such as on a port already taken.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        var app = Application(
            responder: MetricsResponder(registry: registry, refresh: refresh, healthy: healthy),
            configuration: ApplicationConfiguration(address: .hostname(address.host, port: address.port),
                                                    serverName: "syndic"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) })
        app.logger.logLevel = .warning
        // `run()` rather than `runService()`: no SIGTERM/SIGINT handler of its own (the
        // command handles those); its service group stops when this task is cancelled.
        try await app.run()
    }
}

/// The answers of a `MetricsEndpoint`, by method and path.
struct MetricsResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let registry: PrometheusCollectorRegistry
    let refresh: (@Sendable () async -> Void)?
    let healthy: @Sendable () async -> Bool

    @Sendable func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .get else { return Self.notFound }
        switch request.uri.path {
        case "/metrics":
            if let refresh { await refresh() }
            var text: [UInt8] = []
            registry.emit(into: &text)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
        case "/healthz":
            return await healthy()
                ? Self.json(#"{"status":"ok"}"#, status: .ok)
                : Self.json(#"{"status":"unavailable"}"#, status: .serviceUnavailable)
        default:
            return Self.notFound
        }
    }

    /// 404 `{"error":"not found"}`.
    static var notFound: Response { json(#"{"error":"not found"}"#, status: .notFound) }

    /// A JSON answer.
    static func json(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
