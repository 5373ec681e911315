import Foundation
import SyndicTestSupport
import SyndicTransfer
import Testing

/// The console's login links through the shipped binary, without a browser: the link
/// `syndic serve` prints and those `syndic login-link` makes open a session once, the state
/// keeps no code, and bad options or a missing state are refused.
@Suite struct LoginLinkCommandTests {
    /// Sends `GET path` to the server on `port`, following no redirect.
    static func get(_ port: Int, _ path: String) throws -> HTTPResponse {
        try HTTPClient(maxAttempts: 1).send(HTTPRequest(url: "http://127.0.0.1:\(port)\(path)"))
    }

    /// The path and query of a link.
    static func path(of link: String) throws -> String {
        let components = try #require(URLComponents(string: link))
        return components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    @Test func theLinksOpenASessionOnce() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let (server, port, link, _) = try ConsoleBrowserTests.serve(workspace)
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        #expect(link.hasPrefix("http://127.0.0.1:\(port)/login?code="), "\(link)")
        #expect(link.count == "http://127.0.0.1:\(port)/login?code=".count + 43, "\(link)")

        let opened = try Self.get(port, try Self.path(of: link))
        #expect(opened.status == 303)
        #expect(opened.header("Location") == "/channels", "\(opened.headers)")
        let cookie = try #require(opened.header("Set-Cookie"))
        #expect(cookie.hasPrefix("syndic_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        #expect(cookie.contains("Max-Age=43200") && !cookie.contains("Secure"), "\(cookie)")
        #expect(try Self.get(port, try Self.path(of: link)).status == 401, "a link opens one session")

        let made = try workspace.syndic.run(["login-link", "--url", "http://127.0.0.1:\(port)/", "--next", "/orders?status=PENDING"])
        #expect(made.status == 0, "\(made.stderr)")
        let second = made.stdout.trimmingCharacters(in: .newlines)
        #expect(second.hasPrefix("http://127.0.0.1:\(port)/login?code=") && second.contains("&next="), "\(second)")
        let code = second.split(separator: "=").dropFirst().first.map { String($0.prefix { $0 != "&" }) } ?? ""
        #expect(code.count == 43, "\(second)")
        #expect(try workspace.stateBytes().range(of: Data(code.utf8)) == nil, "the state keeps only the code's hash")
        let followed = try Self.get(port, try Self.path(of: second))
        #expect(followed.status == 303)
        #expect(followed.header("Location") == "/orders?status=PENDING", "\(followed.headers)")
        #expect(try workspace.syndic.run(["login-link"]).stdout.hasPrefix("http://127.0.0.1:8080/login?code="))

        server.terminate()
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
    }

    /// Behind an https proxy: the printed link starts with the public URL and the cookie is Secure.
    @Test func aPublicHTTPSURLMakesTheCookieSecure() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let (server, port, link, _) = try ConsoleBrowserTests.serve(workspace, ["--url", "https://console.example.com/"])
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        #expect(link.hasPrefix("https://console.example.com/login?code="), "\(link)")
        let opened = try Self.get(port, try Self.path(of: link))
        #expect(opened.status == 303)
        #expect(opened.header("Set-Cookie")?.hasSuffix("; Secure") == true, "\(opened.headers)")
        server.terminate()
        server.waitUntilExit()
    }

    @Test func refusesBadOptionsAndAMissingState() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let syndic = workspace.syndic
        let missing = try syndic.run(["login-link"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("error: no state at .syndic/state.sqlite"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.root.appendingPathComponent(".syndic/state.sqlite").path))

        #expect(try syndic.run(["token", "list"]).status == 0)
        for arguments in [["--next", "//evil.example/"], ["--next", "orders"], ["--url", "ftp://host"],
                          ["--url", "https://host/console"]] {
            let refused = try syndic.run(["login-link"] + arguments)
            #expect(refused.status == 64, "\(arguments): \(refused.stderr)")
            #expect(refused.stdout.isEmpty)
        }
        #expect(try syndic.run(["serve", "--url", "console.example.com"]).status == 64)
    }
}
