import Testing
import SyndicServer

/// `HOST:PORT` as `--metrics-address` takes it.
@Suite struct MetricsAddressTests {
    @Test(arguments: [
        ("127.0.0.1:9464", "127.0.0.1", 9464),
        ("localhost:9465", "localhost", 9465),
        ("metrics-1.internal:80", "metrics-1.internal", 80),
        ("[::1]:9464", "::1", 9464),
        ("[::]:9464", "::", 9464),
        ("[2001:db8::7]:65535", "2001:db8::7", 65535),
        (":9464", "0.0.0.0", 9464),
        ("127.0.0.1:0", "127.0.0.1", 0),
        ("127.0.0.1:009464", "127.0.0.1", 9464),
    ])
    func readsHostAndPort(text: String, host: String, port: Int) throws {
        let address = try MetricsAddress(parsing: text)
        #expect(address == MetricsAddress(host: host, port: port))
    }

    @Test func writesIPv6AddressesInBrackets() throws {
        #expect(try MetricsAddress(parsing: "[::1]:9464").description == "[::1]:9464")
        #expect(try MetricsAddress(parsing: ":9464").description == "0.0.0.0:9464")
        #expect(MetricsAddress(host: "127.0.0.1", port: 0).description == "127.0.0.1:0")
    }

    /// Each mistake is reported at its column, with what is wrong there.
    @Test(arguments: [
        ("", 1, "the address is empty"),
        ("9464", 5, "no port: expected HOST:PORT"),
        ("127.0.0.1", 10, "no port: expected HOST:PORT"),
        ("127.0.0.1:", 11, "no port after the colon"),
        ("127.0.0.1:http", 11, "the port must be a number from 0 to 65535"),
        ("127.0.0.1:94a4", 13, "the port must be a number from 0 to 65535"),
        ("127.0.0.1:-1", 11, "the port must be a number from 0 to 65535"),
        ("127.0.0.1:65536", 11, "the port 65536 is above 65535"),
        ("127.0.0.1:99999999999999999999999", 11, "the port 99999999999999999999999 is above 65535"),
        ("::1:9464", 1, "an IPv6 address goes in brackets, such as [::1]:9464"),
        ("http://127.0.0.1:9464", 5, "a URL is not an address: write HOST:PORT, without a scheme"),
        ("my host:9464", 3, "\" \" cannot be part of a host name"),
        ("host/x:9464", 5, "\"/\" cannot be part of a host name"),
        ("[::1:9464", 1, "the [ that opens an IPv6 address is never closed by ]"),
        ("[]:9464", 2, "the brackets hold no IPv6 address"),
        ("[::g]:9464", 4, "\"g\" cannot be part of an IPv6 address"),
        ("[127.0.0.1]:9464", 2, "\"127.0.0.1\" is not an IPv6 address; brackets are for IPv6 addresses only"),
        ("[::1]", 6, "expected :PORT after the ]"),
        ("[::1]9464", 6, "expected :PORT after the ]"),
        ("[::1]:", 7, "no port after the colon"),
    ])
    func refusesWithTheColumnAtFault(text: String, column: Int, problem: String) {
        #expect(throws: MetricsAddressError(text: text, column: column, problem: problem)) {
            try MetricsAddress(parsing: text)
        }
    }

    @Test func theMessageShowsTheTextTheColumnAndAnExample() {
        let error = MetricsAddressError(text: "127.0.0.1:x", column: 11, problem: "the port must be a number from 0 to 65535")
        #expect(error.description == """
            "127.0.0.1:x", column 11: the port must be a number from 0 to 65535 \
            (expected HOST:PORT, such as 127.0.0.1:9464, [::1]:9464 or :9464)
            """)
    }
}
