import Foundation
import SyndicCore
import Testing
@testable import SyndicFlows

/// What an export asks Akeneo for: conditions ANDed per property, the list's first page and the
/// count request.
@Suite struct AkeneoQueryTests {
    static let enabled = Value.object(["operator": .string("="), "value": .bool(true)])

    @Test func aConditionIsAddedToThoseOnItsProperty() throws {
        let query = AkeneoQuery(search: .object(["enabled": .list([Self.enabled])]), scope: "ecommerce", locales: ["fr_FR"])
        let after = Value.object(["operator": .string(">"), "value": .string("2024-03-01 09:50:00")])
        let before = Value.object(["operator": .string("<"), "value": .string("2024-04-01 00:00:00")])
        let both = query.adding("updated", after).adding("updated", before)
        #expect(both.search["updated"] == .list([after, before]))
        #expect(both.search["enabled"] == .list([Self.enabled]))
        #expect(both.scope == "ecommerce" && both.locales == ["fr_FR"])
        #expect(query.search["updated"] == nil, "the query it was made from is unchanged")
    }

    /// The parameters of a URL, decoded.
    static func parameters(_ url: String) -> [String: String] {
        let query = url.split(separator: "?", maxSplits: 1).last.map(String.init) ?? ""
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            parameters[parts[0]] = parts.count > 1 ? parts[1].removingPercentEncoding : ""
        }
        return parameters
    }

    @Test func theListAndTheCountAskTheSameProducts() throws {
        let query = AkeneoQuery(search: .object(["enabled": .list([Self.enabled])]), scope: "ecommerce",
                                locales: ["fr_FR", "en_GB"])
        let list = query.listURL(baseURL: "http://pim", resource: .uuid)
        #expect(list.hasPrefix("http://pim/api/rest/v1/products-uuid?"))
        let listed = Self.parameters(list)
        #expect(listed["pagination_type"] == "search_after" && listed["limit"] == "100")
        #expect(listed["with_count"] == nil, "Akeneo gives no count under search_after")
        #expect(listed["scope"] == "ecommerce" && listed["locales"] == "fr_FR,en_GB")
        #expect(try CanonicalJSON.parse(try #require(listed["search"])) == query.search)

        let count = query.countURL(baseURL: "http://pim", resource: .legacy)
        #expect(count.hasPrefix("http://pim/api/rest/v1/products?"))
        let counted = Self.parameters(count)
        #expect(counted["pagination_type"] == "page" && counted["limit"] == "1" && counted["with_count"] == "true")
        #expect(counted["search"] == listed["search"] && counted["scope"] == "ecommerce")
    }

    @Test func anEmptySearchIsNotSent() {
        let url = AkeneoQuery().listURL(baseURL: "http://pim", resource: .uuid)
        #expect(url == "http://pim/api/rest/v1/products-uuid?pagination_type=search_after&limit=100")
    }
}
