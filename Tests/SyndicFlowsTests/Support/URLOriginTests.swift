import Testing
@testable import SyndicFlows

/// Origins (scheme, host, port) of the links an API hands back, compared with the URL
/// configured for it.
struct URLOriginTests {
    @Test(arguments: [
        ("https://pim.example.com/api/rest/v1/products?page=2", "https://pim.example.com:443"),
        ("HTTPS://PIM.Example.com:8443/x", "https://pim.example.com:8443"),
        ("http://127.0.0.1:5000/api?x=1#top", "http://127.0.0.1:5000"),
        ("http://user:secret@pim.example.com/api", "http://pim.example.com:80"),
        ("http://[::1]:8080/api", "http://[::1]:8080"),
    ])
    func anOriginIsSchemeHostAndPort(_ url: String, _ expected: String) throws {
        #expect(try #require(URLOrigin(url)).description == expected)
    }

    @Test(arguments: ["/api/rest/v1/products?page=2", "pim.example.com/api", "", "not a url", "ftp://pim.example.com/x"])
    func aURLWithoutAKnownOriginHasNone(_ url: String) {
        #expect(URLOrigin(url) == nil)
    }

    @Test(arguments: [
        ("https://pim.example.com/api/rest/v1/products?page=2", "https://pim.example.com"),
        ("https://pim.example.com:443/api", "https://PIM.example.com/"),
        ("http://127.0.0.1:5000/api/rest/v1/attributes?page=2", "http://127.0.0.1:5000"),
        ("https://evil.example@pim.example.com/api", "https://pim.example.com"),
    ])
    func theSameOrigin(_ url: String, _ reference: String) {
        #expect(URLOrigin.same(url, as: reference))
    }

    @Test(arguments: [
        ("http://pim.example.com/api", "https://pim.example.com"),
        ("https://pim.example.com:8443/api", "https://pim.example.com"),
        ("http://127.0.0.1:5001/api", "http://127.0.0.1:5000"),
        ("https://evil.example/api", "https://pim.example.com"),
        ("https://pim.example.com.evil.example/api", "https://pim.example.com"),
        ("https://pim.example.com@evil.example/api", "https://pim.example.com"),
        ("/api/rest/v1/products?page=2", "https://pim.example.com"),
        ("file:///etc/passwd", "https://pim.example.com"),
        ("https://pim.example.com/api", "not a url"),
    ])
    func anotherOrigin(_ url: String, _ reference: String) {
        #expect(!URLOrigin.same(url, as: reference))
    }

    /// The description never carries user information, path or query.
    @Test func theDescriptionKeepsNoCredentials() throws {
        let origin = try #require(URLOrigin("https://api-user:pa55word@pim.example.com/api?token=t0k"))
        #expect(origin.description == "https://pim.example.com:443")
    }
}
