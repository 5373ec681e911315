@testable import SyndicServer
import Testing

/// Form and query text: read as browsers send it, written percent-encoded.
@Suite struct ConsoleQueryTests {
    @Test func readsFormEncoding() {
        let query = ConsoleQuery(parsing: "q=FR+1%2B2&status=&status=PENDING&=x&flag&next=%2Forders%3Fa%3D1%26b%3D2")
        #expect(query.value("q") == "FR 1+2")
        #expect(query.value("status") == nil, "the first value is empty")
        #expect(query.pairs.map(\.name) == ["q", "status", "status", "flag", "next"])
        #expect(query.value("flag") == nil)
        #expect(query.value("next") == "/orders?a=1&b=2")
        #expect(ConsoleQuery(parsing: nil).pairs.isEmpty)
        #expect(ConsoleQuery(parsing: "bad=%zz").value("bad") == "%zz")
    }

    @Test func writesOnlyWhatHasAValue() {
        let query = ConsoleQuery([("status", "PENDING"), ("channel", ""), ("q", "a b&c/é")])
        #expect(query.text == "status=PENDING&q=a%20b%26c%2F%C3%A9")
        #expect(query.link("/orders") == "/orders?status=PENDING&q=a%20b%26c%2F%C3%A9")
        #expect(ConsoleQuery([("page", "")]).link("/orders") == "/orders")
        #expect(query.setting("status", nil).text == "q=a%20b%26c%2F%C3%A9")
        #expect(query.setting("page", "2").text.hasSuffix("&page=2"))
        #expect(ConsoleQuery(parsing: query.text).value("q") == "a b&c/é")
    }
}
