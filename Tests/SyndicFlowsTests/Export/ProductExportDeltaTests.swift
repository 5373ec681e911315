import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport
import Testing

/// Delta exports of a flat-file channel: only products whose mapped output
/// changed since the last successful export; `--full` sends all; a dry run moves nothing.
struct ProductExportDeltaTests {
    static let channel = """
        apiVersion: syndic/v1
        kind: Channel
        metadata: {name: delta_feed}
        spec:
          type: flat-file
          status: active
          source: {connection: catalog, locales: [fr_FR]}
          products:
            mapping:
              sku: {field: identifier}
              title: name~fr_FR
              price: price@EUR
            export:
              delta: true
              storage: {connection: outbox, folder: /delta}

        """

    static let products = (1...5).map { TestProduct($0, eur: "\($0)0.00") }

    static func workspace(_ products: [TestProduct] = ProductExportDeltaTests.products) throws -> FlowWorkspace {
        let workspace = try FlowWorkspace()
        try workspace.catalog("catalog/products.jsonl", products)
        try workspace.config("connections.yaml", FlatFileDestinationTests.connections)
        try workspace.config("delta_feed.yaml", channel)
        try workspace.apply()
        return workspace
    }

    /// The data rows of the newest file in `out/delta` (the names sort by date).
    static func newestRows(_ workspace: FlowWorkspace) throws -> [[String]] {
        let name = try #require(workspace.files(in: "out/delta").last)
        return Array(csvRows(try workspace.text("out/delta/\(name)")).dropFirst())
    }

    @Test func sendsOnlyProductsWhoseMappedOutputChanged() async throws {
        var products = Self.products
        let workspace = try Self.workspace(products)

        // 1. No earlier export: everything is new.
        let first = try await workspace.run("delta_feed")
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        #expect(first.counts["sent"] == 5)
        #expect(first.counts["unchanged"] == 0)
        #expect(first.report?.contains("no earlier successful export") == true)
        #expect(workspace.files(in: "out/delta").count == 1)
        let firstRecord = try #require(try workspace.store.productExports(runID: first.id).first)
        #expect(firstRecord.mode == "delta")
        #expect(firstRecord.products == products.map(\.identifier))

        // 2. Nothing changed: nothing sent, no file.
        let second = try await workspace.run("delta_feed")
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(second.counts["sent"] == 0)
        #expect(second.counts["unchanged"] == 5)
        #expect(second.counts["read"] == 5)
        #expect(workspace.files(in: "out/delta").count == 1)
        #expect(try workspace.store.productExports(runID: second.id).first?.products == [])

        // 3. Two products' mapped values change: exactly those two are sent and recorded.
        products[1].eur = "99.99"
        products[3].name = "Nouveau nom"
        try workspace.catalog("catalog/products.jsonl", products)
        let third = try await workspace.run("delta_feed")
        #expect(third.status == .succeeded, "\(third.error ?? "")")
        #expect(third.counts["sent"] == 2)
        #expect(third.counts["unchanged"] == 3)
        #expect(workspace.files(in: "out/delta").count == 2)
        #expect(try Self.newestRows(workspace) == [["SKU-0002", "Produit 2", "99.99"], ["SKU-0004", "Nouveau nom", "40.00"]])
        let records = try workspace.store.productExports(runID: third.id)
        #expect(records.count == 1)
        #expect(records.first?.products == ["SKU-0002", "SKU-0004"])
        #expect(records.first?.sent == 2)

        // 4. Only an attribute the mapping does not read changes: nothing to send.
        products[0].supplier = "SUP-NEW"
        try workspace.catalog("catalog/products.jsonl", products)
        let fourth = try await workspace.run("delta_feed")
        #expect(fourth.status == .succeeded, "\(fourth.error ?? "")")
        #expect(fourth.counts["sent"] == 0)
        #expect(fourth.counts["unchanged"] == 5)
        #expect(workspace.files(in: "out/delta").count == 2)
    }

    @Test func aFullRunSendsEverythingAndTheNextDeltaNothing() async throws {
        let workspace = try Self.workspace()
        _ = try await workspace.run("delta_feed")
        let full = try await workspace.manualRun("delta_feed", full: true)
        #expect(full.full)
        #expect(full.status == .succeeded, "\(full.error ?? "")")
        #expect(full.counts["sent"] == 5)
        #expect(full.counts["unchanged"] == nil)
        #expect(full.report?.hasPrefix("full export") == true, "\(full.report ?? "")")
        #expect(try Self.newestRows(workspace).map { $0[0] } == Self.products.map(\.identifier))
        #expect(try workspace.store.productExports(runID: full.id).first?.mode == "full")

        let after = try await workspace.manualRun("delta_feed")
        #expect(after.status == .succeeded, "\(after.error ?? "")")
        #expect(after.counts["sent"] == 0)
    }

    @Test func aDryRunKeepsItsFileAndMovesNothing() async throws {
        var products = Self.products
        let workspace = try Self.workspace(products)
        _ = try await workspace.run("delta_feed")
        let snapshot = try workspace.store.deltaSnapshot(channel: "delta_feed")
        #expect(snapshot != nil)

        products[2].eur = "1.23"
        try workspace.catalog("catalog/products.jsonl", products)
        let dry = try await workspace.manualRun("delta_feed", dryRun: true)
        #expect(dry.dryRun)
        #expect(dry.status == .succeeded, "\(dry.error ?? "")")
        #expect(dry.counts["sent"] == 0)
        #expect(dry.counts["to_send"] == 1)
        // The file stays under the work directory, not on the channel's storage.
        let kept = workspace.files(in: ".syndic/work/dry-runs/delta_feed")
        try #require(kept.count == 1, "\(kept)")
        #expect(kept[0].hasPrefix("products_export_delta_feed_"))
        #expect(Array(csvRows(try workspace.text(".syndic/work/dry-runs/delta_feed/\(kept[0])")).dropFirst())
                == [["SKU-0003", "Produit 3", "1.23"]])
        #expect(workspace.files(in: "out/delta").count == 1)
        #expect(dry.report?.contains("file kept at") == true, "\(dry.report ?? "")")
        // The same file is kept as a run file, in the state: another host can read it.
        let stored = try #require(try workspace.store.artifact(runID: dry.id, name: kept[0]))
        #expect(stored == Data(try workspace.text(".syndic/work/dry-runs/delta_feed/\(kept[0])").utf8))
        // No export record, the snapshot as it was.
        #expect(try workspace.store.productExports(runID: dry.id).isEmpty)
        #expect(try workspace.store.deltaSnapshot(channel: "delta_feed") == snapshot)

        // The next real delta still sends the changed product.
        let real = try await workspace.run("delta_feed")
        #expect(real.status == .succeeded, "\(real.error ?? "")")
        #expect(real.counts["sent"] == 1)
        #expect(try workspace.store.productExports(runID: real.id).first?.products == ["SKU-0003"])
        #expect(try Self.newestRows(workspace) == [["SKU-0003", "Produit 3", "1.23"]])
    }

    @Test func aGeneratedCatalogWithChangedProductsSendsExactlyThoseInSourceOrder() async throws {
        let workspace = try FlowWorkspace()
        try FileManager.default.createDirectory(atPath: workspace.path("catalog"), withIntermediateDirectories: true)
        let base = workspace.path("catalog/base.jsonl")
        let catalog = workspace.path("catalog/products.jsonl")
        // Several chunks of the export pipeline (1024 products each).
        try CatalogGenerator.generate(count: 5000, seed: 11, to: base)
        try FileManager.default.copyItem(atPath: base, toPath: catalog)
        try workspace.config("connections.yaml", FlatFileDestinationTests.connections)
        try workspace.config("big.yaml", """
            apiVersion: syndic/v1
            kind: Channel
            metadata: {name: big}
            spec:
              type: flat-file
              status: active
              source: {connection: catalog, scope: ecommerce, locales: [fr_FR]}
              products:
                filter: {enabled: true}
                mapping:
                  sku: {field: identifier}
                  title: name~fr_FR
                  price: price@EUR
                export:
                  delta: true
                  storage: {connection: outbox, folder: /big}

            """)
        try workspace.apply()

        /// The products of a catalog in order: identifier, enabled, line.
        func products(_ path: String) throws -> [(identifier: String, enabled: Bool, line: Substring)] {
            try workspace.text(path).split(separator: "\n").map { line in
                let product = try CanonicalJSON.parse(String(line))
                return (product["identifier"]?.stringValue ?? "", product["enabled"] == .bool(true), line)
            }
        }
        func newestSKUs() throws -> [String] {
            let name = try #require(workspace.files(in: "out/big").last)
            return csvRows(try workspace.text("out/big/\(name)")).dropFirst().map { $0[0] }
        }

        let before = try products("catalog/products.jsonl")
        let enabledBefore = before.filter(\.enabled).map(\.identifier)
        let first = try await workspace.run("big")
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        #expect(first.counts["read"] == 5000)
        #expect(first.counts["sent"] == enabledBefore.count)
        #expect(first.counts["filtered_out"] == 5000 - enabledBefore.count)
        #expect(try newestSKUs() == enabledBefore)

        try FileManager.default.removeItem(atPath: catalog)
        try CatalogGenerator.change(percent: 2, of: base, seed: 12, to: catalog)
        let after = try products("catalog/products.jsonl")
        let old = Dictionary(uniqueKeysWithValues: before.map { ($0.identifier, $0.line) })
        let changedLines = after.filter { old[$0.identifier] != $0.line }
        #expect(changedLines.count == 100, "2 % of 5000")
        let changed = changedLines.filter(\.enabled).map(\.identifier)

        let second = try await workspace.run("big")
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(second.counts["read"] == 5000)
        #expect(second.counts["sent"] == changed.count)
        // Products whose text is as before are not even read again, filtered or not.
        #expect(second.counts["unchanged"] == 5000 - changedLines.count)
        #expect(second.counts["filtered_out"] == changedLines.count - changed.count)
        #expect(try workspace.store.productExports(runID: second.id).first?.products == changed)
        #expect(try newestSKUs() == changed)
    }
}
