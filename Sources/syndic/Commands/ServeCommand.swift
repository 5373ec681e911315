import ArgumentParser
import Foundation
import Logging
import SyndicServer

/// `syndic serve`: the Orders API and the web console over the state.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the Orders API (ERPs pull orders and report shipments) and the web console.",
        discussion: """
            Every /api/v1 call needs `Authorization: Bearer <token>` (`syndic token create`). \
            /healthz, /metrics and /openapi.yaml need none. The web console answers under / and needs a \
            session: once it listens, serve prints `listening on http://HOST:PORT`, then a one-time login \
            link (one use, valid 10 minutes; `syndic login-link` prints another). Log lines, one per request \
            among them, go to standard error (--log-format). SIGTERM or SIGINT stops it (exit 0).
            """)

    @OptionGroup var options: GlobalOptions

    @OptionGroup(title: "Logging") var logging: LoggingOptions

    @Option(name: .long, help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0: any free port).")
    var port: Int = 8080

    @Option(name: .long, help: "The largest request body accepted, in bytes (larger: 413).")
    var maxBodyBytes: Int = 1 << 20

    @Flag(name: .long, help: "Write no access log (the lines of requests the server failed are still written).")
    var noAccessLog = false

    @Option(name: .long, help: ArgumentHelp(
        "The console's public base URL, as browsers reach it (default: http://HOST:PORT as it listens).",
        discussion: "Behind an https proxy give the https URL: the session cookie is then Secure."))
    var url: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard maxBodyBytes >= 1024 else { throw ValidationError("--max-body-bytes must be at least 1024") }
        if let url, ConsoleBaseURL.normalized(url) == nil { throw ValidationError(ConsoleBaseURL.requirement("--url", url)) }
    }

    func run() async throws {
        let logger = try logging.bootstrap(label: "syndic.serve")
        let store = try options.openStore()
        var serverOptions = APIServerOptions()
        serverOptions.host = host
        serverOptions.port = port
        serverOptions.maxBodyBytes = maxBodyBytes
        let host = self.host
        let publicURL = url.flatMap(ConsoleBaseURL.normalized)
        let api = OrdersAPI(store: store, options: serverOptions, log: AccessLog(logger: logger, requests: !noAccessLog),
                            console: Console(store: store, baseURL: publicURL))
        do {
            try await api.run { port in
                Output.print("listening on http://\(host):\(port)")
                // The console checks a code against the real clock, so the link is made with it too.
                let base = publicURL ?? ConsoleBaseURL.local(host: host, port: port)
                do {
                    let link = try ConsoleAuth.issueLoginLink(store: store, baseURL: base, next: nil, now: Date())
                    Output.print("console: open \(link) (one use, valid 10 minutes)")
                } catch {
                    logger.warning("no console login link: \(error); `syndic login-link` makes one")
                }
            }
        } catch {
            throw Failure.exit("the Orders API stopped: \(error)")
        }
    }
}
