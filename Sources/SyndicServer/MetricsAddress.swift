/// Where a metrics endpoint listens, written `HOST:PORT`: `127.0.0.1:9464`,
/// `metrics.internal:9464`, an IPv6 address in brackets (`[::1]:9464`), or `:9464` for every
/// IPv4 interface (`0.0.0.0`; `[::]:9464` for every IPv6 one). Port 0 takes any free port.
public struct MetricsAddress: Hashable, Sendable, CustomStringConvertible {
    /// The host name or IP address to listen on, without brackets.
    public var host: String
    /// The port, 0 to 65535 (0: any free port).
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Reads `HOST:PORT`; the error names the column at fault and what is expected there.
    public init(parsing text: String) throws(MetricsAddressError) {
        let characters = Array(text)
        func fail(_ index: Int, _ problem: String) -> MetricsAddressError {
            MetricsAddressError(text: text, column: index + 1, problem: problem)
        }
        guard !characters.isEmpty else { throw fail(0, "the address is empty") }
        let portStart: Int
        if characters[0] == "[" {
            guard let close = characters.firstIndex(of: "]") else {
                throw fail(0, "the [ that opens an IPv6 address is never closed by ]")
            }
            guard close > 1 else { throw fail(1, "the brackets hold no IPv6 address") }
            let address = characters[1..<close]
            if let bad = address.firstIndex(where: { !($0.isHexDigit || $0 == ":" || $0 == ".") }) {
                throw fail(bad, "\"\(characters[bad])\" cannot be part of an IPv6 address")
            }
            guard address.contains(Character(":")) else {
                throw fail(1, "\"\(String(address))\" is not an IPv6 address; brackets are for IPv6 addresses only")
            }
            guard close + 1 < characters.count, characters[close + 1] == ":" else {
                throw fail(close + 1, "expected :PORT after the ]")
            }
            host = String(address)
            portStart = close + 2
        } else {
            if let scheme = characters.indices.first(where: { characters[$0...].starts(with: "://") }) {
                throw fail(scheme, "a URL is not an address: write HOST:PORT, without a scheme")
            }
            guard let colon = characters.lastIndex(of: ":") else {
                throw fail(characters.count, "no port: expected HOST:PORT")
            }
            if let first = characters.firstIndex(of: ":"), first != colon {
                throw fail(0, "an IPv6 address goes in brackets, such as [::1]:9464")
            }
            let name = characters[..<colon]
            if let bad = name.firstIndex(where: { !(($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == ".") }) {
                throw fail(bad, "\"\(characters[bad])\" cannot be part of a host name")
            }
            host = name.isEmpty ? "0.0.0.0" : String(name)
            portStart = colon + 1
        }
        let digits = characters[portStart...]
        guard !digits.isEmpty else { throw fail(portStart, "no port after the colon") }
        if let bad = digits.firstIndex(where: { !($0.isASCII && $0.isNumber) }) {
            throw fail(bad, "the port must be a number from 0 to 65535")
        }
        guard let port = Int(String(digits)), port <= 65535 else {
            throw fail(portStart, "the port \(String(digits)) is above 65535")
        }
        self.port = port
    }

    /// `HOST:PORT`, an IPv6 address in brackets.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// A `HOST:PORT` that cannot be read: the text, the column at fault (from 1) and what is
/// wrong there.
public struct MetricsAddressError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The address as written.
    public var text: String
    /// The position of the first character at fault, counted from 1 (one past the end when
    /// something is missing at the end).
    public var column: Int
    /// What is wrong, and what is expected.
    public var problem: String

    public init(text: String, column: Int, problem: String) {
        self.text = text
        self.column = column
        self.problem = problem
    }

    public var description: String {
        "\"\(text)\", column \(column): \(problem) (expected HOST:PORT, such as 127.0.0.1:9464, [::1]:9464 or :9464)"
    }
}
