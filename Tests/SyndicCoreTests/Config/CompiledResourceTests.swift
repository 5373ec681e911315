import Testing
@testable import SyndicCore

struct CompiledResourceTests {
    static let yaml = """
        apiVersion: syndic/v1
        kind: Channel
        metadata:
          name: partner_feed
          labels: {team: emea}
        spec:
          type: flat-file
          credentials: {}
          source: {connection: pim}
          products:
            export:
              storage: {connection: outbox, folder: /feed}
        ---
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: partner_ftp}
        spec:
          type: sftp
          host: h.example
          username: {env: SFTP_USER}
          privateKey: {file: ../keys/id_ed25519}
          hostKey: "SHA256:auSvSZlrlym/ZXLt4N1vxWkIgyhL7W17k3uXIKq3JhQ"
        """

    @Test func cacheFactsRebuildTheResourceWithoutItsLocationMap() throws {
        let file = TestConfig.compile(Self.yaml, path: "channels/feed.yaml")
        #expect(file.diagnostics.isEmpty)
        for resource in file.resources {
            #expect(!resource.locations.isEmpty)
            let cached = try #require(CompiledResource.fromCache(
                kind: resource.kind, name: resource.name, type: resource.type, labelsJSON: resource.labelsJSON,
                specJSON: resource.specJSON, facts: resource.cacheFacts, file: resource.file))
            var expected = resource
            expected.locations = [:]
            expected.spec = nil
            #expect(cached == expected)
            #expect(try cached.specValue() == resource.specValue())
        }
        let connection = try #require(file.resources.last)
        #expect(connection.secrets.map(\.reference) == [.env("SFTP_USER"), .file("../keys/id_ed25519")])
    }

    @Test func unreadableCacheRowsAreRejected() {
        #expect(CompiledResource.fromCache(kind: .channel, name: "a", type: "mirakl", labelsJSON: "{}", specJSON: "{}",
                                           facts: "{broken", file: "f") == nil)
        #expect(CompiledResource.fromCache(kind: .channel, name: "a", type: "mirakl", labelsJSON: "{}", specJSON: "{}",
                                           facts: #"{"secrets":[["only","three","parts"]]}"#, file: "f") == nil)
        #expect(CompiledResource.fromCache(kind: .channel, name: "a", type: "mirakl", labelsJSON: "{}", specJSON: "{}",
                                           facts: #"{"references":[["Nope","x","p",[],null]]}"#, file: "f") == nil)
    }

    @Test(arguments: [
        ("channel.mirakl_fr", ResourceKind.channel, "mirakl_fr"),
        ("connection.partner_ftp", .connection, "partner_ftp"),
        ("channel.a.b", .channel, "a.b"),
    ])
    func parsesAddresses(_ address: String, _ kind: ResourceKind, _ name: String) throws {
        let (parsedKind, parsedName) = try #require(Address.parse(address))
        #expect(parsedKind == kind)
        #expect(parsedName == name)
        #expect(Address.of(kind, name) == address)
    }

    @Test(arguments: ["mirakl_fr", "webhook.x", "Channel.x", ""])
    func rejectsMalformedAddresses(_ address: String) {
        #expect(Address.parse(address) == nil)
    }

    @Test func connectionsSortBeforeChannels() {
        #expect(ResourceKind.connection < .channel)
        #expect([ResourceKind.channel, .connection].sorted() == [.connection, .channel])
    }
}
