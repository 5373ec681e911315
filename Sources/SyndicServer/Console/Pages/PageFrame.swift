/// What every console page shows around its content: the title, the navigation with the
/// current section marked, and the log-out form with the session's CSRF token.
struct PageFrame: Sendable {
    /// The sections of the navigation.
    enum Section: Sendable {
        case channels, runs, orders, other
    }

    var title: String
    /// Whether a session is open: the navigation and the log-out form show only then.
    var signedIn: Bool
    var csrf: String
    var channelsCurrent: Bool
    var runsCurrent: Bool
    var ordersCurrent: Bool

    /// The frame of a page seen with a session (`csrf` its token) or without one (nil).
    init(title: String, section: Section, csrf: String?) {
        self.title = title
        self.signedIn = csrf != nil
        self.csrf = csrf ?? ""
        channelsCurrent = section == .channels
        runsCurrent = section == .runs
        ordersCurrent = section == .orders
    }
}
