import Testing
@testable import SyndicCore

/// Notification resources: YAML compiled and validated next to a declared channel, every
/// diagnostic compared whole with its file:line:column.
struct NotificationValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var spec: String
        var expected: [String]
        var testDescription: String { name }

        init(_ name: String, _ spec: String, _ expected: [String]) {
            self.name = name
            self.spec = spec
            self.expected = expected
        }
    }

    static let path = "channels/notifications.yaml"

    /// A channel the notifications may name.
    static let channel = """
        apiVersion: syndic/v1
        kind: Channel
        metadata:
          name: mirakl_fr
        spec:
          type: mirakl
          endpoint: https://mirakl.example/api
          source: {connection: pim}

        """

    /// A notification named `ops`; `spec` continues its spec from line 6.
    static func notification(_ spec: String) -> String {
        """
        apiVersion: syndic/v1
        kind: Notification
        metadata:
          name: ops
        spec:

        """ + spec
    }

    static func at(_ line: Int, _ column: Int, _ rest: String) -> String { "\(path):\(line):\(column): \(rest)" }

    static let cases: [Case] = [
        Case("a webhook with events and channels", """
              type: webhook
              url: https://hooks.example/syndic
              token: {env: FTP_USER}
              events: [push-failed, cancellation-requested]
              channels: [mirakl_fr]

            """, []),
        Case("a webhook taking everything", """
              type: webhook
              url: http://localhost:9000/hook

            """, []),
        Case("an email", """
              type: email
              server: smtps://smtp.example:465
              username: {env: FTP_USER}
              password: {env: FTP_PASSWORD}
              from: syndic@example.org
              to: [ops@example.org, oncall@example.org]
              events: [retrieval-failed]

            """, []),
        Case("an email through plain smtp", """
              type: email
              server: smtp://localhost:2525
              from: syndic@example.org
              to: [ops@example.org]

            """, []),
        Case("a key of the other type is located at its value", """
              type: webhook
              url: https://hooks.example/syndic
              from: syndic@example.org

            """, [at(8, 9, #"error: "from" does not apply to a webhook notification (webhook takes url, token, events, channels)"#)]),
        Case("an email with a url", """
              type: email
              server: smtp://smtp.example:25
              from: syndic@example.org
              to: [ops@example.org]
              url: https://hooks.example/syndic

            """, [at(10, 8, #"error: "url" does not apply to an email notification (email takes server, username, password, from, to, events, channels)"#)]),
        Case("an email without to", """
              type: email
              server: smtp://smtp.example:25
              from: syndic@example.org

            """, [at(6, 9, #"error: an email notification needs "to""#)]),
        Case("an email with an empty to", """
              type: email
              server: smtp://smtp.example:25
              from: syndic@example.org
              to: []

            """, [at(9, 7, "error: to must name at least one address")]),
        Case("a webhook without url", """
              type: webhook
              events: [push-failed]

            """, [at(6, 9, #"error: a webhook notification needs "url""#)]),
        Case("a server of another scheme", """
              type: email
              server: https://smtp.example
              from: syndic@example.org
              to: [ops@example.org]

            """, [at(7, 11, "error: server must be smtp://host[:port] or smtps://host[:port]")]),
        Case("a server without a host", """
              type: email
              server: smtp.example:25
              from: syndic@example.org
              to: [ops@example.org]

            """, [at(7, 11, "error: server must be smtp://host[:port] or smtps://host[:port]")]),
        Case("addresses that are not email addresses", """
              type: email
              server: smtp://smtp.example:25
              from: Syndic <syndic@example.org>
              to: [ops@example.org, ops-at-example]

            """, [
                at(8, 9, #"error: "Syndic <syndic@example.org>" is not an email address"#),
                at(9, 25, #"error: "ops-at-example" is not an email address"#),
            ]),
        Case("channels naming an undeclared channel", """
              type: webhook
              url: https://hooks.example/syndic
              channels: [mirakl_fr, mirakl_de]

            """, [at(8, 25, #"error: channels[1]: channel "mirakl_de" is not declared"#)]),
        Case("an unknown event", """
              type: webhook
              url: https://hooks.example/syndic
              events: [push-failed, order-lost]

            """, [at(8, 25, #"error: events[1]: "order-lost" is not one of retrieval-failed, push-failed, ftp-failed, authentication-failed, cancellation-requested, connectivity-failed, export-failed, restricted-role-missing, drift, apply-failed, export-held"#)]),
        Case("an unknown type", """
              type: pager
              url: https://hooks.example/syndic

            """, [at(6, 9, #"error: type: "pager" is not one of webhook, email"#)]),
    ]

    @Test(arguments: cases)
    func validates(_ example: Case) {
        let validated = TestConfig.validate([
            (TestConfig.connectionsPath, TestConfig.connections), ("channels/mirakl_fr.yaml", Self.channel),
            (Self.path, Self.notification(example.spec)),
        ])
        #expect(validated.diagnostics.map(\.description) == example.expected)
        #expect(validated.hasErrors == !example.expected.isEmpty)
    }

    @Test func aValidNotificationKeepsItsSpec() throws {
        let validated = TestConfig.validate([
            (TestConfig.connectionsPath, TestConfig.connections), ("channels/mirakl_fr.yaml", Self.channel),
            (Self.path, Self.notification("  type: webhook\n  url: https://hooks.example/syndic\n  events: [push-failed]\n")),
        ])
        let resource = try #require(validated.resources.first { $0.kind == .notification })
        #expect(resource.address == "notification.ops")
        #expect(resource.type == "webhook")
    }

    @Test func takesFiltersByKindAndChannel() {
        var spec = NotificationSpec(type: "webhook", url: "https://hooks.example")
        #expect(spec.takes(kind: "push-failed", channel: "any"))
        spec.events = []
        spec.channels = []
        #expect(spec.takes(kind: "push-failed", channel: "any"))
        spec.events = ["push-failed"]
        #expect(spec.takes(kind: "push-failed", channel: "any"))
        #expect(!spec.takes(kind: "ftp-failed", channel: "any"))
        spec.channels = ["mirakl_fr"]
        #expect(spec.takes(kind: "push-failed", channel: "mirakl_fr"))
        #expect(!spec.takes(kind: "push-failed", channel: "amazon_de"))
        #expect(!spec.takes(kind: "ftp-failed", channel: "mirakl_fr"))
    }
}
