import CCurl
import Foundation

/// Sends one email over SMTP with libcurl: `smtps://host:port` speaks TLS from the start;
/// `smtp://host:port` upgrades to TLS with STARTTLS, which is required when a user name or
/// password is given (they are never sent in clear) and used when offered otherwise. The
/// message is built here (RFC 5322 headers, UTF-8 text).
public struct SMTPMailer: Sendable {
    /// `smtp://host:port` or `smtps://host:port`.
    public var server: String
    public var username: String?
    public var password: String?
    /// PEM file of the CA that signed the server's certificate, instead of the system CAs.
    public var caCertificatePath: String?
    public var timeout: Int

    public init(server: String, username: String? = nil, password: String? = nil, caCertificatePath: String? = nil,
                timeout: Int = 30) {
        self.server = server
        self.username = username
        self.password = password
        self.caCertificatePath = caCertificatePath
        self.timeout = timeout
    }

    /// Sends `body` with `subject` from `from` to `to`; throws a `TransferError` naming the
    /// server (never the password) when the server refuses or cannot be reached.
    public func send(from: String, to: [String], subject: String, body: String, date: Date = Date()) throws {
        let easy = CurlEasy()
        easy.set(CURLOPT_URL, server)
        easy.set(CURLOPT_MAIL_FROM, "<\(from)>")
        easy.set(CURLOPT_MAIL_RCPT, lines: to.map { "<\($0)>" })
        easy.set(CURLOPT_UPLOAD, 1)
        easy.set(CURLOPT_CONNECTTIMEOUT, timeout)
        easy.set(CURLOPT_TIMEOUT, timeout * 4)
        if server.lowercased().hasPrefix("smtp://") {
            easy.set(CURLOPT_USE_SSL, Int((logsIn ? CURLUSESSL_ALL : CURLUSESSL_TRY).rawValue))
        }
        if let username { easy.set(CURLOPT_USERNAME, username) }
        if let password { easy.set(CURLOPT_PASSWORD, password) }
        if let caCertificatePath { easy.set(CURLOPT_CAINFO, caCertificatePath) }
        let message = Self.message(from: from, to: to, subject: subject, body: body, date: date)
        let outcome = easy.perform(upload: Data(message.utf8))
        guard outcome.result == CURLE_OK else {
            let hint = outcome.result == CURLE_USE_SSL_FAILED && logsIn
                ? "; the server did not switch to TLS with STARTTLS, and the username and password are only sent "
                    + "over TLS: enable STARTTLS on the server or use smtps://" : ""
            throw TransferError(code: Int(outcome.result.rawValue), responseCode: easy.responseCode,
                                message: "SMTP \(Self.describe(server)): \(outcome.error)\(hint)")
        }
    }

    /// Whether the session logs in, and so must not run in clear.
    var logsIn: Bool { username != nil || password != nil }

    /// The message text: headers, a blank line, the body with CRLF line ends.
    static func message(from: String, to: [String], subject: String, body: String, date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let encodedSubject = subject.allSatisfy(\.isASCII)
            ? subject : "=?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?="
        let headers = [
            "Date: \(formatter.string(from: date))", "From: <\(from)>", "To: \(to.map { "<\($0)>" }.joined(separator: ", "))",
            "Subject: \(encodedSubject.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " "))",
            "Message-ID: <\(UUID().uuidString.lowercased())@syndic>", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit",
        ]
        let lines = body.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The server without any user information.
    static func describe(_ server: String) -> String {
        guard var parts = URLComponents(string: server) else { return "server" }
        parts.user = nil
        parts.password = nil
        return parts.string ?? "server"
    }
}
