import Foundation
import SyndicTestSupport
import Testing

/// The web console in a real browser: headless Chromium follows the login link the shipped
/// `syndic serve` prints, over a channel, its runs and the orders a real retrieval stored
/// from the Mirakl simulator (one with an error), and checks the rendered DOM of the
/// channels, channel, runs, run, orders and order pages. A screenshot of each page goes to
/// `.build/console-screenshots/` (the pictures of docs/console.md). Without Chromium the test
/// is skipped, and fails in CI (`CI=true`): `scripts/install-deps` installs it.
@Suite struct ConsoleBrowserTests {
    /// Where the screenshots go: `.build/console-screenshots/` of the package.
    static let screenshots = Workspace.testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/console-screenshots")

    static let linkSuffix = " (one use, valid 10 minutes)"

    @Test(.enabled(if: Chromium.find() != nil || Chromium.required,
                   "Chromium is not installed (scripts/install-deps installs Debian's chromium; with CI=true this test fails)"))
    func aBrowserLogsInWithTheLinkAndReadsEveryPage() throws {
        let binary = try #require(Chromium.find(), "Chromium is required in CI: scripts/install-deps installs Debian's chromium")
        let (workspace, simulator) = try OrdersCommandTests.retrieved()
        defer { kill(simulator.processIdentifier, SIGKILL); simulator.waitUntilExit(); workspace.remove() }
        try OpenAPIConformanceTests.recordAnError(workspace)
        let (server, port, link, log) = try Self.serve(workspace)
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let base = "http://127.0.0.1:\(port)"
        #expect(link.hasPrefix(base + "/login?code="), "\(link)")
        let browser = try Chromium(binary: binary)
        defer { browser.remove() }

        // The link logs in and leads to the channels; the session cookie serves the next pages.
        let channels = try browser.dumpDOM(link)
        Self.expectPage(channels, "channels")
        #expect(channels.contains("href=\"/channels/shop\""), "\(channels)")
        #expect(channels.contains("mirakl") && channels.contains("order-retrieval"), "\(channels)")
        #expect(channels.contains("<th scope=\"col\""), "\(channels)")
        try browser.screenshot(base + "/channels", to: Self.screenshots.appendingPathComponent("channels.png"))

        let channel = try browser.dumpDOM(base + "/channels/shop")
        Self.expectPage(channel, "channel")
        #expect(channel.contains("shop.yaml"), "the page names the file the configuration lives in: \(channel)")
        #expect(channel.lowercased().contains("method=\"post\"") && channel.contains("name=\"csrf\""), "\(channel)")
        #expect(channel.lowercased().contains("suspend"), "\(channel)")
        try browser.screenshot(base + "/channels/shop", to: Self.screenshots.appendingPathComponent("channel.png"))

        let runs = try browser.dumpDOM(base + "/runs")
        Self.expectPage(runs, "runs")
        #expect(runs.contains("order-retrieval") && runs.contains("succeeded"), "\(runs)")
        let runIDs = Self.links(runs, under: "/runs/").compactMap { Int64($0.dropFirst("/runs/".count)) }
        #expect(runIDs.count >= 2, "both retrieval runs are listed: \(runs)")
        let first = try #require(runIDs.min(), "\(runs)")
        try browser.screenshot(base + "/runs", to: Self.screenshots.appendingPathComponent("runs.png"))
        let run = try browser.dumpDOM(base + "/runs/\(first)")
        Self.expectPage(run, "run \(first)")
        #expect(run.contains("order-retrieval") && run.contains("created") && run.contains("succeeded"), "\(run)")
        try browser.screenshot(base + "/runs/\(first)", to: Self.screenshots.appendingPathComponent("run.png"))

        // The status filter and its count: FR1002-A and DE2001-A wait for shipment.
        let waiting = base + "/orders?status=WAITING_FOR_SHIPMENT"
        let orders = try browser.dumpDOM(waiting)
        Self.expectPage(orders, "orders")
        #expect(orders.contains("2 orders match"), "\(orders)")
        #expect(orders.contains("FR1002-A") && orders.contains("DE2001-A"), "\(orders)")
        #expect(!orders.contains("FR1003-A") && !orders.contains("FR1001-A"), "\(orders)")
        try browser.screenshot(waiting, to: Self.screenshots.appendingPathComponent("orders.png"))
        try browser.screenshot(waiting, to: Self.screenshots.appendingPathComponent("orders-phone.png"), width: 390, height: 844)

        // Sorted by errors, the order with an error comes first; the cancellation request shows.
        let sorted = try browser.dumpDOM(base + "/orders?sort=errors")
        #expect(sorted.contains("7 orders match"), "\(sorted)")
        let withError = try #require(sorted.range(of: "FR1001-A"), "\(sorted)")
        let othersFollow = ["FR1002-A", "FR1003-A", "FR1004-A", "FR1005-A", "FR1006-A", "DE2001-A"].allSatisfy { id in
            sorted.range(of: id).map { withError.lowerBound < $0.lowerBound } ?? false
        }
        #expect(othersFollow, "FR1001-A, the order with an error, comes first: \(sorted)")
        #expect(sorted.lowercased().contains("cancellation"), "FR1005-A has a cancellation request: \(sorted)")

        // The order page, from its link in the list.
        let orderPath = try #require(Self.link(orders, under: "/orders/", showing: "FR1002-A"), "\(orders)")
        let order = try browser.dumpDOM(base + orderPath)
        Self.expectPage(order, "order")
        for text in ["FR1002-A", "FR1002-A-1", "SKU-000003", "SKU-000004", "WAITING_FOR_SHIPMENT", "SHIPPING", "Jérôme",
                     "Lyon"] {
            #expect(order.contains(text), "the order page shows \(text): \(order)")
        }
        try browser.screenshot(base + orderPath, to: Self.screenshots.appendingPathComponent("order.png"))

        // Another browser without a session sees the login page and no data; the used link
        // is refused; `syndic login-link` makes a new one that leads to its --next page.
        let stranger = try Chromium(binary: binary)
        defer { stranger.remove() }
        let refused = try stranger.dumpDOM(base + "/orders")
        #expect(refused.contains("login-link") && !refused.contains("FR1002-A"), "\(refused)")
        let used = try stranger.dumpDOM(link)
        #expect(used.contains("was used or has expired") && !used.contains("FR1002-A"), "\(used)")
        let made = try workspace.syndic.run(["login-link", "--url", base, "--next", "/orders/FR1001-A"])
        #expect(made.status == 0, "\(made.stderr)")
        let newLink = made.stdout.trimmingCharacters(in: .newlines)
        #expect(newLink.hasPrefix(base + "/login?code=") && newLink.contains("next="), "\(newLink)")
        let errorPage = try stranger.dumpDOM(newLink)
        Self.expectPage(errorPage, "order FR1001-A")
        #expect(errorPage.contains("has no order_state"), "the order's error shows: \(errorPage)")
        // The copy button is shown by the page's own script (the details stay selectable text).
        let button = errorPage.range(of: "data-copy=\"error-details\"").map { errorPage[$0.upperBound...].prefix { $0 != ">" } }
        #expect(button.map { !$0.contains("hidden") } == true, "the script shows the copy button: \(errorPage)")

        server.terminate()
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
        let logged = String(decoding: log.wait(), as: UTF8.self)
        let code = link.split(separator: "=").dropFirst().first.map { String($0.prefix { $0 != "&" }) } ?? ""
        #expect(code.count == 43 && !logged.contains(code), "the access log never holds a login code")
    }

    /// What every console page has: the navigation with the log-out button, a main region,
    /// the stylesheet served by syndic itself, a viewport for phones, nothing loaded from
    /// elsewhere.
    static func expectPage(_ dom: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(dom.contains("<nav") && dom.contains("<main"), "\(name): \(dom)", sourceLocation: sourceLocation)
        #expect(dom.contains("name=\"viewport\"") && dom.contains("/console.css"), "\(name): \(dom)",
                sourceLocation: sourceLocation)
        #expect(!dom.contains("src=\"http") && !dom.contains("src=\"//"), "\(name): \(dom)", sourceLocation: sourceLocation)
        #expect(dom.lowercased().contains("log out"), "\(name): \(dom)", sourceLocation: sourceLocation)
    }

    /// The targets of the links in `html` that start with `prefix` (and hold no query).
    static func links(_ html: String, under prefix: String) -> [String] {
        html.components(separatedBy: "href=\"").dropFirst().compactMap { rest in
            let target = String(rest.prefix { $0 != "\"" })
            return target.hasPrefix(prefix) && !target.contains("?") ? target : nil
        }
    }

    /// The target of the first link under `prefix` whose text (or target) holds `text`.
    static func link(_ html: String, under prefix: String, showing text: String) -> String? {
        html.components(separatedBy: "href=\"\(prefix)").dropFirst().first { part in
            (part.components(separatedBy: "</a>").first ?? "").contains(text)
        }.map { prefix + $0.prefix { $0 != "\"" } }
    }

    /// Starts `syndic serve --port 0` (and `arguments`); the port it took and the login link
    /// it printed. Killed (and the test fails) when both lines do not come within 30 seconds.
    static func serve(_ workspace: Workspace, _ arguments: [String] = []) throws -> (Process, Int, String, ReadInBackground) {
        let (process, out, err) = try workspace.syndic.start(["serve", "--port", "0"] + arguments)
        let log = ReadInBackground(err)
        let printed = DispatchSemaphore(value: 0)
        let pid = process.processIdentifier
        DispatchQueue.global().async {
            if printed.wait(timeout: .now() + 30) == .timedOut { kill(pid, SIGKILL) }
        }
        var text = ""
        while text.filter({ $0 == "\n" }).count < 2 {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        printed.signal()
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.count >= 2, lines[0].hasPrefix("listening on http://127.0.0.1:"),
              let port = Int(lines[0].split(separator: ":").last ?? ""),
              lines[1].hasPrefix("console: open "), lines[1].hasSuffix(linkSuffix) else {
            if process.isRunning { process.terminate() }
            throw TestSupportError("syndic serve did not print its address and login link: \(text)")
        }
        return (process, port, String(lines[1].dropFirst("console: open ".count).dropLast(linkSuffix.count)), log)
    }
}
