import Foundation
import SyndicCore
import SyndicTestSupport
import Testing
@testable import SyndicFlows

/// An export from Akeneo (akeneo_sim.py) counts its progress in products, of the count a
/// request made before the first page announces (`pagination_type=page&limit=1&with_count=true`:
/// Akeneo gives no count under search_after); the pages never ask for it.
struct AkeneoSourceProgressTests {
    @Test func theCountRequestGivesTheTotal() async throws {
        let (workspace, server) = try AkeneoSourceTests.workspace()
        defer { server.kill() }
        let reports = ProgressReports()
        let run = try await workspace.run("from_pim") { _, progress in reports.append(progress) }
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        // Akeneo applies the filter: what it selects is what the export reads.
        let read = try #require(run.counts["read"])
        #expect(read > 200, "the catalog should need several pages")

        let seen = reports.values
        try #require(!seen.isEmpty)
        #expect(seen.allSatisfy { $0.unit == .items && $0.total == read && $0.noun == "products" }, "\(seen)")
        #expect(seen.map(\.done) == seen.map(\.done).sorted())
        #expect(seen.last?.done == read)
        #expect(seen.last?.items == read)

        let calls = try server.control.requests().filter { $0.method == "GET" && $0.path == "/api/rest/v1/products-uuid" }
        try #require(calls.count > 2, "\(calls)")
        // First the count, with the same search, scope and locales as the pages.
        let count = calls[0]
        #expect(count.params["pagination_type"] == "page" && count.params["limit"] == "1")
        #expect(count.params["with_count"] == "true")
        let pages = calls.dropFirst()
        #expect(count.params["search"] == pages.first?.params["search"] && count.params["scope"] == "ecommerce")
        #expect(pages.allSatisfy { $0.params["with_count"] == nil }, "\(pages)")
        #expect(pages.allSatisfy { $0.params["pagination_type"] == "search_after" && $0.params["limit"] == "100" })
        #expect(pages.dropFirst().allSatisfy { $0.params["search_after"] != nil })
        #expect(pages.count == (read + 99) / 100)
    }

    @Test func theCountIsDroppedFromANextLinkAndNothingElse() {
        #expect(AkeneoSource.withoutCount("http://pim/api/rest/v1/products-uuid?limit=100&with_count=true&search_after=abc")
                == "http://pim/api/rest/v1/products-uuid?limit=100&search_after=abc")
        #expect(AkeneoSource.withoutCount("http://pim/p?with_count=true") == "http://pim/p?")
        #expect(AkeneoSource.withoutCount("http://pim/p?with_count=false&a=1") == "http://pim/p?with_count=false&a=1")
        #expect(AkeneoSource.withoutCount("http://pim/p") == "http://pim/p")
    }
}
