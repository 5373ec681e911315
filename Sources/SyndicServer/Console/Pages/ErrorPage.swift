/// A page that says why the page asked for is not shown: not found, refused, not valid, or
/// a failure of the server (with the request's id, which names its log line).
struct ErrorPage: Sendable {
    var frame: PageFrame
    var heading: String
    var message: String
    var links: [PageLink]
    var hasLinks: Bool
    var requestID: String

    static func build(_ error: ConsoleError, requestID: String, csrf: String?) -> ErrorPage {
        ErrorPage(frame: PageFrame(title: error.title, section: .other, csrf: csrf), heading: error.title, message: error.message,
                  links: error.links, hasLinks: !error.links.isEmpty, requestID: requestID)
    }
}
