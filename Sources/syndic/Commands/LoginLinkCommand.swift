import ArgumentParser
import Foundation
import SyndicServer

/// `syndic login-link`: a new one-time login link to the web console of `syndic serve`.
struct LoginLinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login-link",
        abstract: "Print a new one-time login link to the web console (one use, valid 10 minutes).",
        discussion: """
            The link opens a session of 12 hours in the browser that follows it, on any `syndic serve` \
            over the same state. The state keeps only a hash of the code.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, help: "The console's base URL, as the browser reaches it.")
    var url: String = "http://127.0.0.1:8080"

    @Option(name: .long, help: "The console page to open once logged in: a path such as /orders?status=PENDING.")
    var next: String?

    func validate() throws {
        if ConsoleBaseURL.normalized(url) == nil { throw ValidationError(ConsoleBaseURL.requirement("--url", url)) }
        if let next, ConsoleAuth.localPath(next) != next {
            throw ValidationError("--next \(next): expected a path of the console, such as /orders?status=PENDING "
                                  + "(one leading /, no spaces or backslashes)")
        }
    }

    func run() throws {
        let location = try options.stateLocation()
        guard location.mayExist else {
            throw Failure.exit("no state at \(location): give the --state that `syndic serve` uses")
        }
        let store = try options.openStore()
        do {
            // The console checks a code against the real clock, so the link is made with it too.
            let link = try ConsoleAuth.issueLoginLink(store: store, baseURL: ConsoleBaseURL.normalized(url) ?? url,
                                                      next: next, now: Date())
            Output.print(link)
        } catch {
            throw Failure.exit("\(error)")
        }
    }
}
