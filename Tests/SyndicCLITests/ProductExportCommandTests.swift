import Foundation
import Testing

/// The product export through the shipped binary: `run --wait`, `runs show`, `preview`,
/// dry runs and delta exports on the embedded default (catalog file, local storage).
@Suite struct ProductExportCommandTests {
    /// Three products: two pass the filter (one of them lacks the required title), one is
    /// disabled; a fourth line is not JSON.
    static let catalog = """
        {"uuid":"u1","identifier":"SKU-1","enabled":true,"family":"shoes","categories":["summer","women"],"values":{"name":[{"locale":"fr_FR","scope":null,"data":"Escarpin « Léa », cuir"}],"price":[{"locale":null,"scope":null,"data":[{"amount":"89.90","currency":"EUR"}]}]}}
        {"uuid":"u2","identifier":"SKU-2","enabled":true,"family":"shoes","categories":[],"values":{"price":[{"locale":null,"scope":null,"data":[{"amount":"10.00","currency":"EUR"}]}]}}
        {"uuid":"u3","identifier":"SKU-3","enabled":false,"family":"shoes","categories":[],"values":{}}
        {"uuid": "u4", oops}

        """

    static let channels = """
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: pim}
        spec: {type: catalog-file, path: catalog.jsonl}
        ---
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: outbox}
        spec: {type: local, path: ../out}
        ---
        apiVersion: syndic/v1
        kind: Channel
        metadata: {name: feed}
        spec:
          type: flat-file
          status: active
          source: {connection: pim, scope: ecommerce, locales: [fr_FR]}
          products:
            filter: {enabled: true}
            mapping:
              sku: {field: identifier}
              title: {attribute: name, required: true}
              price: price@EUR
            export:
              delta: true
              storage: {connection: outbox, folder: /feed}

        """

    static func workspace() throws -> Workspace {
        let workspace = try Workspace()
        try workspace.write("channels/all.yaml", channels)
        try workspace.write("channels/catalog.jsonl", catalog)
        let applied = try workspace.syndic.run(["apply"])
        precondition(applied.status == 0, "apply failed: \(applied.stderr)")
        return workspace
    }

    func exportedFiles(_ workspace: Workspace) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: workspace.root.appendingPathComponent("out/feed").path)) ?? []).sorted()
    }

    @Test func runWaitExportsKeepsGoodRowsAndReportsBadOnes() throws {
        let workspace = try Self.workspace()
        defer { workspace.remove() }
        let result = try workspace.syndic.run(["run", "feed", "product-export", "--wait"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("delta export from catalog file"))
        #expect(result.stdout.contains("4 read, 1 sent, 0 unchanged, 1 filtered out, 1 skipped, 1 invalid"))
        #expect(result.stdout.contains("SKU-2: missing required value for title (name)"))
        #expect(result.stdout.contains("product 4: invalid JSON at byte"))
        #expect(result.stdout.contains("delta export recorded"))
        #expect(result.stdout.contains("products sent: SKU-1"))
        let files = exportedFiles(workspace)
        #expect(files.count == 1)
        let name = try #require(files.first)
        #expect(name.hasPrefix("products_export_feed_") && name.hasSuffix(".csv"))
        let csv = try String(contentsOf: workspace.root.appendingPathComponent("out/feed/\(name)"), encoding: .utf8)
        #expect(csv == "sku,title,price\r\nSKU-1,\"Escarpin « Léa », cuir\",89.90\r\n")

        // Nothing changed: the delta export sends nothing and writes no file.
        let again = try workspace.syndic.run(["run", "feed", "product-export", "--wait"])
        #expect(again.stdout.contains("0 sent, 3 unchanged"))
        #expect(again.stdout.contains("no product changed since the last export: no file written"))
        #expect(exportedFiles(workspace).count == 1)

        // --full sends every product again.
        let full = try workspace.syndic.run(["run", "feed", "product-export", "--full", "--wait"])
        #expect(full.stdout.contains("full export from catalog file"))
        #expect(full.stdout.contains("1 sent"))
    }

    @Test func dryRunKeepsTheFileUnderTheStateDirectoryAndMovesNothing() throws {
        let workspace = try Self.workspace()
        defer { workspace.remove() }
        let dry = try workspace.syndic.run(["run", "feed", "product-export", "--dry-run", "--wait"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("dry-run delta export"))
        #expect(dry.stdout.contains("file kept at \(workspace.root.path)/.syndic/work/dry-runs/feed/products_export_feed_")
                || dry.stdout.contains("/.syndic/work/dry-runs/feed/products_export_feed_"))
        #expect(exportedFiles(workspace).isEmpty)
        #expect(!dry.stdout.contains("export recorded"))
        // The snapshot did not move: the real delta export still sends the product.
        let real = try workspace.syndic.run(["run", "feed", "product-export", "--wait"])
        #expect(real.stdout.contains("1 sent"))

        // Deleting the channel deletes the files its dry runs kept, with its data.
        let kept = workspace.root.appendingPathComponent(".syndic/work/dry-runs/feed")
        #expect(FileManager.default.fileExists(atPath: kept.path))
        let connectionsOnly = Self.channels.components(separatedBy: "---\napiVersion: syndic/v1\nkind: Channel")[0]
        try workspace.write("channels/all.yaml", connectionsOnly)
        let deleted = try workspace.syndic.run(["apply", "--confirm-delete", "feed"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(!FileManager.default.fileExists(atPath: kept.path))
    }

    @Test func previewShowsTheFirstMappedProducts() throws {
        let workspace = try Self.workspace()
        defer { workspace.remove() }
        let table = try workspace.syndic.run(["preview", "feed"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("sku    title                   price\n"))
        #expect(table.stdout.contains("SKU-1  Escarpin « Léa », cuir  89.90\n"))
        #expect(table.stdout.contains("1 products shown; 4 read from catalog file"))
        #expect(table.stdout.contains("skipped SKU-2: missing required value for title (name)"))
        let json = try workspace.syndic.run(["preview", "feed", "--limit", "1", "--format", "json"])
        #expect(json.stdout.contains("\"title\": \"Escarpin « Léa », cuir\""))
        let unknown = try workspace.syndic.run(["preview", "nope"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "error: no channel named nope in channels\n")
    }

    /// The newest CSV the channel wrote (names sort by date).
    func newestCSV(_ workspace: Workspace) throws -> String {
        let name = try #require(exportedFiles(workspace).last)
        return try String(contentsOf: workspace.root.appendingPathComponent("out/feed/\(name)"), encoding: .utf8)
    }

    @Test func columnsFollowTheMappingsWrittenOrder() throws {
        let workspace = try Self.workspace()
        defer { workspace.remove() }
        // Written sku, title, price: not name order.
        let first = try workspace.syndic.run(["run", "feed", "product-export", "--wait"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try newestCSV(workspace).hasPrefix("sku,title,price\r\n"))
        let json = try workspace.syndic.run(["preview", "feed", "--format", "json"])
        let preview = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(preview?["targets"] as? [String] == ["sku", "title", "price"])

        // Reordered: the plan says every product goes again, and the next delta export resends it.
        let written = "      sku: {field: identifier}\n      title: {attribute: name, required: true}\n      price: price@EUR\n"
        #expect(Self.channels.contains(written))
        try workspace.write("channels/all.yaml", Self.channels.replacingOccurrences(
            of: written, with: "      price: price@EUR\n      title: {attribute: name, required: true}\n      sku: {field: identifier}\n"))
        let table = try workspace.syndic.run(["preview", "feed"])
        #expect(table.stdout.contains("price  title                   sku\n"))
        let plan = try workspace.syndic.run(["plan"])
        #expect(plan.stdout.contains("products.mappingOrder"))
        #expect(plan.stdout.contains("[sku, title, price] -> [price, title, sku]"))
        #expect(plan.stdout.contains("columns reordered: the next delta export resends every product (the file's columns change)"))
        let applied = try workspace.syndic.run(["apply"])
        #expect(applied.status == 0, "\(applied.stderr)")
        let second = try workspace.syndic.run(["run", "feed", "product-export", "--wait"])
        #expect(second.stdout.contains("4 read, 1 sent, 0 unchanged, 1 filtered out, 1 skipped, 1 invalid"))
        #expect(exportedFiles(workspace).count == 2)
        #expect(try newestCSV(workspace) == "price,title,sku\r\n89.90,\"Escarpin « Léa », cuir\",SKU-1\r\n")
    }

    @Test func aMissingCatalogFailsTheRunClearly() throws {
        let workspace = try Self.workspace()
        defer { workspace.remove() }
        try FileManager.default.removeItem(at: workspace.root.appendingPathComponent("channels/catalog.jsonl"))
        let result = try workspace.syndic.run(["run", "feed", "product-export", "--wait"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("cannot open the catalog file"))
        #expect(result.stdout.contains("No such file or directory"))
        #expect(result.stdout.contains("not retried (it would fail the same way)"))
        #expect(result.stdout.contains("status:   failed"))
    }
}
