import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport
import Testing

/// An akeneo-api channel writing to a second Akeneo (akeneo_sim.py): PATCH batches,
/// the products as the target receives them, the feedback file, refusals and failures.
struct AkeneoAPIDestinationTests {
    static let targetPassword = "target-password-91c0"

    /// The akeneo-api channel `to_pim` at `endpoint` with `mapping` (`target: source` lines).
    static func channel(endpoint: String, batchSize: Int, delta: Bool, mapping: [String]) -> String {
        """
        apiVersion: syndic/v1
        kind: Channel
        metadata: {name: to_pim}
        spec:
          type: akeneo-api
          status: active
          endpoint: \(endpoint)
          credentials:
            clientId: {file: ../secrets/target_client_id}
            secret: {file: ../secrets/target_secret}
            username: {file: ../secrets/target_username}
            password: {file: ../secrets/target_password}
          source: {connection: catalog, scope: ecommerce, locales: [fr_FR, en_GB]}
          products:
            mapping:
        \(mapping.map { "      " + $0 }.joined(separator: "\n"))
            export:
              batchSize: \(batchSize)
              delta: \(delta)

        """
    }

    /// The target simulator for `workspace`, serving `catalog` (its attributes are what it knows).
    static func target(_ workspace: FlowWorkspace, catalog: String, attributes: [String] = []) throws -> LocalServer {
        try LocalServer(simulator: "akeneo_sim.py", arguments: [
            "--catalog", catalog, "--client-id", "target_client", "--secret", "target-secret-3",
            "--username", "target_\(workspace.id)", "--password", Self.targetPassword,
        ] + (attributes.isEmpty ? [] : ["--attributes", attributes.joined(separator: ",")]))
    }

    /// Writes the target's credentials, the connections and the channel, and applies them.
    static func configure(_ workspace: FlowWorkspace, endpoint: String, batchSize: Int, delta: Bool,
                          mapping: [String]) throws {
        try workspace.secret("target_client_id", "target_client")
        try workspace.secret("target_secret", "target-secret-3")
        try workspace.secret("target_username", "target_\(workspace.id)")
        try workspace.secret("target_password", Self.targetPassword)
        try workspace.config("connections.yaml", FlatFileDestinationTests.connections)
        try workspace.config("to_pim.yaml", channel(endpoint: endpoint, batchSize: batchSize, delta: delta, mapping: mapping))
        try workspace.apply()
    }

    /// The feedback file of a run as rows, header first.
    static func feedback(_ workspace: FlowWorkspace, _ run: RunInfo) throws -> [[String]] {
        let data = try #require(try workspace.store.artifact(runID: run.id, name: "feedback.csv"))
        return csvRows(String(decoding: data, as: UTF8.self))
    }

    static let seedMapping = [
        "family: {field: family}", "enabled: {field: enabled}", "categories: {field: categories}",
        "name~fr_FR: name~fr_FR", "name~en_GB: name~en_GB", "description~fr_FR~ecommerce: description~fr_FR~ecommerce",
        "price@EUR: price@EUR", "price@USD: price@USD", "weight@unit: weight@unit", "brand: brand",
    ]

    @Test func patchesBatchesAndKeepsTheFeedbackFile() async throws {
        let workspace = try FlowWorkspace()
        let source = workspace.path("catalog/products.jsonl")
        let known = workspace.path("target/catalog.jsonl")
        for folder in ["catalog", "target"] {
            try FileManager.default.createDirectory(atPath: workspace.path(folder), withIntermediateDirectories: true)
        }
        try CatalogGenerator.generate(count: 120, seed: 5, to: source)
        // The target already has SKU-000001…3 (an update answers 204, a creation 201).
        try CatalogGenerator.generate(count: 3, seed: 99, to: known)
        let server = try Self.target(workspace, catalog: known)
        defer { server.kill() }
        try Self.configure(workspace, endpoint: server.baseURL, batchSize: 40, delta: false, mapping: Self.seedMapping)

        let run = try await workspace.run("to_pim")
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["read"] == 120)
        #expect(run.counts["sent"] == 120)
        #expect(run.counts["refused"] == nil)

        // Three PATCH requests of at most 40 products.
        let patches = try server.control.requests().filter { $0.method == "PATCH" }
        #expect(patches.count == 3, "\(patches)")
        #expect(patches.allSatisfy { $0.path == "/api/rest/v1/products" && $0.status == 200 })

        // Received in the target's value formats: localized and scoped values, merged price
        // collections, metrics, booleans, lists.
        let catalogLines = try workspace.text("catalog/products.jsonl").split(separator: "\n")
        let sourceProduct = try CanonicalJSON.parse(String(catalogLines[9]))
        let identifier = try #require(sourceProduct["identifier"]?.stringValue)
        let received = try server.control.get("received")
        let product = try #require(received[identifier], "\(identifier) not received")
        #expect(product["family"] == sourceProduct["family"])
        #expect(product["enabled"] == sourceProduct["enabled"])
        #expect(product["categories"] == sourceProduct["categories"])
        let values = try #require(product["values"])
        let sourceValues = try #require(sourceProduct["values"])
        func entry(_ code: String, _ locale: String?, _ scope: String?) -> Value? {
            sourceValues[code]?.listValue?.first { $0["locale"]?.stringValue == locale && $0["scope"]?.stringValue == scope }
        }
        #expect(values["name"]?.listValue?.count == 2)
        #expect(values["name"]?.listValue?.contains(try #require(entry("name", "fr_FR", nil))) == true)
        #expect(values["name"]?.listValue?.contains(try #require(entry("name", "en_GB", nil))) == true)
        #expect(values["description"]?.listValue == [try #require(entry("description", "fr_FR", "ecommerce"))])
        let prices = try #require(entry("price", nil, nil)?["data"]?.listValue)
        let expectedPrices = prices.filter { ["EUR", "USD"].contains($0["currency"]?.stringValue ?? "") }
        #expect(values["price"]?.listValue?.count == 1)
        #expect(Set(values["price"]?.listValue?.first?["data"]?.listValue ?? []) == Set(expectedPrices))
        #expect(values["price"]?.listValue?.first?["locale"] == .null)
        #expect(values["weight"]?.listValue?.first?["data"] == entry("weight", nil, nil)?["data"])
        if let brand = entry("brand", nil, nil) {
            #expect(values["brand"]?.listValue == [brand])
        } else {
            #expect(values["brand"] == nil)
        }
        #expect(received.objectValue?.count == 120)

        // One feedback line per product: line, identifier, status_code, message.
        let feedback = try Self.feedback(workspace, run)
        #expect(feedback.first == ["line", "identifier", "status_code", "message"])
        let lines = Array(feedback.dropFirst())
        #expect(lines.count == 120)
        #expect(lines.map { $0[0] } == (1...120).map(String.init))
        #expect(Set(lines.map { $0[1] }) == Set(received.objectValue?.keys.map { $0 } ?? []))
        for line in lines {
            let expected = ["SKU-000001", "SKU-000002", "SKU-000003"].contains(line[1]) ? "204" : "201"
            #expect(line[2] == expected, "\(line)")
        }
        #expect(try workspace.store.productExports(runID: run.id).first?.sent == 120)
    }

    @Test func aRefusedProductIsResentByTheNextDelta() async throws {
        var products = (1...150).map { TestProduct($0) }
        products[2].extra["legacy_code"] = [TestProduct.entry(.string("L-3"))]
        let workspace = try FlowWorkspace()
        try workspace.catalog("catalog/products.jsonl", products)
        // The target knows name, price, brand, supplier_ref — not legacy_code.
        try workspace.catalog("target/catalog.jsonl", [TestProduct(900)])
        var server = try Self.target(workspace, catalog: workspace.path("target/catalog.jsonl"))
        defer { server.kill() }
        let mapping = ["name~fr_FR: name~fr_FR", "price@EUR: price@EUR", "legacy_code: legacy_code"]
        try Self.configure(workspace, endpoint: server.baseURL, batchSize: 500, delta: true, mapping: mapping)

        let first = try await workspace.run("to_pim")
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        #expect(first.counts["sent"] == 149)
        #expect(first.counts["refused"] == 1)
        #expect(first.report?.contains("1 refused") == true, "\(first.report ?? "")")
        // batchSize 500 is capped at Akeneo's 100 lines.
        #expect(try server.control.requests().filter { $0.method == "PATCH" }.count == 2)
        let refusedLine = try #require(try Self.feedback(workspace, first).first { $0[1] == "SKU-0003" })
        #expect(refusedLine[0] == "3")
        #expect(refusedLine[2] == "422")
        #expect(refusedLine[3].contains("legacy_code"), "\(refusedLine)")
        #expect(try server.control.get("received")["SKU-0003"] == nil)

        // Nothing changed, but the refused product goes again (and is refused again).
        let second = try await workspace.run("to_pim")
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(second.counts["sent"] == 0)
        #expect(second.counts["refused"] == 1)
        #expect(second.counts["unchanged"] == 149)
        #expect(try Self.feedback(workspace, second).dropFirst().map { $0[1] } == ["SKU-0003"])

        // A target that knows legacy_code accepts it; then nothing is left to send.
        server.kill()
        server = try Self.target(workspace, catalog: workspace.path("target/catalog.jsonl"), attributes: ["legacy_code"])
        try Self.configure(workspace, endpoint: server.baseURL, batchSize: 500, delta: true, mapping: mapping)
        let third = try await workspace.run("to_pim")
        #expect(third.status == .succeeded, "\(third.error ?? "")")
        #expect(third.counts["sent"] == 1)
        #expect(third.counts["refused"] == nil)
        #expect(try workspace.store.productExports(runID: third.id).first?.products == ["SKU-0003"])
        #expect(try server.control.get("received")["SKU-0003"]?["values"]?["legacy_code"] != nil)
        let fourth = try await workspace.run("to_pim")
        #expect(fourth.counts["sent"] == 0)
        #expect(try server.control.requests().filter { $0.method == "PATCH" && $0.status == 200 }.count == 1)
    }

    @Test func a500OnPatchAfterRetriesFailsTheRunAndRecordsNothing() async throws {
        // Enough products for several chunks of the pipeline to be in flight when it fails.
        let products = (1...2500).map { TestProduct($0) }
        let workspace = try FlowWorkspace()
        try workspace.catalog("catalog/products.jsonl", products)
        try workspace.catalog("target/catalog.jsonl", [TestProduct(900)])
        let server = try Self.target(workspace, catalog: workspace.path("target/catalog.jsonl"))
        defer { server.kill() }
        try Self.configure(workspace, endpoint: server.baseURL, batchSize: 100, delta: true,
                           mapping: ["name~fr_FR: name~fr_FR", "price@EUR: price@EUR"])

        try server.control.fail("/api/rest/v1/products", status: 500, count: 50)
        let failed = try await workspace.run("to_pim")
        #expect(failed.status == .failed)
        let error = try #require(failed.error)
        #expect(error.contains("HTTP 500"), "\(error)")
        #expect(!(try workspace.everything(failed)).contains(Self.targetPassword))
        let patches = try server.control.requests().filter { $0.method == "PATCH" }
        #expect(patches.count == 4, "retried up to the client's attempts: \(patches)")
        #expect(try workspace.store.productExports(runID: failed.id).isEmpty)
        #expect(try workspace.store.deltaSnapshot(channel: "to_pim") == nil)

        // Once the target is back, the next delta sends everything.
        try server.control.reset()
        let next = try await workspace.run("to_pim")
        #expect(next.status == .succeeded, "\(next.error ?? "")")
        #expect(next.counts["sent"] == 2500)
        #expect(try server.control.requests().filter { $0.method == "PATCH" }.count == 25)
    }

    @Test func aDryRunSendsNothingAndKeepsTheBatches() async throws {
        let workspace = try FlowWorkspace()
        try workspace.catalog("catalog/products.jsonl", (1...7).map { TestProduct($0) })
        try workspace.catalog("target/catalog.jsonl", [TestProduct(900)])
        let server = try Self.target(workspace, catalog: workspace.path("target/catalog.jsonl"))
        defer { server.kill() }
        try Self.configure(workspace, endpoint: server.baseURL, batchSize: 3, delta: true,
                           mapping: ["name~fr_FR: name~fr_FR", "price@EUR: price@EUR"])
        let dry = try await workspace.manualRun("to_pim", dryRun: true)
        #expect(dry.status == .succeeded, "\(dry.error ?? "")")
        #expect(dry.counts["sent"] == 0)
        #expect(dry.counts["to_send"] == 7)
        // Nothing written; the target's attribute types are read, as a real run reads them.
        let requests = try server.control.requests()
        #expect(requests.allSatisfy { $0.method != "PATCH" }, "\(requests)")
        #expect(requests.filter { $0.path == "/api/rest/v1/attributes" }.count == 1)
        let kept = String(decoding: try #require(try workspace.store.artifact(runID: dry.id, name: "products.jsonl")),
                          as: UTF8.self)
        let lines = kept.split(separator: "\n")
        #expect(lines.count == 7)
        let product = try CanonicalJSON.parse(String(try #require(lines.first)))
        #expect(product["identifier"] == .string("SKU-0001"))
        #expect(product["values"]?["price"]?.listValue?.first?["data"]
                == .list([.object(["amount": .string("10.00"), "currency": .string("EUR")])]))
        #expect(try workspace.store.productExports(runID: dry.id).isEmpty)
        #expect(try workspace.store.deltaSnapshot(channel: "to_pim") == nil)
    }

    /// Known bug (fails until fixed): the record of a delta export lists the products the
    /// target refused too, while its `sent` count leaves them out.
    @Test func theExportRecordListsOnlyTheProductsTheTargetTook() async throws {
        var products = (1...5).map { TestProduct($0) }
        products[2].extra["legacy_code"] = [TestProduct.entry(.string("L-3"))]
        let workspace = try FlowWorkspace()
        try workspace.catalog("catalog/products.jsonl", products)
        try workspace.catalog("target/catalog.jsonl", [TestProduct(900)])
        let server = try Self.target(workspace, catalog: workspace.path("target/catalog.jsonl"))
        defer { server.kill() }
        try Self.configure(workspace, endpoint: server.baseURL, batchSize: 100, delta: true,
                           mapping: ["name~fr_FR: name~fr_FR", "legacy_code: legacy_code"])
        let first = try await workspace.run("to_pim")
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        #expect(first.counts["sent"] == 4)
        #expect(first.counts["refused"] == 1)
        let record = try #require(try workspace.store.productExports(runID: first.id).first)
        #expect(record.sent == 4)
        #expect(record.products == ["SKU-0001", "SKU-0002", "SKU-0004", "SKU-0005"])
        // The next delta sends the refused product only, and it is refused again: none taken.
        let second = try await workspace.run("to_pim")
        #expect(second.counts["refused"] == 1)
        #expect(try workspace.store.productExports(runID: second.id).first?.products == [])
    }
}
