import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport
import Testing

/// Products read from Akeneo (akeneo_sim.py) with search_after pagination, the filter pushed
/// down to `search`, retries on 429 and 5xx, and authentication failures that name no secret.
struct AkeneoSourceTests {
    static let password = "pim-password-5b7c"

    /// The same channel twice: from Akeneo (`from_pim`) and from the catalog file the
    /// simulator serves (`from_file`), each to its own folder.
    static let defaultFilter = "{enabled: true, families: [shoes, bags]}"

    static func channel(_ name: String, source: String, locales: String = "[fr_FR, en_GB]",
                        filter: String = AkeneoSourceTests.defaultFilter) -> String {
        """
        apiVersion: syndic/v1
        kind: Channel
        metadata: {name: \(name)}
        spec:
          type: flat-file
          status: active
          source: {connection: \(source), scope: ecommerce, locales: \(locales)}
          products:
            filter: \(filter)
            mapping:
              sku: {field: identifier}
              family: {field: family}
              categories: {field: categories}
              title: name~fr_FR
              title_en: name~en_GB
              description: description
              price: price@EUR
              weight: weight@unit
              brand: brand
            export:
              storage: {connection: outbox, folder: /\(name)}

        """
    }

    /// A workspace with a generated catalog served by a fresh simulator; `password` is what
    /// the connection's password file holds.
    static func workspace(password: String = AkeneoSourceTests.password, locales: String = "[fr_FR, en_GB]",
                          filter: String = AkeneoSourceTests.defaultFilter,
                          simulator extra: [String] = []) throws -> (FlowWorkspace, LocalServer) {
        let workspace = try FlowWorkspace()
        let catalog = workspace.path("catalog/products.jsonl")
        try FileManager.default.createDirectory(atPath: workspace.path("catalog"), withIntermediateDirectories: true)
        try CatalogGenerator.generate(count: 600, seed: 7, to: catalog)
        let server = try LocalServer(simulator: "akeneo_sim.py", arguments: [
            "--catalog", catalog, "--client-id", "client_7", "--secret", "client-secret-7",
            "--username", "user_\(workspace.id)", "--password", Self.password,
        ] + extra)
        let clientId = try workspace.secret("client_id", "client_7")
        let secret = try workspace.secret("client_secret", "client-secret-7")
        let username = try workspace.secret("username", "user_\(workspace.id)")
        let passwordFile = try workspace.secret("password", password)
        try workspace.config("connections.yaml", FlatFileDestinationTests.connections + """
            ---
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: pim}
            spec:
              type: akeneo
              url: \(server.baseURL)
              clientId: {file: \(clientId)}
              secret: {file: \(secret)}
              username: {file: \(username)}
              password: {file: \(passwordFile)}

            """)
        try workspace.config("channels.yaml", 
                                channel("from_pim", source: "pim", locales: locales, filter: filter) + "---\n"
                                    + channel("from_file", source: "catalog", locales: locales, filter: filter))
        try workspace.apply()
        return (workspace, server)
    }

    /// The header and the data rows (sorted: Akeneo orders by uuid, the file by line) of the
    /// one file a channel wrote.
    static func rows(_ workspace: FlowWorkspace, _ channel: String) throws -> (header: [String], rows: [[String]]) {
        let files = workspace.files(in: "out/\(channel)")
        try #require(files.count == 1, "\(channel): \(files)")
        let rows = csvRows(try workspace.text("out/\(channel)/\(files[0])"))
        return (rows.first ?? [], rows.dropFirst().sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func readsEveryPageWithSearchAfterAndMatchesTheCatalogFile() async throws {
        let (workspace, server) = try Self.workspace()
        defer { server.kill() }
        let fromFile = try await workspace.run("from_file")
        #expect(fromFile.status == .succeeded, "\(fromFile.error ?? "")")
        let fromPIM = try await workspace.run("from_pim")
        #expect(fromPIM.status == .succeeded, "\(fromPIM.error ?? "")")

        let expected = try Self.rows(workspace, "from_file")
        let got = try Self.rows(workspace, "from_pim")
        #expect(got.header == expected.header)
        #expect(got.rows.count == expected.rows.count)
        #expect(got.rows == expected.rows)
        let sent = try #require(fromFile.counts["sent"])
        #expect(sent > 200, "the catalog should need several pages")
        #expect(fromPIM.counts["sent"] == sent)
        // Filtered by Akeneo: what it sends passes the filter.
        #expect(fromPIM.counts["read"] == sent)
        #expect(fromPIM.counts["filtered_out"] == 0)
        #expect(fromFile.counts["read"] == 600)

        // A count request first (page pagination, one product), then the pages.
        let calls = try server.control.requests().filter { $0.method == "GET" && $0.path == "/api/rest/v1/products-uuid" }
        #expect(calls.first?.params["with_count"] == "true" && calls.first?.params["pagination_type"] == "page")
        let pages = calls.dropFirst()
        #expect(pages.count == (sent + 99) / 100, "\(pages)")
        #expect(pages.allSatisfy { $0.status == 200 })
        #expect(pages.allSatisfy { $0.params["pagination_type"] == "search_after" && $0.params["limit"] == "100" })
        #expect(pages.allSatisfy { $0.params["scope"] == "ecommerce" && $0.params["locales"] == "fr_FR,en_GB" })
        // The filter pushed down as Akeneo's `search`.
        let search = try CanonicalJSON.parse(try #require(pages.first?.params["search"]))
        #expect(search["enabled"] == .list([.object(["operator": .string("="), "value": .bool(true)])]))
        let family = try #require(search["family"]?.listValue?.first)
        #expect(family["operator"] == .string("IN"))
        #expect(Set(family["value"]?.listValue?.compactMap(\.stringValue) ?? []) == ["shoes", "bags"])
        #expect(search.objectValue?.keys.sorted() == ["enabled", "family"])
        #expect(pages.allSatisfy { $0.params["search"] == pages.first?.params["search"] })
        // The first page has no cursor; each next page follows the `next` link's cursor.
        #expect(pages.first?.params["search_after"] == nil)
        let cursors = pages.dropFirst().compactMap { $0.params["search_after"] }
        #expect(cursors.count == pages.count - 1)
        #expect(Set(cursors).count == cursors.count)
    }

    /// A PIM before version 7 has no products-uuid: the same products are read through
    /// /api/rest/v1/products with search_after, keyed by identifier.
    @Test func aPIMWithoutProductsUUIDIsReadThroughProducts() async throws {
        let (workspace, server) = try Self.workspace(simulator: ["--legacy"])
        defer { server.kill() }
        let fromFile = try await workspace.run("from_file")
        #expect(fromFile.status == .succeeded, "\(fromFile.error ?? "")")
        let fromPIM = try await workspace.run("from_pim")
        #expect(fromPIM.status == .succeeded, "\(fromPIM.error ?? "")")
        #expect(try Self.rows(workspace, "from_pim").rows == (try Self.rows(workspace, "from_file")).rows)

        let calls = try server.control.requests().filter { $0.method == "GET" && $0.path.hasPrefix("/api/rest/v1/products") }
        #expect(calls.first?.path == "/api/rest/v1/products-uuid")
        #expect(calls.first?.status == 404)
        // The count request moves to /products, and the pages follow it there.
        #expect(calls.dropFirst().first?.path == "/api/rest/v1/products")
        #expect(calls.dropFirst().first?.params["with_count"] == "true")
        let pages = calls.dropFirst(2)
        #expect(pages.allSatisfy { $0.path == "/api/rest/v1/products" && $0.status == 200 })
        #expect(pages.allSatisfy { $0.params["pagination_type"] == "search_after" })
        #expect(pages.count == ((fromPIM.counts["sent"] ?? 0) + 99) / 100)
        #expect(pages.first?.params["search"] != nil)
    }

    @Test func retries429And500AndSucceeds() async throws {
        let (workspace, server) = try Self.workspace()
        defer { server.kill() }
        let fromFile = try await workspace.run("from_file")
        try server.control.fail("/api/rest/v1/products-uuid", status: 429, count: 1, retryAfter: 1)
        try server.control.fail("/api/rest/v1/products-uuid", status: 500, count: 1)
        // The fourth request (the first page, after the count) loses its connection without an
        // answer.
        try server.control.post("die-after", .object(["path_prefix": .string("/api/rest/v1/products-uuid"), "count": .int(4)]))
        let run = try await workspace.run("from_pim")
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["sent"] == fromFile.counts["sent"])
        #expect(try Self.rows(workspace, "from_pim").rows == (try Self.rows(workspace, "from_file").rows))
        let statuses = try server.control.requests().filter { $0.path == "/api/rest/v1/products-uuid" }.map(\.status)
        #expect(Array(statuses.prefix(5)) == [429, 500, 200, nil, 200], "\(statuses)")
        #expect(statuses.dropFirst(4).allSatisfy { $0 == 200 })
    }

    @Test func aWrongPasswordFailsWithAnAuthenticationMessageWithoutThePassword() async throws {
        let wrong = "wrong-pim-password-e41f"
        let (workspace, server) = try Self.workspace(password: wrong)
        defer { server.kill() }
        let run = try await workspace.run("from_pim")
        #expect(run.status == .failed)
        let error = try #require(run.error)
        #expect(error.contains("refused the credentials"), "\(error)")
        #expect(error.contains(server.baseURL), "\(error)")
        let everything = try workspace.everything(run)
        #expect(!everything.contains(wrong))
        #expect(!everything.contains(Self.password))
        #expect(!everything.contains("client-secret-7"))
        #expect(try workspace.store.productExports(runID: run.id).isEmpty)
        #expect(workspace.files(in: "out/from_pim").isEmpty)
        // Only the token was asked for: no products requested without a token.
        let requests = try server.control.requests()
        #expect(requests.contains { $0.path == "/api/oauth/v1/token" })
        #expect(!requests.contains { $0.path.hasPrefix("/api/rest/") })
    }

    @Test func anExpiredTokenIsReplacedAndTheRunSucceeds() async throws {
        let (workspace, server) = try Self.workspace()
        defer { server.kill() }
        let first = try await workspace.run("from_pim")
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        // The token this process cached is now refused: one 401, a new token, the same pages.
        try server.control.post("expire-tokens")
        try server.control.reset()
        let second = try await workspace.run("from_pim")
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(second.counts["sent"] == first.counts["sent"])
        let requests = try server.control.requests()
        #expect(Array(requests.prefix(3).map(\.path)) == ["/api/rest/v1/products-uuid", "/api/oauth/v1/token",
                                                          "/api/rest/v1/products-uuid"], "\(requests)")
        #expect(Array(requests.prefix(3).map(\.status)) == [401, 200, 200], "\(requests)")
        #expect(requests.filter { $0.status == 401 }.count == 1)
    }

    /// With `locales: [fr_FR]`, Akeneo returns only the fr_FR completenesses; the completeness
    /// condition (any locale of the scope, as Akeneo's `>=` search) is Akeneo's alone.
    @Test func theFilterPushedDownSelectsWhatTheCatalogFileSelects() async throws {
        // One locale only: completeness counts on any locale of the scope all the same.
        let filter = "{enabled: true, categories: {notIn: [archived]}, completeness: {scope: ecommerce, min: 100}}"
        let (workspace, server) = try Self.workspace(locales: "[fr_FR]", filter: filter)
        defer { server.kill() }
        let fromFile = try await workspace.run("from_file")
        #expect(fromFile.status == .succeeded, "\(fromFile.error ?? "")")
        let fromPIM = try await workspace.run("from_pim")
        #expect(fromPIM.status == .succeeded, "\(fromPIM.error ?? "")")
        let pages = try server.control.requests().filter { $0.path == "/api/rest/v1/products-uuid" }
        // Completeness is left to Akeneo's search (items carry completenesses only for the
        // locales asked for), so none are requested.
        #expect(pages.first?.params["with_completenesses"] == nil)
        let search = try CanonicalJSON.parse(try #require(pages.first?.params["search"]))
        #expect(search["categories"] == .list([.object(["operator": .string("NOT IN"), "value": .list([.string("archived")])])]))
        #expect(search["completeness"] == .list([.object(["operator": .string(">="), "value": .int(100),
                                                          "scope": .string("ecommerce")])]))
        #expect(fromPIM.counts["sent"] == fromFile.counts["sent"],
                "from Akeneo: \(fromPIM.counts), from the file: \(fromFile.counts)")
        let pim = try Self.rows(workspace, "from_pim").rows, file = try Self.rows(workspace, "from_file").rows
        #expect(pim == file, "first difference: \(zip(pim, file).first { $0 != $1 }.map { "\($0) vs \($1)" } ?? "counts \(pim.count) vs \(file.count)")")
    }

    /// A next-page link on another origin (here another server on 127.0.0.1) is not followed:
    /// the run fails naming both origins, and the other server gets no request (no token).
    @Test func aNextLinkOnAnotherOriginFailsTheRunAndIsNotFollowed() async throws {
        let (workspace, server) = try Self.workspace()
        defer { server.kill() }
        let other = try LocalServer(simulator: "webhook_sink.py")
        defer { other.kill() }
        try server.control.post("next-link-host", .object(["host": .string("127.0.0.1:\(other.port)")]))
        let run = try await workspace.run("from_pim")
        #expect(run.status == .failed)
        let error = try #require(run.error)
        #expect(error.contains("next-page link on http://127.0.0.1:\(other.port)"), "\(error)")
        #expect(error.contains("its own origin http://127.0.0.1:\(server.port)"), "\(error)")
        #expect(try other.control.requests().isEmpty)
        // The first page only: no page after it was asked for, here or there.
        let pages = try server.control.requests().filter { $0.path == "/api/rest/v1/products-uuid" }
        #expect(!pages.isEmpty)
        #expect(pages.allSatisfy { $0.params["search_after"] == nil }, "\(pages)")
        let everything = try workspace.everything(run)
        #expect(!everything.contains(Self.password))
        #expect(!everything.contains("client-secret-7"))
        #expect(workspace.files(in: "out/from_pim").isEmpty)
        #expect(try workspace.store.productExports(runID: run.id).isEmpty)
    }

    @Test func anAkeneoThatKeepsFailingFailsTheRunAndWritesNothing() async throws {
        let (workspace, server) = try Self.workspace()
        defer { server.kill() }
        try server.control.fail("/api/rest/v1/products-uuid", status: 500, count: 50)
        let run = try await workspace.run("from_pim")
        #expect(run.status == .failed)
        #expect(run.error?.contains("HTTP 500") == true, "\(run.error ?? "")")
        #expect(try server.control.requests().filter { $0.path == "/api/rest/v1/products-uuid" }.count == 4)
        #expect(workspace.files(in: "out/from_pim").isEmpty)
        #expect(workspace.files(in: ".syndic/work/tmp").isEmpty)
        #expect(try workspace.store.productExports(runID: run.id).isEmpty)
    }
}
