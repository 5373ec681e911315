import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport
import Testing

/// An akeneo-api channel reads the target PIM's attribute types and writes each value as its
/// type expects (akeneo_sim.py refuses a wrong data type with 422, as Akeneo does).
struct AkeneoAPIDestinationTypesTests {
    /// The target's types: a multi-select, a whole number, a text that looks like a boolean.
    static let types = #"""
        {"colors": "pim_catalog_multiselect", "stock": {"type": "pim_catalog_number", "decimals_allowed": false},
         "tagline": "pim_catalog_text", "name": "pim_catalog_text", "price": "pim_catalog_price_collection"}
        """#

    @Test func valuesGoAsTheirTypesAndABadValueIsItsProductsFeedbackLine() async throws {
        var products = (1...5).map { TestProduct($0) }
        for index in products.indices {
            products[index].extra["colors"] = [TestProduct.entry(.string("red"))]
            products[index].extra["stock"] = [TestProduct.entry(.string("\(index + 10)"))]
            products[index].extra["tagline"] = [TestProduct.entry(.string("true"))]
        }
        products[3].extra["stock"] = [TestProduct.entry(.string("many"))]
        let workspace = try FlowWorkspace()
        try workspace.catalog("catalog/products.jsonl", products)
        try workspace.catalog("target/catalog.jsonl", [TestProduct(900)])
        try workspace.write("target/types.json", Self.types)
        let server = try LocalServer(simulator: "akeneo_sim.py", arguments: [
            "--catalog", workspace.path("target/catalog.jsonl"), "--attribute-types", workspace.path("target/types.json"),
            "--client-id", "target_client", "--secret", "target-secret-3",
            "--username", "target_\(workspace.id)", "--password", AkeneoAPIDestinationTests.targetPassword,
        ])
        defer { server.kill() }
        try AkeneoAPIDestinationTests.configure(workspace, endpoint: server.baseURL, batchSize: 100, delta: true, mapping: [
            "name~fr_FR: name~fr_FR", "colors: colors", "stock: stock", "tagline: tagline",
        ])

        let run = try await workspace.run("to_pim")
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["sent"] == 4, "\(run.counts)")
        #expect(run.counts["refused"] == 1)
        // The types are read once, for the mapped attributes.
        let lookups = try server.control.requests().filter { $0.path == "/api/rest/v1/attributes" }
        #expect(lookups.count == 1)
        #expect(lookups.first?.params["search"]?.contains("colors") == true)
        // One PATCH, every line accepted: the wrong value never left.
        let patches = try server.control.requests().filter { $0.method == "PATCH" }
        #expect(patches.map(\.status) == [200])

        let received = try server.control.get("received")
        let first = try #require(received["SKU-0001"]?["values"])
        #expect(first["colors"]?.listValue?.first?["data"] == .list([.string("red")]))
        #expect(first["stock"]?.listValue?.first?["data"] == .int(10))
        #expect(first["tagline"]?.listValue?.first?["data"] == .string("true"))
        #expect(received["SKU-0004"] == nil)

        let feedback = try AkeneoAPIDestinationTests.feedback(workspace, run)
        let refused = try #require(feedback.first { $0[1] == "SKU-0004" })
        #expect(refused[3].contains("stock") && refused[3].contains("many"), "\(refused)")
        // One line per product, numbered as they came.
        #expect(refused[0] == "4")
        #expect(feedback.dropFirst().map { $0[0] }.sorted() == ["1", "2", "3", "4", "5"])
        #expect(feedback.dropFirst().filter { $0[2] == "201" }.count == 4)

        // The refused product goes again with the next delta.
        let second = try await workspace.run("to_pim")
        #expect(second.counts["refused"] == 1, "\(second.counts)")
        #expect(second.counts["sent"] == 0)
    }
}
