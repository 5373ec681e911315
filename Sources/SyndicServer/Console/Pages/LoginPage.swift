/// The login page: how to get a login link (the console has no passwords), or, with a
/// session already open, where to go on.
struct LoginPage: Sendable {
    var frame: PageFrame
    var signedIn: Bool
    /// The command that prints a link leading back to the page asked for.
    var command: String
    var nextHref: String

    /// `next` is the page that sent the browser here (a local path); `csrf` the token of an
    /// open session, nil without one.
    static func build(next: String, csrf: String?) -> LoginPage {
        let command = "syndic login-link" + (next == "/" ? "" : " --next '\(next.replacingOccurrences(of: "'", with: "'\\''"))'")
        return LoginPage(frame: PageFrame(title: "Log in", section: .other, csrf: csrf), signedIn: csrf != nil,
                         command: command, nextHref: next == "/" ? "/channels" : next)
    }
}
