import Testing
@testable import SyndicCore

/// Connection settings beyond the type: `maxConcurrentRequests`, an integer from 1 to 4, on
/// akeneo connections only, read into the typed spec.
@Suite struct ConnectionSpecTests {
    static let path = "channels/connections2.yaml"

    static func at(_ line: Int, _ column: Int, _ rest: String) -> String { "\(path):\(line):\(column): \(rest)" }

    /// An akeneo connection; `extra` continues its spec from line 11.
    static func akeneo(_ extra: String) -> String {
        """
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: pim_api}
        spec:
          type: akeneo
          url: https://pim.example
          clientId: {env: FTP_USER}
          secret: {env: FTP_USER}
          username: {env: FTP_USER}
          password: {env: FTP_PASSWORD}

        """ + extra
    }

    @Test(arguments: [1, 2, 4])
    func anAkeneoConnectionTakesOneToFourRequests(_ requests: Int) throws {
        #expect(TestConfig.render(Self.akeneo("  maxConcurrentRequests: \(requests)\n"), path: Self.path) == [])
        let spec = try ValueDecoding.decode(ConnectionSpec.self,
                                            fromJSON: #"{"type": "akeneo", "maxConcurrentRequests": \#(requests)}"#)
        #expect(spec.maxConcurrentRequests == requests)
    }

    @Test func withoutTheSettingTheSpecHasNone() throws {
        #expect(TestConfig.render(Self.akeneo(""), path: Self.path) == [])
        #expect(try ValueDecoding.decode(ConnectionSpec.self, fromJSON: #"{"type": "akeneo"}"#).maxConcurrentRequests == nil)
    }

    @Test func outOfRangeIsAnErrorAtTheValue() {
        #expect(TestConfig.render(Self.akeneo("  maxConcurrentRequests: 5\n"), path: Self.path)
                == [Self.at(11, 26, "error: maxConcurrentRequests: 5 is above the maximum 4")])
        #expect(TestConfig.render(Self.akeneo("  maxConcurrentRequests: 0\n"), path: Self.path)
                == [Self.at(11, 26, "error: maxConcurrentRequests: 0 is below the minimum 1")])
        #expect(TestConfig.render(Self.akeneo("  maxConcurrentRequests: two\n"), path: Self.path).count == 1)
    }

    @Test func onlyAkeneoConnectionsTakeIt() {
        let local = """
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: outbox2}
            spec: {type: local, path: out, maxConcurrentRequests: 2}
            """
        #expect(TestConfig.render(local, path: Self.path)
                == [Self.at(4, 55, #"error: "maxConcurrentRequests" does not apply to a local connection (local takes path)"#)])
    }

    @Test func theSchemaAllowsOneToFour() {
        guard case .integer(let min, let max, _)? = ResourceSchemas.connection.field("maxConcurrentRequests")?.node else {
            Issue.record("the connection schema has no integer maxConcurrentRequests")
            return
        }
        #expect(min == 1 && max == 4)
        #expect(ResourceSchemas.connectionKeys(of: .akeneo).allowed.contains("maxConcurrentRequests"))
        #expect(!ResourceSchemas.connectionKeys(of: .akeneo).required.contains("maxConcurrentRequests"))
        #expect(ConnectionType.allCases.filter { ResourceSchemas.connectionKeys(of: $0).allowed.contains("maxConcurrentRequests") }
                == [.akeneo])
    }
}
