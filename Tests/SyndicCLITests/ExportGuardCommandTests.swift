import Foundation
import Testing

/// The export guard through the shipped binary: a catalog that shrank by 90% is held (exit 3,
/// no file written), and `run --force` sends it once.
@Suite struct ExportGuardCommandTests {
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
          source: {connection: pim, locales: [fr_FR]}
          products:
            mapping:
              sku: {field: identifier}
              title: name
            export:
              storage: {connection: outbox, folder: /feed}
              guard: {maxDropPercent: 50}

        """

    /// `count` products, one JSON line each.
    static func catalog(_ count: Int) -> String {
        (1...count).map { number in
            #"{"uuid":"u\#(number)","identifier":"SKU-\#(number)","enabled":true,"family":"shoes","categories":[],"#
                + #""values":{"name":[{"locale":"fr_FR","scope":null,"data":"Produit \#(number)"}]}}"#
        }.joined(separator: "\n") + "\n"
    }

    func exportedFiles(_ workspace: Workspace) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: workspace.root.appendingPathComponent("out/feed").path)) ?? []).sorted()
    }

    @Test func aCatalogThatShrankIsHeldAndSentWithForce() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("channels/all.yaml", Self.channels)
        try workspace.write("channels/catalog.jsonl", Self.catalog(10))
        let applied = try workspace.syndic.run(["apply"])
        try #require(applied.status == 0, "\(applied.stderr)")

        let first = try workspace.syndic.run(["run", "feed", "product-export", "--wait"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("10 sent"))
        #expect(exportedFiles(workspace).count == 1)

        // 90% of the catalog is gone: held, exit 3, nothing written to the storage.
        try workspace.write("channels/catalog.jsonl", Self.catalog(1))
        let held = try workspace.syndic.run(["run", "feed", "product-export", "--wait"])
        #expect(held.status == 3, "\(held.stdout)\(held.stderr)")
        #expect(held.stderr.isEmpty, "\(held.stderr)")
        #expect(held.stdout.contains("  status:   held"))
        #expect(held.stdout.contains("held full export from catalog file"))
        #expect(held.stdout.contains("held by the export guard, nothing was sent: it would export 1 product, "
                                     + "90% fewer than the 10 of the last successful export (maxDropPercent 50)"))
        #expect(held.stdout.contains("export guard: 0 invalid or skipped of 1 product that passed the filter: 0% "
                                     + "(no maxInvalidPercent)"))
        #expect(held.stdout.contains("`syndic run feed product-export --force` sends this export once"))
        #expect(!held.stdout.contains("export recorded"))
        #expect(exportedFiles(workspace).count == 1)

        let list = try workspace.syndic.run(["runs", "--status", "held"])
        #expect(list.status == 0)
        #expect(list.stdout.split(separator: "\n").count == 2, "\(list.stdout)")
        #expect(list.stdout.contains("feed     product-export  manual   held"), "\(list.stdout)")

        // --force sends it once.
        let forced = try workspace.syndic.run(["run", "feed", "product-export", "--force", "--wait"])
        #expect(forced.status == 0, "\(forced.stdout)\(forced.stderr)")
        #expect(forced.stdout.hasPrefix("Queued run 3: feed product-export (forced).\n"))
        #expect(forced.stdout.contains("  status:   succeeded"))
        #expect(forced.stdout.contains("1 sent"))
        #expect(forced.stdout.contains("export guard skipped for this run (--force)"))
        #expect(forced.stdout.contains("queued (manual, forced)"))
        #expect(exportedFiles(workspace).count == 2)

        let refused = try workspace.syndic.run(["run", "feed", "product-export", "--force", "--dry-run"])
        #expect(refused.status == 1)
        #expect(refused.stderr == "error: --force applies to a real export: a dry run sends nothing and is never held\n")
    }
}
