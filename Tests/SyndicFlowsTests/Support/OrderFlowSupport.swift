import Foundation
import SyndicCore
import SyndicEngine
import SyndicFlows
import SyndicStore
import SyndicTestSupport
import SyndicTransfer

/// What the order-flow tests share: the order jobs with fast retries, the simulators'
/// sample orders, channel YAML, and a runner whose clock is fixed (file names carry the date).
enum OrderFlows {
    /// Retries in milliseconds.
    static let http = HTTPClient(maxAttempts: 3, baseDelay: 0.01, maxDelay: 0.05)
    /// The four order jobs.
    static let registry = JobRegistry([OrderRetrievalJob(http: http), OrderExportJob(), ShipmentImportJob(),
                                       ConfirmationPushJob(http: http)])

    static let miraklKey = "mirakl-orders-key-5be1"
    /// `Tests/Simulators/mirakl_orders.json`: FR1001-A … FR1006-A, DE2001-A.
    static let miraklOrdersFile = LocalServer.simulators.appendingPathComponent("mirakl_orders.json").path
    /// `Tests/Simulators/amazon_orders.json`: 402-1000001-2000001 … 402-1000007-2000007.
    static let amazonOrdersFile = LocalServer.simulators.appendingPathComponent("amazon_orders.json").path

    /// mirakl_sim.py serving the sample orders.
    static func miraklSimulator(_ extra: [String] = []) throws -> LocalServer {
        try LocalServer(simulator: "mirakl_sim.py", arguments: ["--api-key", miraklKey, "--orders", miraklOrdersFile] + extra)
    }

    /// amazon_sim.py serving the sample orders (default client, secret and refresh token),
    /// with Amazon's usage plans refilling 50 times faster unless `extra` sets a scale (the
    /// client learns the rates from `x-amzn-RateLimit-Limit`, so it paces itself either way).
    static func amazonSimulator(_ extra: [String] = []) throws -> LocalServer {
        let scale = extra.contains("--rate-scale") ? [] : ["--rate-scale", "50"]
        return try LocalServer(simulator: "amazon_sim.py", arguments: ["--orders", amazonOrdersFile] + scale + extra)
    }

    /// An access token of amazon_sim.py (the default client), for calls a test makes itself.
    static func amazonAccessToken(_ server: LocalServer) throws -> String {
        let form = "grant_type=refresh_token&refresh_token=Atzr%7Csyndic-refresh&client_id=amzn_client&client_secret=amzn_secret"
        let response = try http.send(HTTPRequest(method: "POST", url: server.baseURL + "/auth/o2/token",
                                                 headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                                 body: Data(form.utf8)), retryUnsafe: true)
        guard let token = try CanonicalJSON.parse(response.text)["access_token"]?.stringValue else {
            throw FlowTestFailure("no access token: \(response.text)")
        }
        return token
    }

    /// The sample Mirakl orders as JSON values, by id.
    static func miraklSampleJSON() throws -> [String: Value] {
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: miraklOrdersFile)), as: UTF8.self)
        let list = try CanonicalJSON.parse(text).listValue ?? []
        return Dictionary(uniqueKeysWithValues: list.compactMap { order in order["order_id"]?.stringValue.map { ($0, order) } })
    }

    /// The sample Mirakl orders as the reader reads them (as retrieval would store them).
    static func miraklSample() throws -> [Order] {
        try miraklSampleJSON().values.map { try MiraklOrderReader.order($0).get() }
            .sorted { $0.marketplaceID < $1.marketplaceID }
    }

    /// `order` with `changes` made to its JSON object (top-level keys).
    static func changed(_ order: Value, _ changes: [String: Value]) -> Value {
        var object = order.objectValue ?? [:]
        for (key, value) in changes { object[key] = value }
        return .object(object)
    }

    /// An ISO 8601 date as Mirakl writes it.
    static func iso(_ date: Date) -> String { ISODate.seconds(date) }

    /// A mirakl channel for the order flows; `orders` is the YAML under `orders:` (indented
    /// by four spaces), defaulting to retrieval and confirmations only.
    static func miraklChannel(_ name: String = "mirakl_fr", endpoint: String, orders: String? = nil) -> String {
        """
        apiVersion: syndic/v1
        kind: Channel
        metadata: {name: \(name)}
        spec:
          type: mirakl
          status: active
          endpoint: \(endpoint)
          credentials: {apiKey: {file: ../secrets/mirakl_key}}
          orders:
        \(orders ?? "    retrieval: true\n    confirmations: true\n    lookbackDays: 3650")

        """
    }

    /// The `orders:` block of a channel with FTP export and shipment import on `partner_ftp`.
    static func ftpOrders(statuses: [String]? = nil, splitBy: [String] = ["fulfillment", "country"],
                          escapeFormulas: Bool? = nil, settleSeconds: Int = 0) -> String {
        var export = "    export:\n      storage: {connection: partner_ftp, folder: /outgoing}\n"
        if let statuses { export += "      statuses: [\(statuses.joined(separator: ", "))]\n" }
        if let escapeFormulas { export += "      escapeFormulas: \(escapeFormulas)\n" }
        export += "      splitBy: [\(splitBy.joined(separator: ", "))]\n"
        return "    retrieval: true\n    confirmations: true\n    lookbackDays: 3650\n" + export
            + "    shipmentImport:\n      storage: {connection: partner_ftp, folder: /incoming}\n      settleSeconds: \(settleSeconds)"
    }

    /// An amazon-seller channel for the order flows.
    static func amazonChannel(_ name: String = "amazon_fr", endpoint: String) -> String {
        """
        apiVersion: syndic/v1
        kind: Channel
        metadata: {name: \(name)}
        spec:
          type: amazon-seller
          status: active
          endpoint: \(endpoint)
          marketplaceId: A13V1IB3VIYZZH
          tokenEndpoint: \(endpoint)/auth/o2/token
          credentials:
            clientId: {file: ../secrets/amzn_client}
            clientSecret: {file: ../secrets/amzn_secret}
            refreshToken: {file: ../secrets/amzn_refresh}
          orders: {retrieval: true, confirmations: true, lookbackDays: 3650}

        """
    }

    /// A workspace with the order jobs, the Mirakl key and `files` (name → YAML) applied.
    static func workspace(miraklKey key: String = miraklKey, files: [String: String]) throws -> FlowWorkspace {
        let workspace = try FlowWorkspace(registry: registry)
        try workspace.secret("mirakl_key", key)
        for (name, yaml) in files { try workspace.config(name, yaml) }
        try workspace.apply()
        return workspace
    }
}

// MARK: - Runs with a fixed clock

extension FlowWorkspace {
    /// Queues a manual run of `job`, claims it and executes it as `RunExecutor` does, but with
    /// `context.now` fixed at `now` (file names carry it); returns the run as recorded.
    func run(_ channel: String, _ job: JobKind, at now: Date, dryRun: Bool = false) async throws -> RunInfo {
        let queued = try store.enqueue(RunRequest(channel: channel, job: job, trigger: .manual, dryRun: dryRun),
                                       now: Date(), retry: Self.once)
        guard let claimed = try store.claimRun(jobs: [job], runID: queued.id, worker: "flows-test", lease: 60, now: Date(),
                                               retry: Self.once) else {
            throw FlowTestFailure("run \(queued.id) could not be claimed")
        }
        guard let implementation = registry.job(job) else { throw FlowTestFailure("no \(job.rawValue) job") }
        guard let resource = try store.resource(.channel, named: channel) else { throw FlowTestFailure("no channel \(channel)") }
        let connections = Dictionary(uniqueKeysWithValues: try store.resources(.connection).map { ($0.name, $0) })
        let logger = RunLogger(queue: store, runID: claimed.id, minimal: false)
        let context = JobContext(run: claimed, channel: resource, spec: try CanonicalJSON.parse(resource.specJSON),
                                 connections: connections, log: logger, progress: { _ in }, workDirectory: workDirectory,
                                 now: { now }, exports: store, orders: store, baseDirectory: try store.applyDirectory() ?? channels.path)
        let outcome: RunOutcome
        do {
            let result = try await implementation.run(context)
            CredentialRecorder.accepted(result, store: store, at: now)
            logger.summary(result.report)
            outcome = .succeeded(counts: result.counts, report: result.report)
        } catch {
            logger.error("\(error)")
            CredentialRecorder.failed(error, store: store, at: now)
            let failure = error as? JobFailure
            outcome = .failed(error: "\(error)", counts: [:], report: nil, retryable: !(failure?.isPermanent ?? false),
                              category: failure?.category)
        }
        logger.flush()
        guard let finished = try store.finishRun(runID: claimed.id, worker: "flows-test", outcome: outcome, now: Date(),
                                                 retry: Self.once) else {
            throw FlowTestFailure("run \(claimed.id) could not be finished")
        }
        return finished
    }

    /// The stored order of a marketplace order id.
    func order(_ marketplaceID: String) throws -> OrderDetail {
        let found = try store.orderDetail(marketplaceID)
        guard found.count == 1 else { throw FlowTestFailure("\(found.count) orders \(marketplaceID)") }
        return found[0]
    }

    /// Every stored order of the workspace, by marketplace id.
    func storedOrders() throws -> [String: OrderSummary] {
        Dictionary(uniqueKeysWithValues: try store.orders(OrderFilter()).orders.map { ($0.marketplaceID, $0) })
    }
}

// MARK: - FTP

/// A real FTP server for the order flows: pyftpdlib (`ftp_server.py` of the transfer tests)
/// serving `home`, which the test reads and writes directly. With `dieOn`, a variant that
/// exits (as a crashed server) when a client sends one of those commands.
final class OrderFTPServer: @unchecked Sendable {
    let home: URL
    /// Whether the home is this server's own temporary folder (removed with it).
    private let ownsHome: Bool
    static let user = "partner"
    static let password = "ftp-orders-secret-93a7"
    private let server: LocalServer

    var port: Int { server.port }

    static let script = TestPaths.tests.appendingPathComponent("SyndicTransferTests/Support/Scripts/ftp_server.py")

    /// pyftpdlib with `ftp_<COMMAND>` replaced by an immediate exit.
    static let dyingServer = """
        import os, sys
        from pyftpdlib.authorizers import DummyAuthorizer
        from pyftpdlib.handlers import FTPHandler
        from pyftpdlib.servers import FTPServer
        home, user, password, commands = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
        class Handler(FTPHandler):
            pass
        def die(self, *args):
            os._exit(3)
        for command in commands:
            setattr(Handler, "ftp_" + command, die)
        authorizer = DummyAuthorizer()
        authorizer.add_user(user, password, home, perm="elradfmwMT")
        Handler.authorizer = authorizer
        server = FTPServer(("127.0.0.1", 0), Handler)
        print("port %d" % server.address[1], flush=True)
        server.serve_forever(handle_exit=True)
        """

    /// Starts a server on `home` (a new temporary folder when nil).
    init(home: URL? = nil, dieOn commands: [String] = []) throws {
        ownsHome = home == nil
        let home = home ?? FileManager.default.temporaryDirectory.appendingPathComponent("syndic-orders-ftp-\(UUID().uuidString)")
        self.home = home
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        do {
            if commands.isEmpty {
                server = try LocalServer(python: Self.script, arguments: [home.path, Self.user, Self.password])
            } else {
                server = try LocalServer(name: "dying ftp server", executable: "/usr/bin/env",
                                         arguments: ["python3", "-c", Self.dyingServer, home.path, Self.user, Self.password,
                                                     commands.joined(separator: ",")],
                                         ready: LocalServer.portLine)
            }
        } catch {
            throw TestSupportError("\(error) (is pyftpdlib installed? scripts/install-deps installs it)")
        }
    }

    func kill() { server.kill() }

    deinit {
        server.kill()
        if ownsHome { try? FileManager.default.removeItem(at: home) }
    }

    /// The files (not folders) in `folder` of the home, sorted.
    func files(_ folder: String) -> [String] {
        let directory = home.appendingPathComponent(folder)
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path,
                                                  isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }

    /// The text of `path` under the home.
    func text(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: home.appendingPathComponent(path)), as: UTF8.self)
    }

    /// Puts `bytes` at `path` under the home (as a partner's upload).
    func put(_ path: String, _ bytes: Data) throws {
        let url = home.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try bytes.write(to: url)
    }

    /// The `partner_ftp` Connection on `port`, with the workspace's FTP secrets.
    static func connection(port: Int) -> String {
        """
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: partner_ftp}
        spec: {type: ftp, host: 127.0.0.1, port: \(port), username: {file: ../secrets/ftp_user}, password: {file: ../secrets/ftp_password}}

        """
    }
}

extension FlowWorkspace {
    /// Writes the FTP secrets and `connections.yaml` for `port` (not applied).
    func ftpConnection(port: Int) throws {
        try secret("ftp_user", OrderFTPServer.user)
        try secret("ftp_password", OrderFTPServer.password)
        try config("connections.yaml", OrderFTPServer.connection(port: port))
    }
}
