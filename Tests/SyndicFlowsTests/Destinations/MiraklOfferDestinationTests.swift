import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport
import Testing

/// A mirakl channel's offers (mirakl_sim.py): OF01 upload of a `;` CSV, OF02 polling until
/// COMPLETE, the OF03 error report kept with the run, refused rows resent by the next delta.
struct MiraklOfferDestinationTests {
    static let apiKey = "mirakl-shop-key-77aa"

    static let mapping = ["sku: {field: identifier}", "price: price@EUR", "state: {value: \"11\"}", "quantity: {value: 5}",
                          "title: name~fr_FR"]

    static func channel(endpoint: String, mapping: [String] = MiraklOfferDestinationTests.mapping) -> String {
        """
        apiVersion: syndic/v1
        kind: Channel
        metadata: {name: mirakl_fr}
        spec:
          type: mirakl
          status: active
          endpoint: \(endpoint)
          credentials: {apiKey: {file: ../secrets/mirakl_key}}
          source: {connection: catalog, locales: [fr_FR]}
          products:
            mapping:
        \(mapping.map { "      " + $0 }.joined(separator: "\n"))
            export:
              delta: true

        """
    }

    @Test func importsOffersPollsAndResendsRefusedRows() async throws {
        var products = (1...6).map { TestProduct($0, eur: "\($0)9.90") }
        products[1].name = "Botte; cuir \"Élise\""
        products[4].eur = nil  // GBP only: no EUR price, Mirakl refuses the row
        let workspace = try FlowWorkspace()
        try workspace.catalog("catalog/products.jsonl", products)
        let server = try LocalServer(simulator: "mirakl_sim.py", arguments: ["--api-key", Self.apiKey,
                                                                             "--polls-until-complete", "3"])
        defer { server.kill() }
        try workspace.secret("mirakl_key", Self.apiKey)
        try workspace.config("connections.yaml", FlatFileDestinationTests.connections)
        try workspace.config("mirakl_fr.yaml", Self.channel(endpoint: server.baseURL))
        try workspace.apply()

        // 1. Every product imported; the one without a price refused.
        let first = try await workspace.run("mirakl_fr")
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        #expect(first.counts["read"] == 6)
        #expect(first.counts["sent"] == 5)
        #expect(first.counts["refused"] == 1)
        var imports = try #require(try server.control.get("imports").listValue)
        try #require(imports.count == 1)
        let upload = imports[0]
        #expect(upload["header"] == .list(["sku", "price", "state", "quantity", "title"].map(Value.string)))
        #expect(upload["file_name"]?.stringValue?.hasPrefix("offers_export_mirakl_fr_") == true)
        #expect(upload["status"]?.stringValue == "COMPLETE")
        let rows = try #require(upload["rows"]?.listValue)
        #expect(rows.compactMap { $0["values"]?["sku"]?.stringValue } == products.map(\.identifier))
        #expect(rows[0]["values"] == .object(["price": "19.90", "quantity": "5", "sku": "SKU-0001", "state": "11",
                                              "title": "Produit 1"].mapValues(Value.string)))
        #expect(rows[1]["values"]?["title"] == .string("Botte; cuir \"Élise\""))
        #expect(rows[4]["error"]?.stringValue?.contains("price") == true)
        #expect(rows.filter { $0["error"] != .null }.count == 1)
        // OF02 polled until COMPLETE (WAITING, RUNNING, RUNNING, COMPLETE), then OF03 once.
        #expect(upload["polls"]?.intValue == 4)
        let requests = try server.control.requests()
        #expect(requests.filter { $0.method == "POST" && $0.path == "/api/offers/imports" }.count == 1)
        #expect(requests.filter { $0.method == "GET" && $0.path == "/api/offers/imports/1" }.count == 4)
        #expect(requests.filter { $0.path == "/api/offers/imports/1/error_report" }.count == 1)

        let report = String(decoding: try #require(try workspace.store.artifact(runID: first.id, name: "error-report.csv")),
                            as: UTF8.self)
        let reportRows = csvRows(report, separator: ";")
        #expect(reportRows.first?.suffix(2) == ["error-line", "error-message"])
        #expect(reportRows.count == 2)
        #expect(reportRows.last?.contains("SKU-0005") == true)
        // error-line: the row's line in the uploaded file, the header being line 1.
        #expect(reportRows.last?.dropLast().last == "6")
        #expect(first.report?.contains("error-report.csv") == true, "\(first.report ?? "")")

        // 2. Nothing changed: only the refused row goes again.
        let second = try await workspace.run("mirakl_fr")
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(second.counts["refused"] == 1)
        #expect(second.counts["unchanged"] == 5)
        imports = try #require(try server.control.get("imports").listValue)
        #expect(imports.count == 2)
        #expect(imports.last?["rows"]?.listValue?.compactMap { $0["values"]?["sku"]?.stringValue } == ["SKU-0005"])

        // 3. The price fixed: imported without error; then nothing is left to import.
        products[4].eur = "59.90"
        try workspace.catalog("catalog/products.jsonl", products)
        let third = try await workspace.run("mirakl_fr")
        #expect(third.status == .succeeded, "\(third.error ?? "")")
        #expect(third.counts["sent"] == 1)
        #expect(third.counts["refused"] == nil)
        #expect(try workspace.store.artifact(runID: third.id, name: "error-report.csv") == nil)
        #expect(try workspace.store.productExports(runID: third.id).first?.products == ["SKU-0005"])
        let offers = try server.control.get("offers")
        #expect(offers["SKU-0005"]?["price"] == .string("59.90"))
        #expect(offers.objectValue?.count == 6)

        let fourth = try await workspace.run("mirakl_fr")
        #expect(fourth.status == .succeeded, "\(fourth.error ?? "")")
        #expect(fourth.counts["sent"] == 0)
        #expect(try server.control.get("imports").listValue?.count == 3)
    }

    @Test func aWrongAPIKeyFailsTheExportWithoutTheKey() async throws {
        let workspace = try FlowWorkspace()
        try workspace.catalog("catalog/products.jsonl", [TestProduct(1)])
        let server = try LocalServer(simulator: "mirakl_sim.py", arguments: ["--api-key", Self.apiKey])
        defer { server.kill() }
        let wrong = "not-the-shop-key-0c3d"
        try workspace.secret("mirakl_key", wrong)
        try workspace.config("connections.yaml", FlatFileDestinationTests.connections)
        try workspace.config("mirakl_fr.yaml", Self.channel(endpoint: server.baseURL))
        try workspace.apply()
        let run = try await workspace.run("mirakl_fr")
        #expect(run.status == .failed)
        #expect(run.error?.contains("refused the API key") == true, "\(run.error ?? "")")
        #expect(!(try workspace.everything(run)).contains(wrong))
        #expect(try workspace.store.productExports(runID: run.id).isEmpty)
        #expect(try workspace.store.deltaSnapshot(channel: "mirakl_fr") == nil)
    }

    @Test func anImportThatFailsWholeFailsTheRunAndMovesNothing() async throws {
        let workspace = try FlowWorkspace()
        try workspace.catalog("catalog/products.jsonl", (1...3).map { TestProduct($0) })
        let server = try LocalServer(simulator: "mirakl_sim.py", arguments: ["--api-key", Self.apiKey,
                                                                             "--polls-until-complete", "1"])
        defer { server.kill() }
        try workspace.secret("mirakl_key", Self.apiKey)
        try workspace.config("connections.yaml", FlatFileDestinationTests.connections)
        // No `state` column: Mirakl fails the whole file.
        try workspace.config("mirakl_fr.yaml", Self.channel(endpoint: server.baseURL,
                                                            mapping: ["sku: {field: identifier}", "price: price@EUR"]))
        try workspace.apply()
        let run = try await workspace.run("mirakl_fr")
        #expect(run.status == .failed)
        #expect(run.error?.contains("FAILED") == true, "\(run.error ?? "")")
        #expect(run.error?.contains("state") == true, "the reason_status: \(run.error ?? "")")
        #expect(try workspace.store.productExports(runID: run.id).isEmpty)
        #expect(try workspace.store.deltaSnapshot(channel: "mirakl_fr") == nil)
    }

    /// OF01 is a POST: a connection that dies mid-upload is not retried blindly (Mirakl may
    /// have taken the file); the run fails, moves nothing, and the next one sends everything.
    @Test func anUploadCutShortFailsTheRunAndTheNextRunResends() async throws {
        let workspace = try FlowWorkspace()
        try workspace.catalog("catalog/products.jsonl", (1...3).map { TestProduct($0) })
        let server = try LocalServer(simulator: "mirakl_sim.py", arguments: ["--api-key", Self.apiKey,
                                                                             "--polls-until-complete", "1"])
        defer { server.kill() }
        try workspace.secret("mirakl_key", Self.apiKey)
        try workspace.config("connections.yaml", FlatFileDestinationTests.connections)
        try workspace.config("mirakl_fr.yaml", Self.channel(endpoint: server.baseURL))
        try workspace.apply()
        _ = try server.control.post("die-after", .object(["path_prefix": .string("/api/offers/imports"), "count": .int(1)]))
        let failed = try await workspace.run("mirakl_fr")
        #expect(failed.status == .failed)
        #expect(failed.error?.contains("POST") == true, "\(failed.error ?? "")")
        #expect(try workspace.store.productExports(runID: failed.id).isEmpty)
        #expect(try workspace.store.deltaSnapshot(channel: "mirakl_fr") == nil)

        let next = try await workspace.run("mirakl_fr")
        #expect(next.status == .succeeded, "\(next.error ?? "")")
        #expect(next.counts["sent"] == 3)
    }

    /// Known bug (fails until fixed): the record of a delta export lists the offers Mirakl
    /// refused too, while its `sent` count leaves them out.
    @Test func theExportRecordListsOnlyTheOffersMiraklTook() async throws {
        var products = (1...3).map { TestProduct($0) }
        products[1].eur = nil
        let workspace = try FlowWorkspace()
        try workspace.catalog("catalog/products.jsonl", products)
        let server = try LocalServer(simulator: "mirakl_sim.py", arguments: ["--api-key", Self.apiKey,
                                                                             "--polls-until-complete", "0"])
        defer { server.kill() }
        try workspace.secret("mirakl_key", Self.apiKey)
        try workspace.config("connections.yaml", FlatFileDestinationTests.connections)
        try workspace.config("mirakl_fr.yaml", Self.channel(endpoint: server.baseURL))
        try workspace.apply()
        let run = try await workspace.run("mirakl_fr")
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["refused"] == 1)
        let record = try #require(try workspace.store.productExports(runID: run.id).first)
        #expect(record.sent == 2)
        #expect(record.products == ["SKU-0001", "SKU-0003"])
    }
}
