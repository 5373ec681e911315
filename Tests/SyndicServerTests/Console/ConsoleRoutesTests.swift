import Foundation
import SyndicCore
@testable import SyndicServer
import SyndicStore
import SyndicTransfer
import Testing

/// The web console over real HTTP: sessions from login links, pages, filters, actions with
/// their CSRF token, and what is refused.
@Suite struct ConsoleRoutesTests {
    typealias F = ConsoleFixtures

    /// The marketplace order ids of the order table, in its order.
    static func orderIDs(_ page: SyndicTransfer.HTTPResponse) throws -> [String] {
        let row = try Regex(#"<th scope="row"><a href="/orders/[^"]+">([^<]+)</a></th>"#)
        return page.text.matches(of: row).compactMap { $0.output[1].substring.map(String.init) }
    }

    /// The count line of the order page (`4 orders match`).
    static func orderCount(_ page: SyndicTransfer.HTTPResponse) -> String? {
        guard let start = page.text.range(of: #"<p id="order-count" role="status"><strong>"#) else { return nil }
        return String(page.text[start.upperBound...].prefix { $0 != "<" })
    }

    // MARK: - Pages

    @Test func everyPageAnswersWithASession() async throws {
        let console = try await ConsoleHarness()
        defer { Task { await console.stop() } }
        let seeded = try #require(console.seeded)
        try await console.login()
        let order = try #require(seeded.orderIDs["FR-1003"])
        for path in ["/channels", "/channels/shop_fr", "/channels/amazon_de", "/channels/feed", "/runs", "/runs?page=2",
                     "/runs/\(seeded.exportRun.id)", "/runs/\(seeded.failedRun.id)", "/orders", "/orders?page=2",
                     "/orders/\(order)", "/orders/FR-1003", "/login"] {
            let response = try await console.get(path)
            #expect(response.status == 200, "\(path): \(response.status) \(response.text)")
            #expect(response.header("Content-Type") == "text/html; charset=utf-8", "\(path)")
            #expect(response.header("Content-Security-Policy") == ConsoleResponse.contentSecurityPolicy, "\(path)")
            #expect(response.header("Cache-Control") == "no-store", "\(path)")
            for part in [#"<main id="main""#, #"name="viewport""#, ##"<a class="skip" href="#main">"##, "<nav aria-label=\"Sections\">",
                         #"action="/logout""#] {
                #expect(response.text.contains(part), "\(path) lacks \(part)")
            }
        }
        let root = try await console.get("/")
        #expect(root.status == 303)
        #expect(root.header("Location") == "/channels")

        let stylesheet = try await console.get("/console.css", session: false)
        #expect(stylesheet.status == 200)
        #expect(stylesheet.header("Content-Type") == "text/css; charset=utf-8")
        #expect(stylesheet.text.contains(":focus-visible"))
        let script = try await console.get("/console.js", session: false)
        #expect(script.status == 200)
        #expect(script.header("Content-Type") == "text/javascript; charset=utf-8")

        let file = try await console.get("/runs/\(seeded.exportRun.id)/files/feedback.csv")
        #expect(file.status == 200)
        #expect(file.text == "sku;status\nSKU-1;OK\n")
        #expect(file.header("Content-Disposition") == "attachment; filename=\"feedback.csv\"; filename*=UTF-8''feedback.csv")
    }

    @Test func withoutASessionEveryPageRedirectsToLoginAndShowsNoData() async throws {
        let console = try await ConsoleHarness()
        defer { Task { await console.stop() } }
        let seeded = try #require(console.seeded)
        let paths = ["/", "/channels", "/channels/shop_fr", "/runs", "/runs?status=failed", "/runs/\(seeded.exportRun.id)",
                     "/runs/\(seeded.exportRun.id)/files/feedback.csv", "/orders", "/orders?status=PENDING&q=FR%201",
                     "/orders/FR-1003", "/channels/nothing"]
        let forged = "syndic_session=" + String(repeating: "A", count: 43)
        let (token, prefix, hash) = APIToken.generate()
        _ = try console.store.createAccessToken(name: "erp", hash: hash, prefix: prefix, at: F.t0)
        for path in paths {
            for headers in [[], [(name: "Cookie", value: forged)], [(name: "Authorization", value: "Bearer \(token)")]] {
                let response = try await console.get(path, session: false, headers: headers)
                #expect(response.status == 303, "\(path) \(headers)")
                #expect(response.header("Location") == "/login?next=" + ConsoleQuery.encoded(path), "\(path)")
                #expect(!response.text.contains("shop_fr") && !response.text.contains("FR-1003") && !response.text.contains("SKU-1"))
            }
        }
        for path in ["/channels/shop_fr/suspend", "/channels/amazon_de/resume", "/channels/shop_fr/run", "/logout"] {
            let response = try await console.post(path, form: [("reason", "x"), ("job", "product-export")], session: false)
            #expect(response.status == 303, "\(path)")
            #expect(response.header("Location") == "/login")
        }
        #expect(try console.store.suspension(ofChannel: "shop_fr") == nil)
        #expect(try console.store.suspension(ofChannel: "amazon_de") != nil)
        #expect(try console.store.runs(RunFilter(status: .queued)).isEmpty)

        let login = try await console.get("/login?next=%2Forders%3Fstatus%3DPENDING", session: false)
        #expect(login.status == 200)
        #expect(login.text.contains("syndic login-link --next &#39;/orders?status=PENDING&#39;"))
        #expect(!login.text.contains("action=\"/logout\""), "no navigation without a session")
    }

    // MARK: - Logging in and out

    @Test func aLoginLinkOpensASessionAndGoesToItsPage() async throws {
        let console = try await ConsoleHarness()
        defer { Task { await console.stop() } }
        let response = try await console.login(next: "/orders?status=PENDING")
        #expect(response.status == 303)
        #expect(response.header("Location") == "/orders?status=PENDING")
        let cookie = try #require(response.header("Set-Cookie"))
        let token = String(cookie.dropFirst("syndic_session=".count).prefix { $0 != ";" })
        #expect(cookie == "syndic_session=\(token); Path=/; HttpOnly; SameSite=Strict; Max-Age=43200")
        #expect(token.count == 43 && ConsoleAuth.isToken(token[...]))
        #expect(try console.store.consoleSession(hash: ConsoleAuth.hash(token), now: F.t0) != nil, "the state keeps its hash")
        #expect(try console.store.consoleSession(hash: token, now: F.t0) == nil, "and never the token")
        #expect(try await console.get("/orders?status=PENDING").status == 200)

        let offsite = try await console.get(try console.loginLink(next: "//evil.example/steal"))
        #expect(offsite.header("Location") == "/channels", "a link never leads off the console")
        let behindProxy = try await console.get(try console.loginLink(), headers: [("X-Forwarded-Proto", "https")])
        #expect(behindProxy.header("Set-Cookie")?.hasSuffix("; Max-Age=43200; Secure") == true)
    }

    @Test func anHTTPSConsoleSetsASecureCookie() async throws {
        let console = try await ConsoleHarness(seed: false, baseURL: "https://syndic.example.com")
        defer { Task { await console.stop() } }
        let link = try ConsoleAuth.issueLoginLink(store: console.store, baseURL: "https://syndic.example.com/", next: "/runs",
                                                  now: F.t0)
        #expect(link.hasPrefix("https://syndic.example.com/login?code="))
        #expect(link.hasSuffix("&next=%2Fruns"))
        let response = try await console.get(String(link.dropFirst("https://syndic.example.com".count)))
        #expect(response.status == 303)
        #expect(response.header("Set-Cookie")?.hasSuffix("; Secure") == true)
        #expect(try await console.get("/channels").text.contains("No channels applied yet"))
    }

    @Test func usedExpiredAndUnknownCodesAreRefused() async throws {
        let console = try await ConsoleHarness(seed: false)
        defer { Task { await console.stop() } }
        let link = try console.loginLink()
        #expect(try await console.get(link, session: false).status == 303)
        console.cookie = nil
        let used = try await console.get(link, session: false)
        #expect(used.status == 401)
        #expect(used.text.contains("This login link was used or has expired"))
        #expect(used.text.contains("syndic login-link"))
        #expect(used.header("Set-Cookie") == nil)

        let expired = try console.loginLink(at: F.t0.addingTimeInterval(-600))
        #expect(try await console.get(expired, session: false).status == 401, "valid 10 minutes, not one second more")
        let fresh = try console.loginLink(at: F.t0.addingTimeInterval(-599))
        #expect(try await console.get(fresh, session: false).status == 303)
        console.cookie = nil
        for code in [String(repeating: "A", count: 43), "short", "%00"] {
            let response = try await console.get("/login?code=\(code)", session: false)
            #expect(response.status == 401, "\(code)")
            #expect(response.header("Set-Cookie") == nil)
        }
        #expect(console.cookie == nil)
    }

    @Test func logoutEndsTheSessionAndSessionsExpireAfter12Hours() async throws {
        let console = try await ConsoleHarness(seed: false)
        defer { Task { await console.stop() } }
        try await console.login()
        let csrf = try ConsoleHarness.csrf(in: try await console.get("/channels"))
        let kept = try #require(console.cookie)
        let out = try await console.post("/logout", form: [("csrf", csrf)])
        #expect(out.status == 303)
        #expect(out.header("Location") == "/login")
        #expect(out.header("Set-Cookie") == "syndic_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
        console.cookie = kept
        #expect(try await console.get("/channels").status == 303, "the ended session opens nothing")

        try await console.login()
        console.clock.advance(by: 12 * 3600 - 1)
        #expect(try await console.get("/channels").status == 200)
        console.clock.advance(by: 1)
        let expired = try await console.get("/channels")
        #expect(expired.status == 303)
        #expect(expired.header("Location") == "/login?next=%2Fchannels")
    }

    @Test func postsWithoutTheSessionsCSRFTokenAreRefused() async throws {
        let console = try await ConsoleHarness()
        defer { Task { await console.stop() } }
        try await console.login()
        let earlier = try ConsoleHarness.csrf(in: try await console.get("/channels"))
        try await console.login()
        let current = try ConsoleHarness.csrf(in: try await console.get("/channels"))
        #expect(earlier != current, "each session has its own token")
        let posts: [(String, [(String, String)])] = [("/channels/shop_fr/suspend", [("reason", "test")]),
                                                     ("/channels/amazon_de/resume", []),
                                                     ("/channels/shop_fr/run", [("job", "product-export")]), ("/logout", [])]
        for (path, form) in posts {
            let altered = String(current.dropLast()) + (current.hasSuffix("0") ? "1" : "0")
            for csrf in [nil, "", "0000", earlier, altered] {
                let response = try await console.post(path, form: form + (csrf.map { [("csrf", $0)] } ?? []))
                #expect(response.status == 403, "\(path) \(csrf ?? "no token")")
                #expect(response.text.contains("security token"))
            }
        }
        #expect(try console.store.suspension(ofChannel: "shop_fr") == nil)
        #expect(try console.store.suspension(ofChannel: "amazon_de") != nil)
        #expect(try console.store.runs(RunFilter(status: .queued)).isEmpty)
        #expect(try await console.get("/channels").status == 200, "the session is still open")
    }

    // MARK: - Actions

    @Test func suspendResumeAndRunNowAct() async throws {
        let console = try await ConsoleHarness()
        defer { Task { await console.stop() } }
        try await console.login()
        let csrf = try ConsoleHarness.csrf(in: try await console.get("/channels/shop_fr"))

        let suspended = try await console.post("/channels/shop_fr/suspend", form: [("csrf", csrf), ("reason", "stock audit")])
        #expect(suspended.status == 303)
        #expect(suspended.header("Location") == "/channels/shop_fr?done=suspended")
        let suspension = try #require(try console.store.suspension(ofChannel: "shop_fr"))
        #expect(suspension == Suspension(reason: "stock audit", by: "console", at: F.t0))
        let page = try await console.get("/channels/shop_fr?done=suspended")
        #expect(page.text.contains("Channel suspended: its schedules fire nothing until it is resumed."))
        #expect(page.text.contains("Resume the channel") && !page.text.contains("Suspend the channel"))

        let refused = try await console.post("/channels/shop_fr/run", form: [("csrf", csrf), ("job", "order-retrieval")])
        #expect(refused.status == 409)
        #expect(refused.text.contains("channel shop_fr is suspended"))

        let resumed = try await console.post("/channels/shop_fr/resume", form: [("csrf", csrf)])
        #expect(resumed.header("Location") == "/channels/shop_fr?done=resumed")
        #expect(try console.store.suspension(ofChannel: "shop_fr") == nil)
        #expect(try await console.post("/channels/shop_fr/resume", form: [("csrf", csrf)]).status == 409)

        let queued = try await console.post("/channels/shop_fr/run", form: [("csrf", csrf), ("job", "product-export")])
        #expect(queued.status == 303)
        let run = try #require(try console.store.runs(RunFilter(channel: "shop_fr", status: .queued)).first)
        #expect(run.job == .productExport && run.trigger == .manual && !run.dryRun)
        #expect(queued.header("Location") == "/channels/shop_fr?done=queued&run=\(run.id)")
        let flash = try await console.get("/channels/shop_fr?done=queued&run=\(run.id)")
        #expect(flash.text.contains("Run \(run.id) queued") && flash.text.contains("href=\"/runs/\(run.id)\""))
        let twice = try await console.post("/channels/shop_fr/run", form: [("csrf", csrf), ("job", "product-export")])
        #expect(twice.status == 409)
        #expect(twice.text.contains("already queued"))

        let dry = try await console.post("/channels/feed/run", form: [("csrf", csrf), ("job", "product-export"), ("dry_run", "on")])
        #expect(dry.status == 303, "an inactive channel runs a dry-run export")
        #expect(try console.store.runs(RunFilter(channel: "feed")).first?.dryRun == true)
        let inactive = try await console.post("/channels/feed/run", form: [("csrf", csrf), ("job", "product-export")])
        #expect(inactive.status == 409)
        #expect(inactive.text.contains("inactive"))

        for (path, form) in [("/channels/shop_fr/run", [("job", "order-retrieval"), ("dry_run", "on")]),
                             ("/channels/shop_fr/run", [("job", "bogus")]), ("/channels/shop_fr/suspend", [("reason", "  ")])] {
            #expect(try await console.post(path, form: [("csrf", csrf)] + form).status == 400, "\(path) \(form)")
        }
        #expect(try await console.post("/channels/nothing/suspend", form: [("csrf", csrf), ("reason", "x")]).status == 404)
        #expect(try await console.post("/channels/amazon_de/run", form: [("csrf", csrf), ("job", "product-export")]).status == 409,
                "amazon_de has no product export")
    }

    // MARK: - Contents

    @Test func channelsShowStatusJobsAndWhatNeedsAttention() async throws {
        let console = try await ConsoleHarness()
        defer { Task { await console.stop() } }
        let seeded = try #require(console.seeded)
        try await console.login()
        let channels = try await console.get("/channels").text
        #expect(channels.contains("2 of 3 channels need attention."))
        for part in ["credentials rejected", "last order-retrieval failed", "marketplace maintenance", "none while inactive",
                     "next 2026-03-12T01:30:00Z", "next 2026-03-11T12:05:00Z", "href=\"/runs/\(seeded.failedRun.id)\"",
                     "href=\"/channels/amazon_de\"", "<th scope=\"col\">Channel</th>"] {
            #expect(channels.contains(part), "channels lack \(part)")
        }

        let shop = try await console.get("/channels/shop_fr").text
        for part in ["<code>channels/shop_fr.yaml</code>", "lives in git",
                     "<tr><td><code>timezone</code></td><td class=\"value\">Europe/Paris</td><td><code title=\"\(F.secondCommit)\">222222222222</code></td>",
                     "<tr><td><code>type</code></td><td class=\"value\">mirakl</td><td><code title=\"\(F.firstCommit)\">111111111111</code></td>",
                     "<code>labels.team</code>", "daily at 02:30", "<time>2026-03-12T01:30:00Z</time>", "<time>2026-03-13T01:30:00Z</time>",
                     "<time>2026-03-14T01:30:00Z</time>", "href=\"/runs/\(seeded.exportRun.id)\"", "action=\"/channels/shop_fr/suspend\"",
                     "<label for=\"reason\">", "<option value=\"requirements-sync\">", "<input type=\"checkbox\" id=\"dry_run\"",
                     "credentials.apiKey", "401 Unauthorized", "href=\"/runs?channel=shop_fr\""] {
            #expect(shop.contains(part), "shop_fr lacks \(part)")
        }
        let amazon = try await console.get("/channels/amazon_de").text
        #expect(amazon.contains("action=\"/channels/amazon_de/resume\"") && !amazon.contains("id=\"dry_run\""))
        #expect(amazon.contains("While the channel is suspended, its schedules fire nothing"))
    }

    @Test func runsFilterAndShowTheirReportLogAndFiles() async throws {
        let console = try await ConsoleHarness()
        defer { Task { await console.stop() } }
        let seeded = try #require(console.seeded)
        try await console.login()
        let export = "href=\"/runs/\(seeded.exportRun.id)\"", failed = "href=\"/runs/\(seeded.failedRun.id)\""
        let all = try await console.get("/runs").text
        #expect(all.contains(export) && all.contains(failed))
        let onlyFailed = try await console.get("/runs?status=failed").text
        #expect(onlyFailed.contains(failed) && !onlyFailed.contains(export))
        #expect(onlyFailed.contains("<option value=\"failed\" selected>"))
        let exports = try await console.get("/runs?job=product-export&channel=shop_fr").text
        #expect(exports.contains(export) && !exports.contains(failed))
        #expect(try await console.get("/runs?channel=amazon_de").text.contains("No runs match."))
        for query in ["status=bogus", "job=nothing", "page=0", "page=x"] {
            #expect(try await console.get("/runs?\(query)").status == 400, "\(query)")
        }

        let run = try await console.get("/runs/\(seeded.exportRun.id)").text
        for part in ["2 products sent to the marketplace", "export started", "SKU-3 skipped: &lt;no price&gt;",
                     "href=\"/runs/\(seeded.exportRun.id)/files/feedback.csv\"", "<td>sent</td>", "delta export recorded",
                     "SKU-1, SKU-10", "<span class=\"badge ok\">succeeded</span>"] {
            #expect(run.contains(part), "the run lacks \(part)")
        }
        #expect(!run.contains("<no price>"), "log text is escaped")
        #expect(try await console.get("/runs/\(seeded.failedRun.id)").text.contains("connection refused"))
    }

    @Test func orderFiltersChangeTheListAndTheCount() async throws {
        let console = try await ConsoleHarness()
        defer { Task { await console.stop() } }
        try await console.login()
        let cases: [(query: String, ids: [String])] = [
            ("", ["FR-1001", "FR-1002", "FR-1003", "DE-2001"]),
            ("status=WAITING_FOR_SHIPMENT", ["FR-1001"]),
            ("status=pending", ["FR-1003"]),
            ("marketplace=amazon", ["DE-2001"]),
            ("channel=shop_fr", ["FR-1001", "FR-1002", "FR-1003"]),
            ("date=today", ["FR-1001"]),
            ("date=yesterday", ["FR-1002"]),
            ("date=this-week", ["FR-1001", "FR-1002"]),
            ("date=last-week", ["FR-1001", "FR-1002", "FR-1003"]),
            ("date=this-month", ["FR-1001", "FR-1002", "FR-1003"]),
            ("date=last-month", ["DE-2001"]),
            ("errors=yes", ["FR-1003"]),
            ("errors=no", ["FR-1001", "FR-1002", "DE-2001"]),
            ("q=FR-100", ["FR-1001", "FR-1002", "FR-1003"]),
            ("q=DE", ["DE-2001"]),
            ("sort=errors", ["FR-1003", "FR-1001", "FR-1002", "DE-2001"]),
            ("channel=shop_fr&date=this-week&sort=errors", ["FR-1001", "FR-1002"]),
            ("status=SHIPPED&channel=amazon_de", []),
        ]
        for (query, ids) in cases {
            let page = try await console.get("/orders" + (query.isEmpty ? "" : "?" + query))
            #expect(page.status == 200, "\(query)")
            #expect(try Self.orderIDs(page) == ids, "\(query)")
            #expect(Self.orderCount(page) == (ids.count == 1 ? "1 order matches" : "\(ids.count) orders match"), "\(query)")
        }
        let pending = try await console.get("/orders?status=PENDING").text
        #expect(pending.contains("<span class=\"badge warn\">cancellation requested</span>"))
        #expect(pending.contains("<option value=\"PENDING\" selected>"))
        #expect(pending.contains("<a href=\"/orders\">Clear the filters</a>"))
        for query in ["status=BOGUS", "marketplace=ebay", "date=someday", "errors=maybe", "sort=price", "page=0"] {
            let page = try await console.get("/orders?\(query)")
            #expect(page.status == 400, "\(query)")
            #expect(page.text.contains("is not"), "\(query)")
        }
    }

    @Test func ordersComeFiftyAPageAndLinksKeepTheFilters() async throws {
        let console = try await ConsoleHarness()
        defer { Task { await console.stop() } }
        try F.bulkOrders(console.store, count: 60, at: F.at(-0.5))
        try await console.login()
        let first = try await console.get("/orders?channel=shop_fr")
        #expect(Self.orderCount(first) == "63 orders match")
        let firstIDs = try Self.orderIDs(first)
        #expect(firstIDs.count == 50)
        #expect(firstIDs.first == "BULK-0001")
        #expect(first.text.contains("href=\"/orders?channel=shop_fr&amp;page=2\" rel=\"next\""))
        #expect(!first.text.contains("rel=\"prev\""))
        let second = try await console.get("/orders?channel=shop_fr&page=2")
        let secondIDs = try Self.orderIDs(second)
        #expect(secondIDs.count == 13)
        #expect(Set(firstIDs).isDisjoint(with: secondIDs))
        #expect(secondIDs.suffix(3) == ["FR-1001", "FR-1002", "FR-1003"])
        #expect(second.text.contains("Showing 51–63"))
        #expect(second.text.contains("href=\"/orders?channel=shop_fr\" rel=\"prev\""))
        #expect(!second.text.contains("rel=\"next\""))
        let beyond = try await console.get("/orders?channel=shop_fr&page=3")
        #expect(try Self.orderIDs(beyond).isEmpty)
        #expect(Self.orderCount(beyond) == "63 orders match")
    }

    @Test func anOrderShowsEverythingKnownOfIt() async throws {
        let console = try await ConsoleHarness()
        defer { Task { await console.stop() } }
        let seeded = try #require(console.seeded)
        try await console.login()
        let id = try #require(seeded.orderIDs["FR-1003"])
        let page = try await console.get("/orders/\(id)")
        #expect(page.status == 200)
        for part in ["Order FR-1003", "<dd>\(id)</dd>", "<dd>mirakl</dd>", "<dd>PENDING</dd>", "cancellation requested",
                     "Jeanne Dupont", "jeanne@example.com", "+33 1 23 45 67 89", "13 place Aristide Briand<br>44000 Nantes<br>FR<br>",
                     "<td>FR-1003-1</td>", "<td>SKU-1</td>", "<td>3600000000017</td>", "<td>Sac cabas</td>", "<dd>PAID</dd>",
                     "href=\"/runs/\(seeded.exportRun.id)\">exported 2026-03-10T12:00:00Z (run \(seeded.exportRun.id))</a>",
                     "1 canceled on line FR-1003-1 (buyer changed mind)", "href=\"/runs/\(seeded.failedRun.id)\"",
                     "line 2: unknown carrier &quot;&lt;UPS&gt;&quot;", "<pre class=\"text\" id=\"error-details\"",
                     "data-copy=\"error-details\"", "<script src=\"/console.js\"></script>", "href=\"/channels/shop_fr\""] {
            #expect(page.text.contains(part), "the order lacks \(part)")
        }
        #expect(!page.text.contains("\"<UPS>\""), "marketplace text is escaped")
        let quiet = try await console.get("/orders/\(try #require(seeded.orderIDs["FR-1001"]))").text
        #expect(quiet.contains("No errors.") && quiet.contains("No shipment reported.") && !quiet.contains("<script"))
    }

    @Test func unknownThingsAre404Pages() async throws {
        let console = try await ConsoleHarness()
        defer { Task { await console.stop() } }
        let seeded = try #require(console.seeded)
        try await console.login()
        for path in ["/channels/nothing", "/runs/999999", "/runs/abc", "/runs/\(seeded.exportRun.id)/files/nothing.csv",
                     "/orders/nothing"] {
            let response = try await console.get(path)
            #expect(response.status == 404, "\(path)")
            #expect(response.header("Content-Type") == "text/html; charset=utf-8")
            #expect(response.text.contains("<h1>Not found</h1>"), "\(path)")
        }
    }

    // MARK: - Beside the API

    @Test func sessionsAndAccessTokensOpenOnlyTheirOwnSide() async throws {
        let console = try await ConsoleHarness()
        defer { Task { await console.stop() } }
        let (token, prefix, hash) = APIToken.generate()
        _ = try console.store.createAccessToken(name: "erp", hash: hash, prefix: prefix, at: F.t0)
        try await console.login()
        #expect(try await console.get("/api/v1/orders").status == 401, "a session cookie is no access token")
        let api = try await console.get("/api/v1/orders", session: false, headers: [("Authorization", "Bearer \(token)")])
        #expect(api.status == 200)
        #expect(try await console.get("/healthz", session: false).status == 200)
        #expect(try await console.send("GET", "/logout").status == 405)
        #expect(try await console.send("DELETE", "/channels").status == 405)
    }

    @Test func aMissingTemplateStopsTheStartNamingIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "<html>{{$main}}{{/main}}</html>".write(to: directory.appendingPathComponent("layout.mustache"), atomically: true,
                                                   encoding: .utf8)
        do {
            _ = try await ConsoleViews.load(templates: directory, assets: directory)
            Issue.record("templates were missing")
        } catch let error as ConsoleViews.LoadError {
            #expect(error.description.contains("channels.mustache"))
            #expect(!error.description.contains("layout.mustache"))
        }
        _ = try await ConsoleViews.load()
    }
}
