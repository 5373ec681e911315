import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport
import Testing

/// The export guard (`products.export.guard`): an export that would send far fewer products
/// than the last successful one, or too many invalid or skipped ones, ends `held` — nothing
/// sent, nothing recorded, the snapshot where it was, an `export-held` alert — and a forced run
/// sends it once.
struct ProductExportGuardTests {
    /// A flat-file channel `guarded` writing to `out/guarded`, with the guard `limits`.
    static func channel(delta: Bool = false, limits: String, price: String = "price@EUR") -> String {
        """
        apiVersion: syndic/v1
        kind: Channel
        metadata: {name: guarded}
        spec:
          type: flat-file
          status: active
          source: {connection: catalog, locales: [fr_FR]}
          products:
            mapping:
              sku: {field: identifier}
              title: name~fr_FR
              price: \(price)
            export:
              delta: \(delta)
              storage: {connection: outbox, folder: /guarded}
              guard: \(limits)

        """
    }

    static func workspace(_ products: [TestProduct], channel: String) throws -> FlowWorkspace {
        let workspace = try FlowWorkspace()
        try workspace.catalog("catalog/products.jsonl", products)
        try workspace.config("connections.yaml", FlatFileDestinationTests.connections)
        try workspace.config("guarded.yaml", channel)
        try workspace.apply()
        return workspace
    }

    @Test func aCatalogThatShrankIsHeldUntilAForcedRunSendsIt() async throws {
        let products = (1...10).map { TestProduct($0) }
        let workspace = try Self.workspace(products, channel: Self.channel(limits: "{maxDropPercent: 50}"))

        let first = try await workspace.run("guarded")
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        #expect(first.counts["sent"] == 10)
        #expect(first.counts["exportable"] == 10)
        #expect(first.counts["previous_exportable"] == nil)
        #expect(first.report?.contains("export guard: 10 products to export, no earlier successful export") == true,
                "\(first.report ?? "")")
        #expect(workspace.files(in: "out/guarded").count == 1)
        let snapshot = try workspace.store.deltaSnapshot(channel: "guarded")

        // The catalog lost 90% of its products: held, nothing written anywhere.
        try workspace.catalog("catalog/products.jsonl", [products[0]])
        let held = try await workspace.run("guarded")
        #expect(held.status == .held, "\(held.error ?? "") \(held.report ?? "")")
        #expect(held.error == nil)
        #expect(held.finishedAt != nil)
        #expect(held.attempt == 1)
        #expect(held.counts["sent"] == 0)
        #expect(held.counts["to_send"] == 1)
        #expect(held.counts["exportable"] == 1)
        #expect(held.counts["previous_exportable"] == 10)
        let report = try #require(held.report)
        #expect(report.hasPrefix("held full export from catalog file"), "\(report)")
        #expect(report.contains("held by the export guard, nothing was sent: it would export 1 product, 90% fewer "
                                + "than the 10 of the last successful export (maxDropPercent 50)"), "\(report)")
        #expect(report.contains("export guard: 1 product to export, 10 at the last successful export: 90% fewer"))
        #expect(report.contains("export guard: 0 invalid or skipped of 1 product that passed the filter: 0%"))
        #expect(report.contains("`syndic run guarded product-export --force` sends this export once"))
        #expect(workspace.files(in: "out/guarded").count == 1)
        #expect(try workspace.store.productExports(runID: held.id).isEmpty)
        #expect(try workspace.store.productExports(channel: "guarded", limit: 10).count == 1)
        #expect(try workspace.store.deltaSnapshot(channel: "guarded") == snapshot)
        #expect(try workspace.store.artifacts(runID: held.id).isEmpty)
        let messages = try workspace.messages(held.id)
        #expect(messages.last == "held: it would export 1 product, 90% fewer than the 10 of the last successful "
                + "export (maxDropPercent 50); nothing was sent (syndic run guarded product-export --force sends it once)",
                "\(messages)")
        let events = try workspace.store.events(channel: "guarded", limit: 10)
        #expect(events.map(\.kind) == ["export-held"])
        #expect(events.first?.runID == held.id)
        #expect(events.first?.message.hasPrefix("product-export of guarded held: it would export 1 product, 90% fewer") == true)

        // The next run compares with the same last successful export: held again.
        let again = try await workspace.run("guarded")
        #expect(again.status == .held)
        #expect(workspace.files(in: "out/guarded").count == 1)

        // A forced run sends it once, and becomes the export the next ones compare with.
        let forced = try await workspace.run("guarded", force: true)
        #expect(forced.force)
        #expect(forced.status == .succeeded, "\(forced.error ?? "")")
        #expect(forced.counts["sent"] == 1)
        #expect(forced.counts["exportable"] == nil)
        #expect(forced.report?.contains("export guard skipped for this run (--force)") == true, "\(forced.report ?? "")")
        #expect(try workspace.messages(forced.id).first == "queued (manual, forced)")
        #expect(workspace.files(in: "out/guarded").count == 2)
        let newest = try #require(workspace.files(in: "out/guarded").last)
        let rows = Array(csvRows(try workspace.text("out/guarded/\(newest)")).dropFirst())
        #expect(rows.count == 1 && rows.first?.contains("SKU-0001") == true, "\(rows)")

        let after = try await workspace.run("guarded")
        #expect(!after.force)
        #expect(after.status == .succeeded, "\(after.report ?? "")")
        #expect(after.counts["previous_exportable"] == 1)
    }

    @Test func tooManySkippedOrInvalidProductsHoldEvenTheFirstExport() async throws {
        var products = (1...4).map { TestProduct($0) }
        products[1].eur = nil
        products[2].eur = nil
        let workspace = try Self.workspace(products, channel: Self.channel(
            delta: true, limits: "{maxInvalidPercent: 40}", price: "{attribute: price, currency: EUR, required: true}"))
        try workspace.write("catalog/products.jsonl", products.map(\.json).joined(separator: "\n") + "\nnot a product\n")

        // 2 skipped and 1 invalid of 5: 60%.
        let held = try await workspace.run("guarded")
        #expect(held.status == .held, "\(held.report ?? "")")
        #expect(held.counts["skipped"] == 2)
        #expect(held.counts["invalid"] == 1)
        #expect(held.counts["previous_exportable"] == nil)
        #expect(held.report?.contains("60% of the products that passed the filter are invalid or skipped "
                                      + "(1 invalid, 2 skipped of 5; maxInvalidPercent 40)") == true, "\(held.report ?? "")")
        #expect(held.report?.contains("first problems:") == true)
        #expect(workspace.files(in: "out/guarded").isEmpty)
        #expect(try workspace.store.deltaSnapshot(channel: "guarded") == nil)
        #expect(try workspace.store.events(channel: "guarded", limit: 10).map(\.kind) == ["export-held"])

        // A dry run is never held: it says what the guard would do.
        let dry = try await workspace.run("guarded", dryRun: true)
        #expect(dry.status == .succeeded, "\(dry.error ?? "")")
        #expect(dry.report?.contains("the export guard would hold this export: 60% of the products") == true,
                "\(dry.report ?? "")")
        #expect(try workspace.store.events(channel: "guarded", limit: 10).count == 1)

        // Fixed at the source: the export goes.
        products[1].eur = "20.00"
        products[2].eur = "30.00"
        try workspace.catalog("catalog/products.jsonl", products)
        let fixed = try await workspace.run("guarded")
        #expect(fixed.status == .succeeded, "\(fixed.report ?? "")")
        #expect(fixed.counts["sent"] == 4)
        #expect(workspace.files(in: "out/guarded").count == 1)
    }

    @Test func anAkeneoTargetGetsNoRequestFromAHeldExport() async throws {
        // akeneo-api sends batches while products are added: a counting pass decides first.
        var products = (1...150).map { TestProduct($0) }
        let workspace = try FlowWorkspace()
        try workspace.catalog("catalog/products.jsonl", products)
        try workspace.catalog("target/catalog.jsonl", [TestProduct(900)])
        let server = try AkeneoAPIDestinationTests.target(workspace, catalog: workspace.path("target/catalog.jsonl"))
        defer { server.kill() }
        try workspace.secret("target_client_id", "target_client")
        try workspace.secret("target_secret", "target-secret-3")
        try workspace.secret("target_username", "target_\(workspace.id)")
        try workspace.secret("target_password", AkeneoAPIDestinationTests.targetPassword)
        try workspace.config("connections.yaml", FlatFileDestinationTests.connections)
        let channel = AkeneoAPIDestinationTests.channel(endpoint: server.baseURL, batchSize: 100, delta: true,
                                                        mapping: ["name~fr_FR: name~fr_FR", "price@EUR: price@EUR"])
        try workspace.config("to_pim.yaml", channel.replacingOccurrences(
            of: "      delta: true\n", with: "      delta: true\n      guard: {maxDropPercent: 50}\n"))
        try workspace.apply()
        func patches() throws -> Int { try server.control.requests().filter { $0.method == "PATCH" }.count }

        let first = try await workspace.run("to_pim")
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        #expect(first.counts["sent"] == 150)
        #expect(try patches() == 2)

        // 10 products left, 5 of them changed: 140 of 150 fewer to export, held before any request.
        products = Array(products.prefix(10))
        for index in 0..<5 { products[index].name = "Renamed \(index)" }
        try workspace.catalog("catalog/products.jsonl", products)
        let held = try await workspace.run("to_pim")
        #expect(held.status == .held, "\(held.error ?? "") \(held.report ?? "")")
        #expect(held.counts["exportable"] == 10)
        #expect(held.counts["to_send"] == 5)
        #expect(held.report?.contains("93.4% fewer") == true, "\(held.report ?? "")")
        #expect(try patches() == 2)
        #expect(try workspace.store.artifacts(runID: held.id).isEmpty)

        let forced = try await workspace.run("to_pim", force: true)
        #expect(forced.status == .succeeded, "\(forced.error ?? "")")
        #expect(forced.counts["sent"] == 5)
        #expect(try patches() == 3)
        #expect(CanonicalJSON.string(try server.control.get("received")).contains("Renamed 4"))
    }
}
