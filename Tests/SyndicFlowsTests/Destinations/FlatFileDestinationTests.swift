import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport
import Testing

/// A catalog file exported to a flat-file channel on `local` storage, through the runtime.
struct FlatFileDestinationTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static let connections = """
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: catalog}
        spec: {type: catalog-file, path: ../catalog/products.jsonl}
        ---
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: outbox}
        spec: {type: local, path: ../out}

        """

    static let feed = """
        apiVersion: syndic/v1
        kind: Channel
        metadata: {name: feed}
        spec:
          type: flat-file
          status: active
          source: {connection: catalog, scope: ecommerce, locales: [fr_FR]}
          products:
            filter: {enabled: true, families: [shoes, bags]}
            mapping:
              sku: {field: identifier}
              title: name
              description: description
              price: price@EUR
              weight: weight@unit
              brand: {attribute: brand, required: true}
            export:
              storage: {connection: outbox, folder: /feed}

        """

    /// The export benchmark's channel, its columns in name order as the python3 reference
    /// exporter (Benchmarks/reference_exporter.py) writes them.
    static let referenceFeed = """
        apiVersion: syndic/v1
        kind: Channel
        metadata: {name: reference_feed}
        spec:
          type: flat-file
          status: active
          source: {connection: catalog, scope: ecommerce, locales: [fr_FR, en_GB]}
          products:
            filter:
              enabled: true
              families: [shoes, bags]
              categories: {notIn: [archived]}
            mapping:
              brand: {attribute: brand, default: unbranded}
              categories: {field: categories}
              description: description~fr_FR~ecommerce
              price: price@EUR
              price_label: price@currency
              sku: {field: identifier}
              title: name~fr_FR
              weight: weight@unit
            export:
              storage: {connection: outbox, folder: /reference}

        """

    /// A workspace with the small hand-made catalog and the `feed` channel applied.
    static func workspace() throws -> FlowWorkspace {
        let workspace = try FlowWorkspace()
        try workspace.write("catalog/products.jsonl",
                            try String(contentsOf: fixtures.appendingPathComponent("small-catalog.jsonl"), encoding: .utf8))
        try workspace.config("connections.yaml", connections)
        try workspace.config("feed.yaml", feed)
        try workspace.apply()
        return workspace
    }

    @Test func writesTheFilteredMappedRowsUnderTheSeedsFileName() async throws {
        let workspace = try Self.workspace()
        let run = try await workspace.run("feed")
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts == ["read": 7, "sent": 3, "filtered_out": 2, "skipped": 1, "invalid": 1])

        let files = workspace.files(in: "out/feed")
        try #require(files.count == 1, "\(files)")
        let name = files[0]
        #expect(name.wholeMatch(of: /products_export_feed_\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{4}\.csv/) != nil, "\(name)")
        let text = try workspace.text("out/feed/\(name)")
        let rows = csvRows(text)
        // The columns in the mapping's written order.
        #expect(rows.first == ["sku", "title", "description", "price", "weight", "brand"])
        #expect(Array(rows.dropFirst()) == [
            ["SKU-001", "Escarpin « Élise »", "Cuir de vachette", "129.90", "850.0000 GRAM", "acme"],
            ["SKU-002", "Sac \"Zoé\", cabas", "Toile de coton\nFabriqué en France", "59.00", "1.2000 KILOGRAM", "bellamy"],
            ["SKU-008", "Pochette", "", "", "", "nordvik"],
        ])
        // RFC 4180 quoting, as a partner's CSV reader sees it.
        #expect(text.contains("\"Sac \"\"Zoé\"\", cabas\""))
        #expect(text.contains("\"Toile de coton\nFabriqué en France\""))
        #expect(text.hasPrefix("sku,title,description,price,weight,brand\r\n"))

        let records = try workspace.store.productExports(runID: run.id)
        try #require(records.count == 1)
        #expect(records[0].mode == "full")
        #expect(records[0].sent == 3)
        #expect(records[0].file?.hasSuffix("/feed/\(name)") == true, "\(records[0].file ?? "nil")")
        // No temporary file left behind.
        #expect(workspace.files(in: ".syndic/work/tmp").isEmpty)
        #expect(workspace.files(in: "out/feed").allSatisfy { !$0.hasPrefix(".") })
    }

    @Test func reportsSkippedAndInvalidProductsWithTheirReasons() async throws {
        let workspace = try Self.workspace()
        let run = try await workspace.run("feed")
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        let report = try #require(run.report)
        #expect(report.contains("7 read, 3 sent"), "\(report)")
        #expect(report.contains("2 filtered out, 1 skipped, 1 invalid"), "\(report)")
        // The product without a brand: skipped, naming the required target and its source.
        let skipped = report.split(separator: "\n").filter { $0.contains("missing required value for brand") }
        #expect(skipped.count == 1, "\(report)")
        #expect(skipped.first.map { $0.contains("SKU-005") || $0.contains("00000000-0000-4000-8000-000000000005") } == true,
                "\(report)")
        // The truncated line 6: invalid, reported with its line number; line 8 (after a blank
        // line) still exported.
        let invalid = report.split(separator: "\n").filter { $0.contains("product 6:") || $0.contains("line 6") }
        #expect(invalid.count == 1, "\(report)")
        #expect(try workspace.messages(run.id).contains { $0.contains("product 6") || $0.contains("line 6") })
    }

    /// The rows the export's workers encode make, once appended, the very bytes a plain CSV
    /// writer makes: the python3 reference exporter's file, whatever the catalog's shape.
    @Test(arguments: [CatalogGenerator.Shape.full, .small])
    func aGeneratedCatalogGivesTheReferenceExportersBytes(_ shape: CatalogGenerator.Shape) async throws {
        let workspace = try FlowWorkspace()
        try FileManager.default.createDirectory(atPath: workspace.path("catalog"), withIntermediateDirectories: true)
        let catalog = workspace.path("catalog/products.jsonl")
        // Several blocks for the workers, and more than a MiB of CSV (the file's write block).
        try CatalogGenerator.generate(count: 15_000, seed: 1, shape: shape, to: catalog)
        try workspace.config("connections.yaml", Self.connections)
        try workspace.config("reference.yaml", Self.referenceFeed)
        try workspace.apply()
        let run = try await workspace.run("reference_feed")
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        let name = try #require(workspace.files(in: "out/reference").first)

        let reference = workspace.path("reference.csv")
        let exporter = TestPaths.repository.appendingPathComponent("Benchmarks/reference_exporter.py").path
        let python = try ChildProcess("/usr/bin/env", ["python3", exporter, catalog, reference])
        try #require(python.wait() == 0)
        let written = try #require(FileManager.default.contents(atPath: workspace.path("out/reference/\(name)")))
        let expected = try #require(FileManager.default.contents(atPath: reference))
        #expect(expected.count > 1 << 20)
        #expect(written == expected)
        #expect(run.counts["sent"] == csvRows(String(decoding: expected, as: UTF8.self)).count - 1)
    }
}
