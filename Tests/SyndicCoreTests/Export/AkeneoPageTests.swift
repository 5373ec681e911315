import Testing
@testable import SyndicCore

struct AkeneoPageTests {
    /// The page read from `text`, with each item's text, or the error.
    static func read(_ text: String) -> Result<(items: [String], next: String?), ProductScanError> {
        ExportFixtures.withBytes(text) { buffer in
            do throws(ProductScanError) {
                let page = try AkeneoPage(buffer)
                let items = page.items.map { String(decoding: buffer[$0], as: UTF8.self) }
                return .success((items, page.next))
            } catch {
                return .failure(error)
            }
        }
    }

    static let first = #"""
        {"_links": {"self": {"href": "http://pim/api/rest/v1/products?page=1"},
                    "first": {"href": "http://pim/api/rest/v1/products?page=1"},
                    "next": {"href": "http:\/\/pim\/api\/rest\/v1\/products?page=2&limit=2"}},
         "current_page": 1,
         "_embedded": {"items": [
           {"identifier": "A", "values": {"name": [{"locale": "en_US", "scope": null, "data": "]} \"tricky\" {["}]}},
           {"identifier":"B","_links":{"self":{"href":"x"}}}
         ]}}
        """#

    @Test func itemsAreTheExactTextsAndNextIsRead() throws {
        let page = try Self.read(Self.first).get()
        #expect(page.items == [
            #"{"identifier": "A", "values": {"name": [{"locale": "en_US", "scope": null, "data": "]} \"tricky\" {["}]}}"#,
            #"{"identifier":"B","_links":{"self":{"href":"x"}}}"#,
        ])
        #expect(page.next == "http://pim/api/rest/v1/products?page=2&limit=2")
    }

    @Test func itemsMayComeBeforeTheLinks() throws {
        let page = try Self.read(#"{"_embedded":{"items":[{"identifier":"A"}]},"_links":{"next":{"href":"n"}}}"#).get()
        #expect(page.items == [#"{"identifier":"A"}"#])
        #expect(page.next == "n")
    }

    @Test(arguments: [
        #"{"_links": {"self": {"href": "s"}}, "_embedded": {"items": [{"identifier": "Z"}]}}"#,
        #"{"_links": {"next": null}, "_embedded": {"items": [{"identifier": "Z"}]}}"#,
        #"{"_embedded": {"items": [{"identifier": "Z"}]}}"#,
    ])
    func lastPageHasNoNext(_ text: String) throws {
        let page = try Self.read(text).get()
        #expect(page.items == [#"{"identifier": "Z"}"#])
        #expect(page.next == nil)
    }

    @Test(arguments: [
        #"{"_links": {"self": {"href": "s"}}, "_embedded": {"items": []}}"#,
        #"{"_embedded": {"items": [ ]}}"#,
        #"{"_embedded": {}}"#,
        #"{"_links": {}}"#,
        "{}",
        " { } ",
    ])
    func emptyPagesHaveNoItems(_ text: String) throws {
        let page = try Self.read(text).get()
        #expect(page.items.isEmpty)
        #expect(page.next == nil)
    }

    @Test(arguments: [
        ("", 0, "empty page"),
        ("[]", 0, "expected {"),
        (#"{"_embedded": {"items": {}}}"#, 24, "expected ["),
        (#"{"_embedded": []}"#, 14, "expected {"),
        (#"{"_embedded": {"items": [{"identifier": "A"}"#, 44, "expected , or ]"),
        (#"{"_embedded": {"items": [{"identifier": "A""#, 43, "unterminated object"),
        (#"{"_links": {"next": {"href": "n"}"#, 33, "expected , or }"),
        (#"{"_links" {}}"#, 10, "expected :"),
    ])
    func malformedPagesFail(_ text: String, _ offset: Int, _ message: String) {
        #expect(throws: ProductScanError(offset: offset, message: message)) { try Self.read(text).get() }
    }
}
