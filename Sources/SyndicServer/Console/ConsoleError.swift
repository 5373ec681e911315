import Hummingbird

/// An answer of the console other than the page asked for: its status, a title and a
/// message, shown on the error page (with links onward when there are some).
struct ConsoleError: Error, Sendable {
    var status: HTTPResponse.Status
    var title: String
    var message: String
    /// Links shown under the message.
    var links: [PageLink] = []

    init(_ status: HTTPResponse.Status, title: String, message: String, links: [PageLink] = []) {
        self.status = status
        self.title = title
        self.message = message
        self.links = links
    }

    static func notFound(_ message: String, back: PageLink) -> ConsoleError {
        ConsoleError(.notFound, title: "Not found", message: message, links: [back])
    }

    static func badRequest(_ message: String, back: PageLink? = nil) -> ConsoleError {
        ConsoleError(.badRequest, title: "Not understood", message: message, links: back.map { [$0] } ?? [])
    }

    static let forbidden = ConsoleError(
        .forbidden, title: "Refused",
        message: "This form is not valid any more (its security token does not match your session). "
            + "Open the page again and resend it.",
        links: [PageLink(text: "Channels", href: "/channels")])

    static let loginRefused = ConsoleError(
        .unauthorized, title: "Login link not valid",
        message: "This login link was used or has expired: each link opens one session, within 10 minutes. "
            + "Run `syndic login-link` for a new one.",
        links: [PageLink(text: "How to log in", href: "/login")])
}
