import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport
import Testing

/// The requirements sync against mirakl_sim.py's PM11 (13 attributes, six required).
struct RequirementsSyncJobTests {
    static let apiKey = "mirakl-requirements-key-12ef"

    static func workspace(server: LocalServer, key: String, shopId: String? = nil) throws -> FlowWorkspace {
        let workspace = try FlowWorkspace()
        try workspace.secret("mirakl_key", key)
        try workspace.config("connections.yaml", FlatFileDestinationTests.connections)
        try workspace.config("mirakl_fr.yaml", """
            apiVersion: syndic/v1
            kind: Channel
            metadata: {name: mirakl_fr}
            spec:
              type: mirakl
              status: active
              endpoint: \(server.baseURL)
            \(shopId.map { "  shopId: \"\($0)\"" } ?? "")
              credentials: {apiKey: {file: ../secrets/mirakl_key}}
              source: {connection: catalog, locales: [fr_FR]}
              products:
                mapping:
                  shop_sku: {field: identifier}
                  title: name~fr_FR
                  price: price@EUR
                requirementsSync:
                  schedule: {at: "01:00", days: [sun]}

            """)
        try workspace.apply()
        return workspace
    }

    @Test func storesTheMarketplaceAttributes() async throws {
        let server = try LocalServer(simulator: "mirakl_sim.py", arguments: ["--api-key", Self.apiKey])
        defer { server.kill() }
        let workspace = try Self.workspace(server: server, key: Self.apiKey)
        let run = try await workspace.run("mirakl_fr", .requirementsSync)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts == ["attributes": 13, "required": 6, "unmapped_required": 3])
        #expect(run.report?.contains("required and not mapped: brand, category, image_1") == true, "\(run.report ?? "")")

        let stored = try #require(try workspace.store.requirements()["mirakl_fr"])
        #expect(stored.attributes.count == 13)
        #expect(Set(stored.attributes.filter(\.required).map(\.code))
                == ["shop_sku", "title", "price", "brand", "category", "image_1"])
        let title = try #require(stored.attributes.first { $0.code == "title" })
        #expect(title.label == "Titre")
        #expect(title.type == "TEXT")
        let requests = try server.control.requests()
        #expect(requests.map(\.path) == ["/api/products/attributes"])
    }

    /// A multi-shop key acts for the channel's shop: every call names it.
    @Test func callsNameTheChannelsShop() async throws {
        let server = try LocalServer(simulator: "mirakl_sim.py", arguments: ["--api-key", Self.apiKey, "--shop-id", "2042"])
        defer { server.kill() }
        let other = try Self.workspace(server: server, key: Self.apiKey, shopId: "9999")
        #expect(try await other.run("mirakl_fr", .requirementsSync).status == .failed)
        let workspace = try Self.workspace(server: server, key: Self.apiKey, shopId: "2042")
        let run = try await workspace.run("mirakl_fr", .requirementsSync)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        let calls = try server.control.requests().filter { $0.path == "/api/products/attributes" }
        #expect(calls.map { $0.params["shop_id"] } == ["9999", "2042"])
    }

    @Test func aWrongKeyFailsWithAnAuthenticationMessage() async throws {
        let server = try LocalServer(simulator: "mirakl_sim.py", arguments: ["--api-key", Self.apiKey])
        defer { server.kill() }
        let wrong = "wrong-requirements-key-66b1"
        let workspace = try Self.workspace(server: server, key: wrong)
        let run = try await workspace.run("mirakl_fr", .requirementsSync)
        #expect(run.status == .failed)
        let error = try #require(run.error)
        #expect(error.contains("refused the API key"), "\(error)")
        #expect(error.contains("401"), "\(error)")
        #expect(!(try workspace.everything(run)).contains(wrong))
        #expect(try workspace.store.requirements()["mirakl_fr"] == nil)
        #expect(try server.control.requests().map(\.status) == [401])
        // Refused credentials are marked invalid until the secret rotates, and
        // such a failure is not retried.
        let problem = try #require(try workspace.store.loadActualState().credentialProblems["channel.mirakl_fr"])
        #expect(problem.contains("refused the API key"))
        #expect(!problem.contains(wrong))
        #expect(run.attempt == 1)

        // Fixed at its source (secrets are read at run time): a successful run marks the key
        // valid, which clears the refusal.
        _ = try workspace.secret("mirakl_key", Self.apiKey)
        let fixed = try await workspace.run("mirakl_fr", .requirementsSync)
        #expect(fixed.status == .succeeded, "\(fixed.error ?? "")")
        #expect(try workspace.store.loadActualState().credentialProblems["channel.mirakl_fr"] == nil)
        let credentials = try #require(try workspace.store.channelStates(named: "mirakl_fr").first).credentials
        #expect(!credentials.isEmpty && credentials.allSatisfy { $0.status == "valid" })
    }
}
