import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport
import Testing

/// OF01's `with_products`, OF03 asked for as a file, and error reports that do not name
/// every line in error (mirakl_sim.py).
struct MiraklOfferImportRulesTests {
    static func setUp(_ mapping: [String], products: [TestProduct]) throws -> (FlowWorkspace, LocalServer) {
        let workspace = try FlowWorkspace()
        try workspace.catalog("catalog/products.jsonl", products)
        let server = try LocalServer(simulator: "mirakl_sim.py", arguments: ["--api-key", MiraklOfferDestinationTests.apiKey])
        try workspace.secret("mirakl_key", MiraklOfferDestinationTests.apiKey)
        try workspace.config("connections.yaml", FlatFileDestinationTests.connections)
        try workspace.config("mirakl_fr.yaml", MiraklOfferDestinationTests.channel(endpoint: server.baseURL, mapping: mapping))
        try workspace.apply()
        return (workspace, server)
    }

    static let offerColumns = ["sku: {field: identifier}", "price: price@EUR", "state: {value: \"11\"}", "quantity: {value: 5}"]

    /// Six products, two without a EUR price (Mirakl refuses their rows).
    static func products() -> [TestProduct] {
        var products = (1...6).map { TestProduct($0) }
        products[1].eur = nil
        products[4].eur = nil
        return products
    }

    @Test(arguments: [(offerColumns, false), (offerColumns + ["title: name~fr_FR"], true)])
    func productColumnsGoWithProducts(_ mapping: [String], _ withProducts: Bool) async throws {
        let (workspace, server) = try Self.setUp(mapping, products: Self.products())
        defer { server.kill() }
        let run = try await workspace.run("mirakl_fr")
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["refused"] == 2, "\(run.counts)")
        let upload = try #require(try server.control.get("imports").listValue?.first)
        #expect(upload["status"]?.stringValue == "COMPLETE")
        #expect(upload["with_products"]?.boolValue == withProducts, "\(upload)")
        let post = try #require(try server.control.requests().first { $0.method == "POST" && $0.path == "/api/offers/imports" })
        #expect(post.status == 201)
        // OF03 is a file: asked for as one.
        let report = try #require(try server.control.requests().first { $0.path.hasSuffix("/error_report") })
        #expect(report.status == 200)
        #expect(report.headers["accept"] == "application/octet-stream")
    }

    /// The report lists fewer rows than OF02's `lines_in_error`, or rows that name no
    /// product: which products failed cannot be told, so none counts as delivered and the
    /// next delta sends the whole file again.
    @Test(arguments: ["truncated", "unmatched"])
    func aReportThatDoesNotNameEveryLineResendsEverything(_ mode: String) async throws {
        let (workspace, server) = try Self.setUp(Self.offerColumns, products: Self.products())
        defer { server.kill() }
        _ = try server.control.post("error-report", .object(["mode": .string(mode)]))
        let first = try await workspace.run("mirakl_fr")
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        #expect(first.counts["refused"] == 6, "\(first.counts)")
        #expect(first.report?.contains("sent again by the next delta export") == true, "\(first.report ?? "")")
        #expect(try workspace.store.productExports(runID: first.id).first?.products.isEmpty ?? true)

        _ = try server.control.post("error-report", .object(["mode": .string("normal")]))
        let second = try await workspace.run("mirakl_fr")
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        let imports = try server.control.get("imports").listValue ?? []
        #expect(imports.count == 2)
        #expect(imports.last?["rows"]?.listValue?.count == 6, "the whole file again")
        #expect(second.counts["refused"] == 2, "\(second.counts)")
    }
}
