import Testing
@testable import SyndicCore

/// `items_count`, which Akeneo adds to a list page asked `with_count=true`.
struct AkeneoPageCountTests {
    /// The page's `itemsCount` and item count, or the error's message.
    static func count(_ text: String) -> (itemsCount: Int?, items: Int)? {
        ExportFixtures.withBytes(text) { buffer in
            do throws(ProductScanError) {
                let page = try AkeneoPage(buffer)
                return (page.itemsCount, page.items.count)
            } catch {
                return nil
            }
        }
    }

    @Test func theCountOfTheWholeListIsRead() throws {
        let page = try #require(Self.count(#"""
            {"_links": {"next": {"href": "http://pim/api/rest/v1/products-uuid?search_after=x"}},
             "items_count": 1234,
             "_embedded": {"items": [{"uuid": "a"}, {"uuid": "b"}]}}
            """#))
        #expect(page.itemsCount == 1234)
        #expect(page.items == 2)
    }

    @Test func aPageAskedWithoutCountHasNone() throws {
        let page = try #require(Self.count(#"{"_links": {}, "_embedded": {"items": [{"uuid": "a"}]}}"#))
        #expect(page.itemsCount == nil)
        #expect(page.items == 1)
    }

    @Test func aCountAfterTheItemsIsReadToo() throws {
        let page = try #require(Self.count(#"{"_embedded": {"items": []}, "items_count": 0}"#))
        #expect(page.itemsCount == 0)
        #expect(page.items == 0)
    }
}
