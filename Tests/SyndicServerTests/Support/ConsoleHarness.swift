import Foundation
import SyndicCore
@testable import SyndicServer
import SyndicStore
import SyndicTestSupport
import SyndicTransfer

/// `syndic serve` with its web console on a free 127.0.0.1 port over a scratch state (seeded
/// by `ConsoleFixtures`), called over real HTTP like a browser that follows no redirect by
/// itself and keeps the session cookie. The console's clock is the harness's, moved by hand.
final class ConsoleHarness: @unchecked Sendable {
    let directory: String
    let store: SQLiteStateStore
    let clock: ManualClock
    let seeded: ConsoleFixtures.Seeded?
    private(set) var port = 0
    private let task: Task<Void, any Error>
    private let lock = NSLock()
    private var cookieValue: String?

    /// `seed: false` leaves the state empty; `baseURL` is the console's public URL.
    init(seed: Bool = true, baseURL: String? = nil) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-console-\(UUID().uuidString)").path
        let store = try SQLiteStateStore(path: directory + "/state.sqlite")
        self.store = store
        seeded = try seed ? ConsoleFixtures.seed(store) : nil
        let clock = ManualClock(ConsoleFixtures.t0)
        self.clock = clock
        var options = APIServerOptions()
        options.port = 0
        let api = OrdersAPI(store: store, options: options, log: AccessLog(sink: { _ in }),
                            console: Console(store: store, baseURL: baseURL, now: { clock.now }))
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        // A server that fails to start (a template missing) ends the stream: the harness throws.
        task = Task {
            defer { continuation.finish() }
            try await api.run { continuation.yield($0) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw TestSupportError("the server did not start") }
        self.port = port
    }

    deinit {
        task.cancel()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Stops the server and waits for it.
    func stop() async {
        task.cancel()
        _ = await task.result
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// The session cookie held (`syndic_session=…`), if any.
    var cookie: String? {
        get { lock.withLock { cookieValue } }
        set { lock.withLock { cookieValue = newValue } }
    }

    // MARK: - Logging in

    /// A new login link's path and query (`/login?code=…`), issued at `date` (the clock's now).
    func loginLink(next: String? = nil, at date: Date? = nil) throws -> String {
        let link = try ConsoleAuth.issueLoginLink(store: store, baseURL: base, next: next, now: date ?? clock.now)
        guard link.hasPrefix(base) else { throw TestSupportError("a link outside the console: \(link)") }
        return String(link.dropFirst(base.count))
    }

    /// Follows a new login link: the session cookie is kept. Returns the link's answer (a 303).
    @discardableResult
    func login(next: String? = nil) async throws -> SyndicTransfer.HTTPResponse {
        let response = try await get(try loginLink(next: next))
        guard response.status == 303, cookie != nil else {
            throw TestSupportError("login failed: \(response.status) \(response.text)")
        }
        return response
    }

    // MARK: - Requests

    /// A GET, with the session cookie unless `session` is false.
    func get(_ path: String, session: Bool = true, headers: [(name: String, value: String)] = []) async throws
        -> SyndicTransfer.HTTPResponse {
        try await send("GET", path, session: session, headers: headers)
    }

    /// A form post (`application/x-www-form-urlencoded`).
    func post(_ path: String, form: [(String, String)], session: Bool = true,
              headers: [(name: String, value: String)] = []) async throws -> SyndicTransfer.HTTPResponse {
        let body = form.map { ConsoleQuery.encoded($0.0) + "=" + ConsoleQuery.encoded($0.1) }.joined(separator: "&")
        return try await send("POST", path, session: session, body: Data(body.utf8),
                              headers: headers + [("Content-Type", "application/x-www-form-urlencoded")])
    }

    /// Sends a request off the cooperative pool; a `Set-Cookie` of the session replaces the
    /// cookie kept (one that expires it removes it).
    func send(_ method: String, _ path: String, session: Bool = true, body: Data? = nil,
              headers: [(name: String, value: String)] = []) async throws -> SyndicTransfer.HTTPResponse {
        var all = headers
        if session, let cookie { all.append(("Cookie", cookie)) }
        let request = HTTPRequest(method: method, url: base + path, headers: all, body: body, timeout: 30)
        let response: SyndicTransfer.HTTPResponse = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try HTTPClient(maxAttempts: 1).send(request) })
            }
        }
        for header in response.headers where header.name.lowercased() == "set-cookie" {
            let pair = header.value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            guard pair.hasPrefix(ConsoleAuth.cookieName + "=") else { continue }
            cookie = pair == ConsoleAuth.cookieName + "=" || header.value.contains("Max-Age=0") ? nil : pair
        }
        return response
    }

    /// The CSRF token of the forms of a page.
    static func csrf(in page: SyndicTransfer.HTTPResponse) throws -> String {
        let marker = #"name="csrf" value=""#
        guard let start = page.text.range(of: marker) else { throw TestSupportError("no form on the page") }
        return String(page.text[start.upperBound...].prefix { $0 != "\"" })
    }
}

/// A clock moved by hand, read by the console from the server's tasks.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) { current = start }

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }
}
