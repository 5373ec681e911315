import Foundation
import SyndicCore
import SyndicFlows
import SyndicStore
import SyndicTestSupport
import SyndicTransfer
import Testing

/// Alerts reach the Notification resources that take them: a webhook (webhook_sink.py) gets
/// one JSON event per alert, an email (smtp_sink.py) one message.
struct AlertDispatcherTests {
    static let token = "webhook-bearer-token-8c0d"
    static let smtpUser = "alerts"
    static let smtpPassword = "smtp-password-2f9b"

    /// Two mirakl channels (mirakl_fr imports shipments from an FTP server nobody listens on)
    /// and the `notifications` YAML.
    static func workspace(_ notifications: String) throws -> FlowWorkspace {
        let endpoint = "http://127.0.0.1:\(try TestPaths.closedPort())"
        let workspace = try FlowWorkspace(registry: OrderFlows.registry)
        try workspace.secret("mirakl_key", OrderFlows.miraklKey)
        try workspace.secret("webhook_token", token)
        try workspace.secret("smtp_user", smtpUser)
        try workspace.secret("smtp_password", smtpPassword)
        try workspace.secret("smtp_wrong_password", "smtp-wrong-password-77e1")
        try workspace.ftpConnection(port: try TestPaths.closedPort())
        try workspace.config("mirakl_fr.yaml", OrderFlows.miraklChannel(endpoint: endpoint, orders: """
                retrieval: true
                shipmentImport:
                  storage: {connection: partner_ftp, folder: /incoming}
                  settleSeconds: 0
            """))
        try workspace.config("mirakl_de.yaml", OrderFlows.miraklChannel("mirakl_de", endpoint: endpoint))
        try workspace.config("notifications.yaml", notifications)
        try workspace.apply()
        return workspace
    }

    static func webhook(_ sink: LocalServer, name: String = "ops_webhook", token: Bool = true, events: [String]? = nil,
                        channels: [String]? = nil) -> String {
        var spec = "  type: webhook\n  url: \(sink.baseURL)/hooks/syndic\n"
        if token { spec += "  token: {file: ../secrets/webhook_token}\n" }
        if let events { spec += "  events: [\(events.joined(separator: ", "))]\n" }
        if let channels { spec += "  channels: [\(channels.joined(separator: ", "))]\n" }
        return "apiVersion: syndic/v1\nkind: Notification\nmetadata: {name: \(name)}\nspec:\n" + spec
    }

    /// An email notification; it logs in with `password` (a secret's name) unless nil.
    static func email(port: Int, password: String? = "smtp_password", events: [String]? = nil) -> String {
        var spec = "  type: email\n  server: smtp://127.0.0.1:\(port)\n"
        if let password { spec += "  username: {file: ../secrets/smtp_user}\n  password: {file: ../secrets/\(password)}\n" }
        spec += "  from: syndic@example.com\n  to: [ops@example.com, oncall@example.com]\n"
        if let events { spec += "  events: [\(events.joined(separator: ", "))]\n" }
        return "apiVersion: syndic/v1\nkind: Notification\nmetadata: {name: ops_email}\nspec:\n" + spec
    }

    /// The dispatcher with fast retries (two attempts per delivery).
    static func dispatcher(_ workspace: FlowWorkspace) -> AlertDispatcher {
        AlertDispatcher(store: workspace.store, http: HTTPClient(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.05))
    }

    static func received(_ sink: LocalServer) throws -> [Value] { try sink.control.get("received").listValue ?? [] }

    @Test func aWebhookGetsTheEventsItTakesWithItsToken() async throws {
        let sink = try LocalServer(simulator: "webhook_sink.py")
        defer { sink.kill() }
        let workspace = try Self.workspace(Self.webhook(sink, events: ["push-failed", "ftp-failed"], channels: ["mirakl_fr"]))
        let at = Date()
        try workspace.store.raiseAlert(channel: "mirakl_fr", kind: "push-failed", message: "order FR1002-A: not confirmed",
                                       runID: nil, at: at)
        try workspace.store.raiseAlert(channel: "mirakl_fr", kind: "cancellation-requested", message: "order FR1005-A: canceled",
                                       runID: nil, at: at)
        try workspace.store.raiseAlert(channel: "mirakl_de", kind: "push-failed", message: "order DE2001-A: not confirmed",
                                       runID: nil, at: at)
        // A run that fails for good raises its own alert.
        let failed = try await workspace.run("mirakl_fr", .shipmentImport)
        #expect(failed.status == .failed)

        let report = Self.dispatcher(workspace).deliver()
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.delivered == 4)
        #expect(try workspace.store.undeliveredAlerts(limit: 10).isEmpty)

        let received = try Self.received(sink)
        #expect(received.count == 2, "\(received)")
        #expect(received.map { $0.value(at: "body.event")?.stringValue ?? "" } == ["push-failed", "ftp-failed"])
        #expect(received.allSatisfy { $0["path"]?.stringValue == "/hooks/syndic" && $0["method"]?.stringValue == "POST" })
        #expect(received.allSatisfy { $0.value(at: "headers.authorization")?.stringValue == "Bearer \(Self.token)" })
        #expect(received.allSatisfy { $0.value(at: "headers.content-type")?.stringValue == "application/json" })
        let first = try #require(received.first?["body"])
        #expect(first["channel"]?.stringValue == "mirakl_fr")
        #expect(first["message"]?.stringValue == "order FR1002-A: not confirmed")
        #expect(first["source"]?.stringValue == "syndic")
        #expect(first["id"]?.intValue != nil)
        #expect(first["at"]?.stringValue.flatMap(ISODate.parse) != nil)
        #expect(first["run"] == nil)
        let runEvent = try #require(received.last?["body"])
        #expect(runEvent["run"]?.intValue == Int(failed.id))
        #expect(runEvent["message"]?.stringValue?.contains("shipment-import failed") == true, "\(runEvent)")

        // Delivered once: nothing is sent again.
        #expect(Self.dispatcher(workspace).deliver().delivered == 0)
        #expect(try Self.received(sink).count == 2)
    }

    /// Without a login, plain SMTP (the sink offers no STARTTLS) is allowed.
    @Test func anEmailGoesThroughSMTP() async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-smtp-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let sink = try LocalServer(simulator: "smtp_sink.py", arguments: ["--out", out.path])
        defer { sink.kill() }
        let workspace = try Self.workspace(Self.email(port: sink.port, password: nil, events: ["push-failed"]))
        try workspace.store.raiseAlert(channel: "mirakl_fr", kind: "push-failed",
                                       message: "the shipment of package 1 of order FR1002-A could not be confirmed: HTTP 400",
                                       runID: 42, at: Date())
        try workspace.store.raiseAlert(channel: "mirakl_fr", kind: "retrieval-failed", message: "not for email",
                                       runID: nil, at: Date())
        let report = Self.dispatcher(workspace).deliver()
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.delivered == 2)

        let deadline = Date().addingTimeInterval(10)
        var names: [String] = []
        while Date() < deadline {
            names = ((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
            if names.contains("1.eml") { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        #expect(names == ["1.eml", "1.json"], "\(names)")
        let message = String(decoding: try Data(contentsOf: out.appendingPathComponent("1.eml")), as: UTF8.self)
        #expect(message.contains("\r\nSubject: [syndic] push-failed: mirakl_fr\r\n"), "\(message)")
        #expect(message.contains("From: <syndic@example.com>"))
        #expect(message.contains("the shipment of package 1 of order FR1002-A could not be confirmed: HTTP 400"))
        #expect(message.contains("event:   push-failed"))
        #expect(message.contains("run:     42"))
        #expect(!message.contains("not for email"))
        let sidecar = try CanonicalJSON.parse(String(decoding: try Data(contentsOf: out.appendingPathComponent("1.json")),
                                                     as: UTF8.self))
        #expect(sidecar["rcpt_to"]?.listValue?.compactMap(\.stringValue) == ["ops@example.com", "oncall@example.com"])
        #expect(sidecar["mail_from"]?.stringValue == "syndic@example.com")
        #expect(sidecar["auth_user"] == .null)
        #expect(sidecar["tls"] == .bool(false))
    }

    /// The webhook answers 500: the alert waits and goes out on a later call.
    @Test func aFailedDeliveryIsTriedAgainOnTheNextCall() async throws {
        let sink = try LocalServer(simulator: "webhook_sink.py")
        defer { sink.kill() }
        let workspace = try Self.workspace(Self.webhook(sink))
        try workspace.store.raiseAlert(channel: "mirakl_fr", kind: "retrieval-failed", message: "OR11 failed", runID: nil,
                                       at: Date())
        try sink.control.fail("/hooks", status: 500, count: 2)
        let failing = Self.dispatcher(workspace).deliver()
        #expect(failing.delivered == 0)
        #expect(failing.failures.count == 1)
        #expect(failing.failures.first?.contains("500") == true, "\(failing.failures)")
        #expect(failing.failures.first?.contains("notification.ops_webhook") == true, "\(failing.failures)")
        #expect(!failing.failures.joined().contains(Self.token))
        #expect(try workspace.store.undeliveredAlerts(limit: 10).count == 1)
        #expect(try Self.received(sink).isEmpty)
        #expect(try sink.control.requests().map(\.status) == [500, 500])

        let later = Self.dispatcher(workspace).deliver()
        #expect(later.failures.isEmpty, "\(later.failures)")
        #expect(later.delivered == 1)
        #expect(try Self.received(sink).map { $0.value(at: "body.event")?.stringValue ?? "" } == ["retrieval-failed"])
        #expect(try workspace.store.undeliveredAlerts(limit: 10).isEmpty)
    }

    /// SMTP credentials the server would get in clear (it offers no STARTTLS) and a failing
    /// webhook: the report names the notifications and servers, never a token or a password,
    /// and no login or message reaches the SMTP server.
    @Test func secretsNeverAppearInTheReport() async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-smtp-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let smtp = try LocalServer(simulator: "smtp_sink.py", arguments: ["--out", out.path, "--username", Self.smtpUser,
                                                                         "--password", Self.smtpPassword, "--trace"])
        defer { smtp.kill() }
        let sink = try LocalServer(simulator: "webhook_sink.py")
        defer { sink.kill() }
        let workspace = try Self.workspace(Self.email(port: smtp.port, password: "smtp_wrong_password") + "---\n"
                                               + Self.webhook(sink))
        try workspace.store.raiseAlert(channel: "mirakl_fr", kind: "push-failed", message: "order FR1002-A: not confirmed",
                                       runID: nil, at: Date())
        try sink.control.fail("/hooks", status: 500, count: 2)
        let report = Self.dispatcher(workspace).deliver()
        #expect(report.delivered == 0)
        #expect(report.failures.count == 2, "\(report.failures)")
        let text = report.failures.joined(separator: "\n")
        #expect(text.contains("notification.ops_email"), "\(text)")
        #expect(text.contains("127.0.0.1:\(smtp.port)"), "\(text)")
        #expect(text.contains("STARTTLS"), "\(text)")
        #expect(!smtp.log.contains("> AUTH"), "\(smtp.log)")
        #expect(text.contains("notification.ops_webhook"), "\(text)")
        for secret in [Self.token, Self.smtpPassword, "smtp-wrong-password-77e1"] {
            #expect(!text.contains(secret), "\(secret) in \(text)")
        }
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).filter { $0.hasSuffix(".eml") }.isEmpty)
        #expect(try workspace.store.undeliveredAlerts(limit: 10).count == 1)
    }
}
