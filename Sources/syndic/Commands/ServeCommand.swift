import ArgumentParser
import Foundation
import SyndicServer

/// `syndic serve`: the Orders API over the state.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the Orders API: ERPs pull orders and report shipments over HTTP.",
        discussion: """
            Every /api/v1 call needs `Authorization: Bearer <token>` (`syndic token create`). \
            /healthz, /metrics and /openapi.yaml need none. Prints `listening on http://HOST:PORT` \
            once it listens; access logs go to standard error as JSON lines. SIGTERM or SIGINT stops it \
            (exit 0).
            """)

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0: any free port).")
    var port: Int = 8080

    @Option(name: .long, help: "The largest request body accepted, in bytes (larger: 413).")
    var maxBodyBytes: Int = 1 << 20

    @Flag(name: .long, help: "Write no access log (the lines of requests the server failed are still written).")
    var noAccessLog = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard maxBodyBytes >= 1024 else { throw ValidationError("--max-body-bytes must be at least 1024") }
    }

    func run() async throws {
        let store = try options.openStore()
        var serverOptions = APIServerOptions()
        serverOptions.host = host
        serverOptions.port = port
        serverOptions.maxBodyBytes = maxBodyBytes
        let api = OrdersAPI(store: store, options: serverOptions, log: noAccessLog ? .off : .standardError)
        let host = self.host
        do {
            try await api.run { port in Output.print("listening on http://\(host):\(port)") }
        } catch {
            throw Failure.exit("the Orders API stopped: \(error)")
        }
    }
}
