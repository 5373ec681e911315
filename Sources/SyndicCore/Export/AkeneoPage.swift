/// One page of an Akeneo list endpoint: `{"_links": {"next": {"href"}},
/// "_embedded": {"items": [...]}}`, read without building the items — each item's JSON text
/// is handed on as it is, like a line of a catalog file.
public struct AkeneoPage: Sendable {
    /// Byte ranges of the items in the page's text, in order.
    public var items: [Range<Int>] = []
    /// `_links.next.href`: the next page, absent on the last one.
    public var next: String?
    /// `items_count`: how many items the whole list holds, when the page was asked
    /// `with_count=true`.
    public var itemsCount: Int?

    /// Reads a page; throws when the text is not a page.
    public init(_ text: UnsafeRawBufferPointer) throws(ProductScanError) {
        guard let base = text.baseAddress, !text.isEmpty else { throw ProductScanError(offset: 0, message: "empty page") }
        var cursor = JSONCursor(base: base.assumingMemoryBound(to: UInt8.self), count: text.count)
        if try cursor.openObject() { try readMembers(&cursor) }
        cursor.skipWhitespace()
        guard cursor.index == cursor.count else { throw cursor.failure("trailing characters after the page") }
    }

    private mutating func readMembers(_ cursor: inout JSONCursor) throws(ProductScanError) {
        while true {
            let key = try cursor.stringRange()
            try cursor.colon()
            if cursor.equals(key, Array("_links".utf8)) {
                let links = try cursor.parseValue()
                next = links["next"]?["href"]?.stringValue
            } else if cursor.equals(key, Array("_embedded".utf8)) {
                try readEmbedded(&cursor)
            } else if cursor.equals(key, Array("items_count".utf8)) {
                itemsCount = try cursor.parseValue().intValue
            } else {
                try cursor.skipValue()
            }
            if try cursor.endOfMembers(closing: UInt8(ascii: "}")) { return }
        }
    }

    private mutating func readEmbedded(_ cursor: inout JSONCursor) throws(ProductScanError) {
        guard try cursor.openObject() else { return }
        while true {
            let key = try cursor.stringRange()
            try cursor.colon()
            if cursor.equals(key, Array("items".utf8)) {
                cursor.skipWhitespace()
                try cursor.expect(UInt8(ascii: "["))
                cursor.skipWhitespace()
                if cursor.peek == UInt8(ascii: "]") {
                    cursor.index += 1
                } else {
                    while true {
                        cursor.skipWhitespace()
                        let start = cursor.index
                        try cursor.skipValue()
                        items.append(start..<cursor.index)
                        if try cursor.endOfMembers(closing: UInt8(ascii: "]")) { break }
                    }
                }
            } else {
                try cursor.skipValue()
            }
            if try cursor.endOfMembers(closing: UInt8(ascii: "}")) { return }
        }
    }
}
