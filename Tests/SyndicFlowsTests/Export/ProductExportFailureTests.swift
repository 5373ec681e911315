import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport
import Testing

/// A flat-file export whose storage refuses the file: the run fails clearly, nothing is
/// recorded, the delta snapshot stays, and once the storage is fixed the next delta resends.
struct ProductExportFailureTests {
    static func connections(storage: String) -> String {
        """
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: catalog}
        spec: {type: catalog-file, path: ../catalog/products.jsonl}
        ---
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: outbox}
        spec: \(storage)

        """
    }

    /// A delta workspace that exported once successfully to `out/`, then had two products
    /// changed.
    static func exportedOnceThenChanged() async throws -> FlowWorkspace {
        var products = ProductExportDeltaTests.products
        let workspace = try FlowWorkspace()
        try workspace.catalog("catalog/products.jsonl", products)
        try workspace.config("connections.yaml", connections(storage: "{type: local, path: ../out}"))
        try workspace.config("delta_feed.yaml", ProductExportDeltaTests.channel)
        try workspace.apply()
        let first = try await workspace.run("delta_feed")
        try #require(first.status == .succeeded, "\(first.error ?? "")")
        try #require(first.counts["sent"] == 5)

        products[0].eur = "11.11"
        products[4].name = "Changé"
        try workspace.catalog("catalog/products.jsonl", products)
        return workspace
    }

    /// Runs the failing export, checks what it left, fixes the storage and checks the resend.
    static func failThenFix(_ workspace: FlowWorkspace, expect message: (String) -> Bool) async throws {
        let snapshot = try workspace.store.deltaSnapshot(channel: "delta_feed")
        let failed = try await workspace.run("delta_feed")
        #expect(failed.status == .failed)
        let error = try #require(failed.error)
        #expect(message(error), "\(error)")
        #expect(try workspace.store.productExports(runID: failed.id).isEmpty)
        #expect(try workspace.store.productExports(channel: "delta_feed", limit: 10).count == 1)
        #expect(try workspace.store.deltaSnapshot(channel: "delta_feed") == snapshot)
        #expect(workspace.files(in: ".syndic/work/tmp").isEmpty, "temporary files left behind")
        #expect(try workspace.messages(failed.id).contains { $0.contains("failed") })

        try workspace.config("connections.yaml", connections(storage: "{type: local, path: ../out}"))
        try workspace.apply()
        let fixed = try await workspace.run("delta_feed")
        #expect(fixed.status == .succeeded, "\(fixed.error ?? "")")
        #expect(fixed.counts["sent"] == 2)
        #expect(try workspace.store.productExports(runID: fixed.id).first?.products == ["SKU-0001", "SKU-0005"])
        let newest = try #require(workspace.files(in: "out/delta").last)
        #expect(Array(csvRows(try workspace.text("out/delta/\(newest)")).dropFirst())
                == [["SKU-0001", "Produit 1", "11.11"], ["SKU-0005", "Changé", "50.00"]])
    }

    @Test func anFTPServerThatRefusesTheConnectionFailsTheRun() async throws {
        let workspace = try await Self.exportedOnceThenChanged()
        let user = try workspace.secret("ftp_user", "partner")
        let password = try workspace.secret("ftp_password", "ftp-secret-value-8d2e")
        let port = try TestPaths.closedPort()
        try workspace.config("connections.yaml", Self.connections(
            storage: "{type: ftp, host: 127.0.0.1, port: \(port), username: {file: \(user)}, password: {file: \(password)}}"))
        try workspace.apply()
        try await Self.failThenFix(workspace) { error in
            error.contains("127.0.0.1") && !error.contains("ftp-secret-value-8d2e")
        }
    }

    @Test func aLocalFolderThatCannotBeCreatedFailsTheRun() async throws {
        let workspace = try await Self.exportedOnceThenChanged()
        // `blocked` is a file: no folder can be made under it.
        try workspace.write("blocked", "not a folder")
        try workspace.config("connections.yaml", Self.connections(storage: "{type: local, path: ../blocked/out}"))
        try workspace.apply()
        try await Self.failThenFix(workspace) { error in error.contains("blocked") }
    }
}
