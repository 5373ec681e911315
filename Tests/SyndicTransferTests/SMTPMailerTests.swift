import Foundation
import SyndicTestSupport
import Testing
@testable import SyndicTransfer

/// SMTP against the SMTP sink (`Tests/Simulators/smtp_sink.py`): on `smtp://`, a user name
/// or password only ever goes over STARTTLS; without them STARTTLS is used when offered.
@Suite struct SMTPMailerTests {
    static let user = "alerts"
    static let password = "smtp-password-5e1a"

    private func send(_ mailer: SMTPMailer) throws {
        try mailer.send(from: "syndic@example.com", to: ["ops@example.com"], subject: "[syndic] push-failed: mirakl_fr",
                        body: "order FR1002-A: not confirmed")
    }

    @Test func credentialsAreNeverSentWithoutTLS() throws {
        let sink = try SMTPSink(starttls: false)
        let logins: [(user: String?, password: String?)] = [(Self.user, Self.password), (nil, Self.password), (Self.user, nil)]
        for login in logins {
            do {
                try send(SMTPMailer(server: sink.url, username: login.user, password: login.password, timeout: 10))
                Issue.record("a login went out over plain SMTP (\(login.user ?? "no user"))")
            } catch let error as TransferError {
                #expect(error.code == 64)  // CURLE_USE_SSL_FAILED
                #expect(error.message.hasPrefix("SMTP \(sink.url): "), "\(error.message)")
                #expect(error.message.contains("only sent over TLS"), "\(error.message)")
                #expect(!error.message.contains(Self.password))
            }
        }
        #expect(sink.messages().isEmpty)
        // Each session ended after EHLO: no AUTH, no MAIL.
        let commands = sink.commands(sessions: logins.count)
        #expect(commands.filter { $0 == "END" }.count == logins.count, "\(commands)")
        #expect(commands.allSatisfy { ["EHLO", "QUIT", "END"].contains($0) }, "\(commands)")
    }

    @Test func credentialsGoOverSTARTTLS() throws {
        let sink = try SMTPSink(starttls: true)
        try send(SMTPMailer(server: sink.url, username: Self.user, password: Self.password,
                            caCertificatePath: sink.certificate, timeout: 10))
        #expect(sink.messages() == ["1.eml"])
        let envelope = try sink.envelope(1)
        #expect(envelope.tls)
        #expect(envelope.authUser == Self.user)
        #expect(envelope.rcptTo == ["ops@example.com"])
        let commands = sink.commands(sessions: 1)
        #expect(Array(commands.prefix(4)) == ["EHLO", "STARTTLS", "TLS", "EHLO"], "\(commands)")
        #expect(commands.contains("AUTH"), "\(commands)")
    }

    /// A certificate no trusted CA signed: nothing is sent, the login included.
    @Test func anUnverifiedSTARTTLSCertificateStopsTheLogin() throws {
        let sink = try SMTPSink(starttls: true)
        #expect(throws: TransferError.self) {
            try send(SMTPMailer(server: sink.url, username: Self.user, password: Self.password, timeout: 10))
        }
        #expect(sink.messages().isEmpty)
        #expect(!sink.commands(sessions: 1).contains("AUTH"))
    }

    @Test func withoutCredentialsPlainSMTPStillDelivers() throws {
        let sink = try SMTPSink(starttls: false, login: false)
        try send(SMTPMailer(server: sink.url, timeout: 10))
        #expect(sink.messages() == ["1.eml"])
        let envelope = try sink.envelope(1)
        #expect(!envelope.tls)
        #expect(envelope.authUser == nil)
    }

    @Test func withoutCredentialsSTARTTLSIsUsedWhenOffered() throws {
        let sink = try SMTPSink(starttls: true, login: false)
        try send(SMTPMailer(server: sink.url, caCertificatePath: sink.certificate, timeout: 10))
        #expect(sink.messages() == ["1.eml"])
        #expect(try sink.envelope(1).tls)
    }
}

/// The SMTP sink with `--trace`, requiring AUTH with the test's user and password when
/// `login`, offering STARTTLS with a new self-signed certificate for 127.0.0.1 when `starttls`.
private final class SMTPSink {
    let out: URL
    let keys: URL
    /// The server's certificate, the CA file a client trusts it with (STARTTLS only).
    let certificate: String?
    let server: LocalServer

    init(starttls: Bool, login: Bool = true) throws {
        out = try Tool.temporaryDirectory("syndic-smtp")
        keys = try Tool.temporaryDirectory("syndic-smtp-keys")
        var arguments = ["--out", out.path, "--trace"]
        if login { arguments += ["--username", SMTPMailerTests.user, "--password", SMTPMailerTests.password] }
        if starttls {
            let pair = try Tool.selfSignedCertificate(in: keys, name: "server")
            certificate = pair.certificate
            arguments += ["--starttls", pair.certificate, pair.key]
        } else {
            certificate = nil
        }
        server = try LocalServer(simulator: "smtp_sink.py", arguments: arguments)
    }

    var url: String { "smtp://127.0.0.1:\(server.port)" }

    /// The messages received, `1.eml` first.
    func messages() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
    }

    /// The sidecar of message `number`.
    func envelope(_ number: Int) throws -> Envelope {
        try JSONDecoder().decode(Envelope.self, from: Data(contentsOf: out.appendingPathComponent("\(number).json")))
    }

    struct Envelope: Decodable {
        var rcptTo: [String]
        var authUser: String?
        var tls: Bool

        enum CodingKeys: String, CodingKey {
            case rcptTo = "rcpt_to", authUser = "auth_user", tls
        }
    }

    /// The commands traced (`EHLO`, `STARTTLS`, `TLS`, …, `END`), once `sessions` sessions
    /// ended (10 s at most).
    func commands(sessions: Int) -> [String] {
        let deadline = Date().addingTimeInterval(10)
        var lines: [String] = []
        repeat {
            lines = server.log.split(separator: "\n").filter { $0.hasPrefix("> ") }.map { String($0.dropFirst(2)) }
            if lines.filter({ $0 == "END" }).count >= sessions { break }
            Thread.sleep(forTimeInterval: 0.02)
        } while Date() < deadline
        return lines
    }

    deinit {
        server.kill()
        try? FileManager.default.removeItem(at: out)
        try? FileManager.default.removeItem(at: keys)
    }
}
