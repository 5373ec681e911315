import Foundation
import SyndicCore
import SyndicTestSupport
import Testing
@testable import SyndicFlows

/// An export from Akeneo (akeneo_sim.py) counts its progress in products, of the
/// `items_count` the first page announces; only the first page asks for the count.
struct AkeneoSourceProgressTests {
    @Test func theFirstPagesItemsCountIsTheTotal() async throws {
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

        let pages = try server.control.requests().filter { $0.method == "GET" && $0.path == "/api/rest/v1/products-uuid" }
        try #require(pages.count > 1, "\(pages)")
        #expect(pages[0].params["with_count"] == "true")
        // The next links repeat the first page's parameters: the count is dropped from them.
        #expect(pages.dropFirst().allSatisfy { $0.params["with_count"] == nil }, "\(pages)")
        #expect(pages.dropFirst().allSatisfy { $0.params["search_after"] != nil && $0.params["limit"] == "100" })
    }

    @Test func theCountIsDroppedFromANextLinkAndNothingElse() {
        #expect(AkeneoSource.withoutCount("http://pim/api/rest/v1/products-uuid?limit=100&with_count=true&search_after=abc")
                == "http://pim/api/rest/v1/products-uuid?limit=100&search_after=abc")
        #expect(AkeneoSource.withoutCount("http://pim/p?with_count=true") == "http://pim/p?")
        #expect(AkeneoSource.withoutCount("http://pim/p?with_count=false&a=1") == "http://pim/p?with_count=false&a=1")
        #expect(AkeneoSource.withoutCount("http://pim/p") == "http://pim/p")
    }
}
