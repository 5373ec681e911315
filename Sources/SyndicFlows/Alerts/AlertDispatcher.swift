import Foundation
import SyndicCore
import SyndicEngine
import SyndicTransfer

/// Delivers the alerts the flows raised (failed runs, failed confirmations, cancellation
/// requests) to the Notification resources that take them: a webhook gets an HTTP POST of
/// one JSON event, an email an SMTP message. An alert is marked delivered once every
/// notification that takes it has it; a failed delivery is tried again on the next call
/// (at least once: a receiver may see an alert twice). Alerts no notification takes are
/// marked delivered as they are.
public struct AlertDispatcher: Sendable {
    let store: any ConfigurationStore & OrderStore
    let http: HTTPClient
    /// Where relative secret files start (the directory apply ran in).
    let baseDirectory: String
    let secrets = SecretResolver()

    public init(store: any ConfigurationStore & OrderStore, http: HTTPClient = HTTPClient(maxAttempts: 2, baseDelay: 1, maxDelay: 5),
                baseDirectory: String? = nil) {
        self.store = store
        self.http = http
        self.baseDirectory = baseDirectory ?? (try? store.applyDirectory()) ?? FileManager.default.currentDirectoryPath
    }

    /// What one delivery round did.
    public struct Report: Hashable, Sendable {
        public var delivered = 0
        public var failures: [String] = []
    }

    /// Delivers what is waiting (up to `limit` alerts).
    public func deliver(limit: Int = 200) -> Report {
        var report = Report()
        let alerts: [AlertEvent]
        let notifications: [(resource: AppliedResource, spec: NotificationSpec)]
        do {
            alerts = try store.undeliveredAlerts(limit: limit)
            if alerts.isEmpty { return report }
            notifications = try store.resources(.notification).compactMap { resource in
                (try? ValueDecoding.decode(NotificationSpec.self, fromJSON: resource.specJSON)).map { (resource, $0) }
            }
        } catch {
            report.failures.append("cannot read the alerts: \(error)")
            return report
        }
        var done: [Int64] = []
        for alert in alerts {
            var failed = false
            for (resource, spec) in notifications where spec.takes(kind: alert.kind, channel: alert.channel) {
                do {
                    try send(alert, to: spec, of: resource)
                } catch {
                    failed = true
                    report.failures.append("\(resource.address): alert \(alert.id) (\(alert.kind)): \(error)")
                }
            }
            if !failed {
                done.append(alert.id)
                report.delivered += 1
            }
        }
        do {
            try store.markAlertsDelivered(ids: done)
        } catch {
            report.failures.append("cannot mark alerts delivered: \(error)")
        }
        return report
    }

    /// The JSON event a webhook receives.
    static func event(_ alert: AlertEvent) -> Value {
        var fields: [String: Value] = [
            "id": .int(Int(alert.id)), "event": .string(alert.kind), "channel": .string(alert.channel),
            "message": .string(alert.message), "at": .string(ISODate.milliseconds(alert.at)), "source": .string("syndic"),
        ]
        if let run = alert.runID { fields["run"] = .int(Int(run)) }
        return .object(fields)
    }

    private func send(_ alert: AlertEvent, to spec: NotificationSpec, of resource: AppliedResource) throws {
        switch spec.type {
        case "webhook":
            guard let url = spec.url else { throw FlowError(.configuration, "\(resource.address) has no url") }
            var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("User-Agent", "syndic")]
            if let token = spec.token { headers.append(("Authorization", "Bearer " + (try secret(token, of: resource)))) }
            let response = try http.send(HTTPRequest(method: "POST", url: url, headers: headers,
                                                     body: Data(CanonicalJSON.string(Self.event(alert)).utf8)),
                                         retryUnsafe: true)
            guard (200..<300).contains(response.status) else {
                throw FlowError(.remote, "the webhook answered HTTP \(response.status)", httpStatus: response.status)
            }
        case "email":
            guard let server = spec.server, let from = spec.from, let to = spec.to, !to.isEmpty else {
                throw FlowError(.configuration, "\(resource.address) needs server, from and to")
            }
            let mailer = SMTPMailer(server: server, username: try spec.username.map { try secret($0, of: resource) },
                                    password: try spec.password.map { try secret($0, of: resource) })
            let body = """
                \(alert.message)

                event:   \(alert.kind)
                channel: \(alert.channel.isEmpty ? "(none: about the whole configuration)" : alert.channel)
                at:      \(ISODate.milliseconds(alert.at))\(alert.runID.map { "\nrun:     \($0) (syndic runs show \($0))" } ?? "")
                """
            let subject = "[syndic] \(alert.kind)" + (alert.channel.isEmpty ? "" : ": \(alert.channel)")
            try mailer.send(from: from, to: to, subject: subject, body: body)
        default:
            throw FlowError(.configuration, "\(resource.address) is a \(spec.type) notification (webhook or email)")
        }
    }

    private func secret(_ reference: SecretReference, of resource: AppliedResource) throws -> String {
        let file = resource.sourceFile.hasPrefix("/") ? resource.sourceFile : baseDirectory + "/" + resource.sourceFile
        do {
            return String(decoding: try secrets.value(of: reference, declaredIn: file), as: UTF8.self)
        } catch {
            throw FlowError(.configuration, "\(resource.address): \(error)")
        }
    }
}
