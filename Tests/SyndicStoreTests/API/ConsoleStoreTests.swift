import Foundation
import SyndicCore
import Testing
@testable import SyndicStore

/// What the web console keeps and reads in the state: one-use login codes, sessions that
/// expire and end, pages of the order list by marketplace, and the last export of a product.
@Suite struct ConsoleStoreTests {
    typealias F = OrderFixtures

    /// Ten minutes after `at`: a login code's lifetime.
    static func codeExpiry(_ at: Date) -> Date { at.addingTimeInterval(600) }

    /// Twelve hours after `at`: a session's lifetime.
    static func sessionExpiry(_ at: Date) -> Date { at.addingTimeInterval(12 * 3600) }

    // MARK: - Login codes

    @Test(arguments: StateBackend.allCases)
    func aLoginCodeRedeemsOnce(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try store.createLoginCode(hash: "c1", next: "/orders?status=SHIPPED", expiresAt: Self.codeExpiry(F.t0), at: F.t0)
        #expect(try store.redeemLoginCode(hash: "c1", now: F.at(1)) == "/orders?status=SHIPPED")
        #expect(try store.redeemLoginCode(hash: "c1", now: F.at(2)) == nil, "a code is used once")
        #expect(try RawState.date(store, "SELECT used_at FROM console_login_code WHERE code_hash = ?", ["c1"]) == F.at(1))
        #expect(try Set(RawState.columns(store, of: "console_login_code"))
                == ["code_hash", "next", "created_at", "expires_at", "used_at"])
        #expect(try Set(RawState.columns(store, of: "console_session"))
                == ["token_hash", "created_at", "expires_at", "ended_at"])
    }

    @Test(arguments: StateBackend.allCases)
    func expiredAndUnknownCodesAreRefused(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try store.createLoginCode(hash: "late", next: "/", expiresAt: Self.codeExpiry(F.t0), at: F.t0)
        try store.createLoginCode(hash: "early", next: "/runs", expiresAt: Self.codeExpiry(F.t0), at: F.t0)
        #expect(try store.redeemLoginCode(hash: "late", now: Self.codeExpiry(F.t0)) == nil, "expired at its expiry")
        #expect(try store.redeemLoginCode(hash: "late", now: F.at(5)) != nil,
                "a refused attempt did not use the code")
        #expect(try store.redeemLoginCode(hash: "early", now: Self.codeExpiry(F.t0).addingTimeInterval(-1)) == "/runs")
        #expect(try store.redeemLoginCode(hash: "unknown", now: F.t0) == nil)
        #expect(try RawState.count(store, "SELECT COUNT(*) FROM console_login_code WHERE code_hash = 'unknown'") == 0)
    }

    @Test(arguments: StateBackend.allCases)
    func racingRedeemsOfOneCodeHaveOneWinner(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let stores = try (0..<6).map { _ in try workspace.reopen() }
        for round in 0..<3 {
            let hash = "race-\(round)"
            try workspace.store.createLoginCode(hash: hash, next: "/channels", expiresAt: Self.codeExpiry(F.t0), at: F.t0)
            let outcomes = Outcomes()
            let group = DispatchGroup()
            let start = DispatchSemaphore(value: 0)
            for store in stores {
                group.enter()
                Thread {
                    start.wait()
                    do {
                        outcomes.record(try store.redeemLoginCode(hash: hash, now: F.at(1)))
                    } catch {
                        outcomes.fail(error)
                    }
                    group.leave()
                }.start()
            }
            for _ in stores { start.signal() }
            group.wait()
            #expect(outcomes.errors.isEmpty, "\(outcomes.errors)")
            #expect(outcomes.answers.compactMap { $0 } == ["/channels"], "round \(round): one request wins")
            #expect(outcomes.answers.count == stores.count)
        }
    }

    /// The answers of racing requests, gathered from their threads.
    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [String?] = []
        private var failures: [String] = []

        func record(_ answer: String?) { lock.withLock { results.append(answer) } }
        func fail(_ error: any Error) { lock.withLock { failures.append("\(error)") } }
        var answers: [String?] { lock.withLock { results } }
        var errors: [String] { lock.withLock { failures } }
    }

    @Test(arguments: StateBackend.allCases)
    func codesExpiredForADayGoWhenANewOneIsCreated(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try store.createLoginCode(hash: "old", next: "/", expiresAt: Self.codeExpiry(F.t0), at: F.t0)
        try store.createLoginCode(hash: "recent", next: "/", expiresAt: Self.codeExpiry(F.at(600)), at: F.at(600))
        try store.createLoginCode(hash: "new", next: "/", expiresAt: Self.codeExpiry(F.at(1500)), at: F.at(1500))
        let kept = try ["old", "recent", "new"].filter {
            try RawState.count(store, "SELECT COUNT(*) FROM console_login_code WHERE code_hash = ?", [$0]) == 1
        }
        #expect(kept == ["recent", "new"], "a code expired for more than a day goes, one expired for less stays")
    }

    // MARK: - Sessions

    @Test(arguments: StateBackend.allCases)
    func sessionsExpire(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try store.createConsoleSession(hash: "s1", expiresAt: Self.sessionExpiry(F.t0), at: F.t0)
        let expected = ConsoleSession(createdAt: F.t0, expiresAt: Self.sessionExpiry(F.t0))
        #expect(try store.consoleSession(hash: "s1", now: F.at(1)) == expected)
        #expect(try store.consoleSession(hash: "s1", now: Self.sessionExpiry(F.t0).addingTimeInterval(-1)) == expected)
        #expect(try store.consoleSession(hash: "s1", now: Self.sessionExpiry(F.t0)) == nil)
        #expect(try store.consoleSession(hash: "unknown", now: F.at(1)) == nil)
    }

    @Test(arguments: StateBackend.allCases)
    func anEndedSessionNoLongerCountsAndOthersDo(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try store.createConsoleSession(hash: "s1", expiresAt: Self.sessionExpiry(F.t0), at: F.t0)
        try store.createConsoleSession(hash: "s2", expiresAt: Self.sessionExpiry(F.t0), at: F.t0)
        try store.endConsoleSession(hash: "s1", at: F.at(5))
        #expect(try store.consoleSession(hash: "s1", now: F.at(6)) == nil)
        #expect(try store.consoleSession(hash: "s2", now: F.at(6)) != nil)
        try store.endConsoleSession(hash: "s1", at: F.at(9))
        #expect(try RawState.date(store, "SELECT ended_at FROM console_session WHERE token_hash = ?", ["s1"]) == F.at(5),
                "ending it again keeps when it ended")
        try store.endConsoleSession(hash: "unknown", at: F.at(9))
    }

    @Test(arguments: StateBackend.allCases)
    func sessionsExpiredOrEndedForADayGoWhenANewOneIsCreated(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try store.createConsoleSession(hash: "expired", expiresAt: F.at(60), at: F.t0)
        try store.createConsoleSession(hash: "ended", expiresAt: Self.sessionExpiry(F.at(1000)), at: F.at(1000))
        try store.endConsoleSession(hash: "ended", at: F.at(1001))
        try store.createConsoleSession(hash: "live", expiresAt: Self.sessionExpiry(F.at(1000)), at: F.at(1000))
        try store.createConsoleSession(hash: "new", expiresAt: Self.sessionExpiry(F.at(2500)), at: F.at(2500))
        let hashes = try ["expired", "ended", "live", "new"].filter {
            try RawState.count(store, "SELECT COUNT(*) FROM console_session WHERE token_hash = ?", [$0]) == 1
        }
        #expect(hashes == ["live", "new"])
        #expect(try store.consoleSession(hash: "live", now: F.at(1500)) != nil)
    }

    // MARK: - Orders by marketplace, in pages

    @Test(arguments: StateBackend.allCases)
    func filtersByMarketplace(_ backend: StateBackend) throws {
        let workspace = try OrderListTests.populated(backend)
        let store = workspace.store
        #expect(try OrderListTests.ids(store) { $0.marketplaces = ["amazon"] } == ["FR-2", "402-300"])
        #expect(try OrderListTests.ids(store) { $0.marketplaces = ["mirakl"] } == ["402-200", "FR_1%", "402-100"])
        #expect(try OrderListTests.ids(store) { $0.marketplaces = ["amazon", "mirakl"] }.count == 5)
        #expect(try OrderListTests.ids(store) { $0.marketplaces = ["elsewhere"] } == [])
        var filter = OrderFilter()
        filter.marketplaces = ["amazon"]
        filter.hasErrors = true
        let result = try store.orders(filter)
        #expect(result.orders.map(\.marketplaceID) == ["FR-2"])
        #expect(result.total == 1)
    }

    @Test(arguments: StateBackend.allCases)
    func pagesByOffsetKeepingTheTotal(_ backend: StateBackend) throws {
        let workspace = try OrderListTests.populated(backend)
        let store = workspace.store
        func page(_ offset: Int, limit: Int?, _ configure: (inout OrderFilter) -> Void = { _ in }) throws -> Page {
            var filter = OrderFilter()
            filter.offset = offset
            filter.limit = limit
            configure(&filter)
            let result = try store.orders(filter)
            return Page(ids: result.orders.map(\.marketplaceID), total: result.total)
        }
        #expect(try page(0, limit: 2) == Page(ids: ["402-200", "FR_1%"], total: 5))
        #expect(try page(2, limit: 2) == Page(ids: ["402-100", "FR-2"], total: 5))
        #expect(try page(4, limit: 2) == Page(ids: ["402-300"], total: 5))
        #expect(try page(5, limit: 2) == Page(ids: [], total: 5))
        #expect(try page(3, limit: nil) == Page(ids: ["FR-2", "402-300"], total: 5), "an offset without a limit")
        let byErrors = try page(1, limit: 2) { $0.sort = .errors }
        #expect(byErrors == Page(ids: ["402-100", "402-200"], total: 5))
        let mirakl = try page(1, limit: 1) { $0.marketplaces = ["mirakl"] }
        #expect(mirakl == Page(ids: ["FR_1%"], total: 3))
    }

    /// One page of the order list: its marketplace ids and how many orders match in all.
    struct Page: Equatable {
        var ids: [String]
        var total: Int
    }

    @Test(arguments: StateBackend.allCases)
    func pagesOfOrdersThatTieNeitherRepeatNorSkipOne(_ backend: StateBackend) throws {
        let workspace = try OrderListTests.populated(backend)
        let store = workspace.store
        // The same marketplace id and purchase date in a second channel.
        try F.upsert(store, [F.order("402-100", purchasedDaysAgo: 3)], channel: "outlet", marketplace: "amazon")
        let all = try store.orders(OrderFilter()).orders.map(\.id)
        #expect(all.count == 6)
        for sort in OrderFilter.Sort.allCases {
            var paged: [String] = []
            for offset in 0..<6 {
                var filter = OrderFilter()
                filter.sort = sort
                filter.limit = 1
                filter.offset = offset
                paged += try store.orders(filter).orders.map(\.id)
            }
            var whole = OrderFilter()
            whole.sort = sort
            let unpaged = try store.orders(whole).orders.map(\.id)
            #expect(paged == unpaged, "sort \(sort)")
            #expect(Set(paged) == Set(all), "sort \(sort)")
        }
    }

    // MARK: - The last export of a product

    /// Records a successful export of `products` to `channel` at `minutes` after t0.
    static func export(_ store: any StateStore, _ channel: String, _ products: [String], at minutes: Int) throws {
        let record = ProductExportRecord(channel: channel, runID: nil, mode: "delta", at: F.at(minutes),
                                         sent: products.count, file: "feed-\(minutes).csv", products: products)
        let entry = DeltaSnapshot.Entry(rawHash: 1, keyHash: 2, outputHash: 3)
        try store.recordProductExport(record, snapshot: DeltaSnapshot(specDigest: "d1", entries: [entry]))
    }

    @Test(arguments: StateBackend.allCases)
    func theLastExportOfAProductIsTheNewestNamingItExactly(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try Self.export(store, "feed", ["SKU-1", "SKU-10", "A%B"], at: 1)
        try Self.export(store, "feed", ["SKU-2"], at: 2)
        try Self.export(store, "feed", ["SKU-3", "SKU-1"], at: 3)
        try Self.export(store, "feed", ["SKU-100", "XSKU-1", "SKU-1 "], at: 4)
        try Self.export(store, "other", ["SKU-1", "SKU-2"], at: 5)

        let last = try #require(try store.lastProductExport(channel: "feed", product: "SKU-1"))
        #expect(last.at == F.at(3))
        #expect(last.file == "feed-3.csv")
        #expect(last.products == ["SKU-3", "SKU-1"])
        #expect(try store.lastProductExport(channel: "feed", product: "SKU-10")?.at == F.at(1))
        #expect(try store.lastProductExport(channel: "feed", product: "SKU-2")?.at == F.at(2))
        #expect(try store.lastProductExport(channel: "other", product: "SKU-2")?.at == F.at(5))
        #expect(try store.lastProductExport(channel: "feed", product: "A%B")?.at == F.at(1))
        for part in ["SKU", "SKU-", "KU-1", "1", "SKU-1\nSKU-10", "SKU_1", "%", "A%", ""] {
            #expect(try store.lastProductExport(channel: "feed", product: part) == nil, "\(part) is no product")
        }
        #expect(try store.lastProductExport(channel: "feed", product: "SKU-4") == nil)
        #expect(try store.lastProductExport(channel: "nowhere", product: "SKU-1") == nil)
    }
}
